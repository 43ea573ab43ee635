// `music-prediction serve`: the HTTP API (see src/server.ts). Settings come from the environment.
import type { CliCommand } from './command.js';

const help = `Usage: music-prediction serve

Starts the HTTP API on HOST:PORT. Without REDIS_URL predictions run in this process (embedded
mode); with REDIS_URL jobs go to BullMQ and \`music-prediction worker\` processes run them.
All settings come from environment variables (see .env.example).`;

const serve: CliCommand = {
  async run(argv) {
    if (argv.includes('--help') || argv.includes('-h')) {
      console.log(help);
      return 0;
    }
    if (argv.length > 0) {
      console.error(`music-prediction serve: unexpected arguments: ${argv.join(' ')}\n\n${help}`);
      return 2;
    }
    const { main } = await import('../server.js');
    await main();
    return 0;
  },
};

export default serve;
