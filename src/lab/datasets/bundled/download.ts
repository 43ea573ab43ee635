import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from './run-tool.js';

/** The cached .deb of a package, if one was downloaded before (any version). */
export async function findCachedDeb({ cacheDir, debianPackage }: { cacheDir: string; debianPackage: string }): Promise<string | null> {
  const files = await readdir(cacheDir).catch(() => [] as string[]);
  const hit = files.filter((f) => f.startsWith(`${debianPackage}_`) && f.endsWith('.deb')).sort().pop();
  return hit ? join(cacheDir, hit) : null;
}

/**
 * `apt-get download`s the packages not yet in the cache (one call for all missing ones, so apt
 * resolves them together) and returns each package's .deb path.
 */
export async function downloadPackages({
  packages,
  cacheDir,
  log,
  timeoutMs = 30 * 60_000,
}: {
  packages: readonly string[];
  cacheDir: string;
  log: (line: string) => void;
  timeoutMs?: number;
}): Promise<Map<string, string>> {
  await mkdir(cacheDir, { recursive: true });
  const missing: string[] = [];
  for (const p of packages) if ((await findCachedDeb({ cacheDir, debianPackage: p })) === null) missing.push(p);
  if (missing.length > 0) {
    log(`apt-get download ${missing.join(' ')}`);
    await runTool({ command: 'apt-get', args: ['download', '-q', ...missing], cwd: cacheDir, timeoutMs });
  }
  const debs = new Map<string, string>();
  for (const p of packages) {
    const deb = await findCachedDeb({ cacheDir, debianPackage: p });
    if (deb === null) throw new Error(`apt-get download did not produce ${p}_*.deb in ${cacheDir}`);
    debs.set(p, deb);
  }
  return debs;
}
