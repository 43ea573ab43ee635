// `music-prediction serve`: the HTTP API (see src/server.ts). Settings come from the environment.
import { argumentlessCommand } from './command.js';

const help = `Usage: music-prediction serve

Starts the HTTP API on HOST:PORT. Without REDIS_URL predictions run in this process (embedded
mode); with REDIS_URL jobs go to BullMQ and \`music-prediction worker\` processes run them.
All settings come from environment variables (see .env.example).`;

export default argumentlessCommand({
  name: 'serve',
  help,
  start: async () => (await import('../server.js')).main(),
});
