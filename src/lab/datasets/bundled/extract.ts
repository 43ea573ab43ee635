import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InternalError } from '../../../errors.js';
import { runTool } from './run-tool.js';

/**
 * Extracts only the wanted paths of a .deb (`dpkg-deb --fsys-tarfile | tar -x --wildcards`):
 * some packages are 600 MB of textures around 40 MB of music. A `.done` marker makes re-runs skip
 * finished packages; a half-finished one is wiped and redone.
 */
export async function extractDeb({
  deb,
  destDir,
  patterns,
  timeoutMs = 10 * 60_000,
}: {
  deb: string;
  destDir: string;
  patterns: readonly string[];
  timeoutMs?: number;
}): Promise<void> {
  const marker = join(destDir, '.done');
  if (await stat(marker).then(() => true, () => false)) return;
  await rm(destDir, { recursive: true, force: true });
  await mkdir(destDir, { recursive: true });
  await pipeDebIntoTar({ deb, destDir, patterns: [...patterns, '*/copyright'], timeoutMs });
  await writeFile(marker, `${deb}\n`);
}

function pipeDebIntoTar({ deb, destDir, patterns, timeoutMs }: { deb: string; destDir: string; patterns: readonly string[]; timeoutMs: number }): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const dpkg = spawn('dpkg-deb', ['--fsys-tarfile', deb], { stdio: ['ignore', 'pipe', 'pipe'] });
    // --wildcards with a pattern that matches nothing makes tar exit 2; `--ignore-failed-read`
    // does not cover that, so we accept exit 2 and check the result instead.
    const tar = spawn('tar', ['-x', '-C', destDir, '--wildcards', '--no-same-owner', ...patterns], { stdio: ['pipe', 'ignore', 'pipe'] });
    dpkg.stdout.pipe(tar.stdin);
    let stderr = '';
    tar.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    dpkg.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      dpkg.kill('SIGKILL');
      tar.kill('SIGKILL');
    }, timeoutMs);
    tar.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0 || code === 2) resolvePromise();
      else reject(new InternalError('EXTRACT_FAILED', `extracting ${deb} failed (tar exit ${code}): ${stderr.trim().slice(-300)}`));
    });
  });
}

/** Pulls members out of a zip/pk3 archive (idempotent: unzip -n never overwrites). */
export async function extractArchive({ archive, members, destDir }: { archive: string; members: string; destDir: string }): Promise<void> {
  await mkdir(destDir, { recursive: true });
  await runTool({ command: 'unzip', args: ['-n', '-q', archive, members, '-d', destDir], timeoutMs: 5 * 60_000 });
}

/** Every file under a folder, as paths relative to it, sorted (deterministic order). */
export async function listFiles({ root }: { root: string }): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const d of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, d.name);
      if (d.isDirectory()) await walk(full);
      else if (d.isFile()) out.push(relative(root, full));
    }
  };
  await walk(root);
  return out.sort();
}
