// Which ffmpeg binary to run: FFMPEG_PATH, else `ffmpeg` on PATH, else the optional npm package
// @ffmpeg-installer/ffmpeg (a 2018 static build: it works offline but is old, so the system
// binary wins whenever there is one). The package is required lazily so that a machine without it
// (it is an optionalDependency) still resolves the other two.
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { InternalError } from '../../errors.js';

export type FfmpegSource = 'config' | 'system' | 'bundled';

export interface ResolvedFfmpeg {
  path: string;
  source: FfmpegSource;
}

const resolved = new Map<string, ResolvedFfmpeg>();

/** An existing regular file we may execute (checked with access(2), as spawn will). */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function bundledFfmpeg(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const installer = require('@ffmpeg-installer/ffmpeg') as { path?: unknown };
    return typeof installer.path === 'string' && isExecutableFile(installer.path) ? installer.path : undefined;
  } catch {
    return undefined; // optional dependency missing or no binary for this platform
  }
}

function resolveUncached(configured: string | undefined): ResolvedFfmpeg {
  if (configured !== undefined && configured.trim() !== '') {
    const name = configured.trim();
    // A bare name ("ffmpeg5") is looked up on PATH; anything with a slash is a file path.
    const path = name.includes('/') || isAbsolute(name) ? resolve(name) : findOnPath(name);
    if (path === undefined || !isExecutableFile(path)) {
      throw new InternalError('FFMPEG_NOT_FOUND', `FFMPEG_PATH "${configured}" is not an executable file`);
    }
    return { path, source: 'config' };
  }
  const system = findOnPath('ffmpeg');
  if (system !== undefined) return { path: system, source: 'system' };
  const bundled = bundledFfmpeg();
  if (bundled !== undefined) return { path: bundled, source: 'bundled' };
  throw new InternalError(
    'FFMPEG_NOT_FOUND',
    'no ffmpeg found: set FFMPEG_PATH, install ffmpeg on PATH, or install the optional @ffmpeg-installer/ffmpeg package',
  );
}

/** Finds the ffmpeg binary once per `configured` value (failures are not cached). */
export function resolveFfmpegPath({ configured }: { configured?: string }): ResolvedFfmpeg {
  const key = configured ?? '';
  let hit = resolved.get(key);
  if (hit === undefined) {
    hit = resolveUncached(configured);
    resolved.set(key, hit);
  }
  return hit;
}

/** The bundled binary only, for the benchmark's system-vs-bundled comparison. */
export function bundledFfmpegPath(): string | undefined {
  return bundledFfmpeg();
}
