// Small helpers shared by the train / evaluate / predict / features commands.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './command.js';

/**
 * Refuses an output path the command could not write at its end, before any work: a file output
 * (`kind` 'file') needs an existing folder and must not be a folder; a folder output must not be a file.
 */
export function checkOutputPath(name: string, path: string, kind: 'file' | 'folder'): void {
  const at = statSync(path, { throwIfNoEntry: false });
  if (kind === 'file' && at?.isDirectory()) throw new UsageError(`--${name} ${path} is a folder, not a file`);
  if (kind === 'folder' && at !== undefined && !at.isDirectory()) throw new UsageError(`--${name} ${path} exists and is not a folder`);
  if (kind === 'file' && !statSync(dirname(resolve(path)), { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`--${name} ${path}: its folder does not exist`);
  }
}

export function parseNumber(name: string, raw: string | undefined, fallback: number, { integer = true, min = 0, max = Infinity } = {}): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got "${raw}"`);
  }
  return value;
}

export function parseList(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** A one-line progress bar on stderr when it is a terminal; nothing otherwise (logs stay clean). */
export function progressBar(prefix: string, done: number, total: number, suffix = ''): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  process.stderr.write(`\r${prefix} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${suffix}\x1b[K`);
  if (done >= total) process.stderr.write('\r\x1b[K');
}
