#!/usr/bin/env node
// Thin entry: picks a sub-command and hands it the rest of argv. Commands load lazily so that
// `music-prediction features` does not pay for TensorFlow start-up.
import { killLiveChildren } from './audio/ffmpeg/live-children.js';
import { UsageError, type CliCommand } from './cli/command.js';

/** `service`: the command installs its own graceful SIGTERM handling (server.ts, worker.ts). */
const commands: Record<string, { summary: string; service?: true; load: () => Promise<CliCommand> }> = {
  features: { summary: 'print MFCC features of an audio file (JSON) or write the MFCC image', load: async () => (await import('./cli/features.js')).default },
  predict: { summary: 'predict the genre of audio files with a model directory', load: async () => (await import('./cli/predict.js')).default },
  dataset: { summary: 'build, inspect and collect training datasets', load: async () => (await import('./cli/dataset.js')).default },
  train: { summary: 'train a genre model on a dataset', load: async () => (await import('./cli/train.js')).default },
  evaluate: { summary: 'evaluate a model on a dataset or folder (tables, confusion matrix)', load: async () => (await import('./cli/evaluate.js')).default },
  serve: { summary: 'start the HTTP API (embedded queue unless REDIS_URL is set)', service: true, load: async () => (await import('./cli/serve.js')).default },
  worker: { summary: 'run BullMQ prediction workers (needs REDIS_URL)', service: true, load: async () => (await import('./cli/worker.js')).default },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'Usage: music-prediction <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `music-prediction <command> --help` for a command\'s options.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    console.error(`music-prediction: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  // A one-shot command stops at once on SIGTERM, as by default, but takes its ffmpeg with it.
  if (!entry.service) {
    process.once('SIGTERM', () => {
      killLiveChildren();
      console.error(`music-prediction ${name}: stopped by SIGTERM`);
      process.exit(143);
    });
  }
  const command = await entry.load();
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`music-prediction: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
