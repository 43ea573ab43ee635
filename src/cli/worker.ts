// `music-prediction worker`: BullMQ prediction workers (see src/worker.ts). Needs REDIS_URL.
import { argumentlessCommand } from './command.js';

const help = `Usage: music-prediction worker

Runs WORKER_CONCURRENCY prediction workers on the BullMQ queue QUEUE_NAME at REDIS_URL.
Start as many as you like, on any machine that reaches Redis and has the model (MODEL_DIR).
All settings come from environment variables (see .env.example).`;

export default argumentlessCommand({
  name: 'worker',
  help,
  start: async () => (await import('../worker.js')).main(),
});
