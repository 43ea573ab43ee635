import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** One root logger per process; stages and jobs take child loggers (`logger.child({ jobId })`). */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name = 'music-prediction'): Logger {
  return pino({ name, level: config.LOG_LEVEL });
}
