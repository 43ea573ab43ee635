// `dataset collect`: a preview per CSV row from the providers, downloaded into a GTZAN-style
// folder with a manifest, resumable, with misses written down rather than failing the run.
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { downloadPreview } from '../../previews/download.js';
import { normalizeText } from '../../previews/normalize.js';
import type { PreviewProvider } from '../../previews/provider.js';
import { resolvePreview } from '../../previews/resolve.js';
import type { PreviewMatch } from '../../types.js';
import { MANIFEST_HEADER, tsvLine, tsvRows } from './tsv.js';
import type { CollectRow } from './collect-csv.js';

export interface CollectSummary {
  rows: number;
  downloaded: number;
  /** Rows already done or missed by an earlier run (resume). */
  resumed: number;
  missed: number;
  duplicates: number;
  /** Rows that still failed after every retry (not recorded: the next run tries them again). */
  failed: Array<{ row: number; code: string; message: string }>;
  byProvider: Record<string, number>;
}

export interface CollectDownloadSettings {
  allowInsecure: boolean;
  maxBytes: number;
  timeoutMs: number;
  /** PREVIEW_ALLOWED_HOSTS, on top of each provider's own hosts. */
  extraHosts: readonly string[];
}

const COLLECT_HEADER = `${MANIFEST_HEADER}\tartist\ttrack`;
const MISSES_HEADER = 'row\tartist\ttrack\tgenre\treason';
const AUDIO_EXT = new Set(['mp3', 'm4a', 'aac', 'ogg', 'wav', 'flac']);

/**
 * Resolves and downloads a preview for each row, sequentially (the providers' rate limiters pace
 * it), into `<outDir>/<genre>/<provider>-<id>.<ext>`, appending `manifest.tsv` (path genre group
 * source artist track; group = provider:id) and `misses.tsv` (row artist track genre reason).
 * Rows found in either file are skipped (resume). Transient errors are retried with exponential
 * backoff; an expired preview link (PREVIEW_NOT_FOUND) is resolved once more for a fresh one.
 */
export async function collectDataset({
  rows,
  outDir,
  providers,
  download,
  attempts = 5,
  baseDelayMs = 1_000,
  maxDelayMs = 30_000,
  logger,
  signal,
}: {
  rows: readonly CollectRow[];
  outDir: string;
  providers: readonly PreviewProvider[];
  download: CollectDownloadSettings;
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  logger?: Logger;
  signal?: AbortSignal;
}): Promise<CollectSummary> {
  await mkdir(outDir, { recursive: true });
  const manifestPath = join(outDir, 'manifest.tsv');
  const missesPath = join(outDir, 'misses.tsv');
  const manifest = await readTsv(manifestPath, COLLECT_HEADER);
  const misses = await readTsv(missesPath, MISSES_HEADER);
  const done = new Set([...manifest.map((c) => rowKey(c[4], c[5], c[1])), ...misses.map((c) => rowKey(c[1], c[2], c[3]))]);
  const paths = new Set(manifest.map((c) => c[0]));
  const summary: CollectSummary = { rows: rows.length, downloaded: 0, resumed: 0, missed: 0, duplicates: 0, failed: [], byProvider: {} };

  const miss = async (r: CollectRow, reason: string): Promise<void> => {
    await appendFile(missesPath, tsvLine([String(r.row), r.artist, r.track, r.genre, reason]));
    done.add(rowKey(r.artist, r.track, r.genre));
  };

  for (const r of rows) {
    signal?.throwIfAborted();
    if (done.has(rowKey(r.artist, r.track, r.genre))) {
      summary.resumed += 1;
      continue;
    }
    const outcome = await withRetries({ attempts, baseDelayMs, maxDelayMs, signal, logger, row: r.row, work: () => fetchRow({ r, providers, download, signal }) });
    if ('failed' in outcome) {
      summary.failed.push({ row: r.row, ...outcome.failed });
      continue;
    }
    if ('miss' in outcome) {
      summary.missed += 1;
      await miss(r, outcome.miss);
      continue;
    }
    const { match, bytes } = outcome;
    const path = `${r.genre}/${match.provider}-${safeId(match.trackId)}.${extensionOf(match)}`;
    if (paths.has(path)) {
      summary.duplicates += 1;
      await miss(r, `duplicate: same track as ${path}`);
      continue;
    }
    await mkdir(join(outDir, r.genre), { recursive: true });
    const tmp = join(outDir, `${path}.part`);
    await writeFile(tmp, bytes);
    await rename(tmp, join(outDir, path)); // no half-written audio under its final name
    await appendFile(manifestPath, tsvLine([path, r.genre, `${match.provider}:${match.trackId}`, match.provider, r.artist, r.track]));
    paths.add(path);
    done.add(rowKey(r.artist, r.track, r.genre));
    summary.downloaded += 1;
    summary.byProvider[match.provider] = (summary.byProvider[match.provider] ?? 0) + 1;
    logger?.info({ row: r.row, provider: match.provider, path }, 'collected');
  }
  return summary;
}

type RowOutcome = { match: PreviewMatch; bytes: Buffer } | { miss: string };

async function fetchRow({ r, providers, download, signal }: { r: CollectRow; providers: readonly PreviewProvider[]; download: CollectDownloadSettings; signal?: AbortSignal }): Promise<RowOutcome> {
  for (let fresh = 0; ; fresh += 1) {
    const match = await resolvePreview({ artist: r.artist, track: r.track, providers, signal });
    if (!match) return { miss: 'no match with a preview' };
    const provider = providers.find((p) => p.name === match.provider);
    const allowedHosts = [...(provider?.downloadHosts ?? []), ...download.extraHosts];
    try {
      const bytes = await downloadPreview({ url: match.previewUrl, allowedHosts, ...download, signal });
      return { match, bytes };
    } catch (err) {
      // Deezer links carry expiring tokens: one fresh lookup, then it counts as a miss.
      if (err instanceof AppError && err.code === 'PREVIEW_NOT_FOUND' && fresh === 0) continue;
      throw err;
    }
  }
}

async function withRetries({ attempts, baseDelayMs, maxDelayMs, signal, logger, row, work }: {
  attempts: number; baseDelayMs: number; maxDelayMs: number; signal?: AbortSignal; logger?: Logger; row: number; work: () => Promise<RowOutcome>;
}): Promise<RowOutcome | { failed: { code: string; message: string } }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof AppError) || signal?.aborted) throw err; // bugs and disk errors stop the run
      if (err.permanent) return { miss: `${err.code}: ${err.message}` };
      if (attempt >= attempts) return { failed: { code: err.code, message: err.message } };
      // Exponential backoff with jitter, so a quota window has time to pass.
      const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) * (0.75 + Math.random() / 2);
      logger?.warn({ row, code: err.code, attempt, delayMs: Math.round(delay) }, 'retrying after a transient error');
      await sleep(delay, undefined, { signal });
    }
  }
}

async function readTsv(path: string, header: string): Promise<string[][]> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (text === null) {
    await writeFile(path, `${header}\n`);
    return [];
  }
  return tsvRows(text).slice(1).map((r) => r.cols);
}

const rowKey = (artist = '', track = '', genre = ''): string => `${normalizeText(artist)}\u0000${normalizeText(track)}\u0000${genre.trim()}`;
const safeId = (id: string): string => id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'unknown';

function extensionOf(match: PreviewMatch): string {
  const ext = new URL(match.previewUrl).pathname.split('.').pop()?.toLowerCase() ?? '';
  return AUDIO_EXT.has(ext) ? ext : match.provider === 'itunes' ? 'm4a' : 'mp3';
}
