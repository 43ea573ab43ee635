// `music-prediction worker`: BullMQ prediction workers (see src/worker.ts). Needs REDIS_URL.
import type { CliCommand } from './command.js';

const help = `Usage: music-prediction worker

Runs WORKER_CONCURRENCY prediction workers on the BullMQ queue QUEUE_NAME at REDIS_URL.
Start as many as you like, on any machine that reaches Redis and has the model (MODEL_DIR).
All settings come from environment variables (see .env.example).`;

const worker: CliCommand = {
  async run(argv) {
    if (argv.includes('--help') || argv.includes('-h')) {
      console.log(help);
      return 0;
    }
    if (argv.length > 0) {
      console.error(`music-prediction worker: unexpected arguments: ${argv.join(' ')}\n\n${help}`);
      return 2;
    }
    const { main } = await import('../worker.js');
    await main();
    return 0;
  },
};

export default worker;
