import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InternalError } from '../../../errors.js';
import { runTool } from './run-tool.js';

/** A program the build calls and the Debian package that provides it. */
export interface RequiredTool {
  command: string;
  debianPackage: string;
}

export const REQUIRED_TOOLS: readonly RequiredTool[] = [
  { command: 'apt-get', debianPackage: 'apt' },
  { command: 'dpkg-deb', debianPackage: 'dpkg' },
  { command: 'tar', debianPackage: 'tar' },
  { command: 'unzip', debianPackage: 'unzip' },
  { command: 'ffmpeg', debianPackage: 'ffmpeg' },
  { command: 'ffprobe', debianPackage: 'ffmpeg' },
  { command: 'fluidsynth', debianPackage: 'fluidsynth' },
  { command: 'mma', debianPackage: 'mma' },
  { command: 'espeak-ng', debianPackage: 'espeak-ng' },
  { command: 'sox', debianPackage: 'sox' },
  { command: 'mscore3', debianPackage: 'musescore3' },
];

/** A data file the build reads (a soundfont, a drum kit) and the Debian package that installs it. */
export interface PackagedFile {
  file: string;
  debianPackage: string;
}

export type Soundfont = PackagedFile;

/** Soundfonts the renders rotate through (the package, and the file it installs). */
export const SOUNDFONTS: readonly Soundfont[] = [
  { file: '/usr/share/sounds/sf2/FluidR3_GM.sf2', debianPackage: 'fluid-soundfont-gm' },
  { file: '/usr/share/sounds/sf2/TimGM6mb.sf2', debianPackage: 'timgm6mb-soundfont' },
];

/**
 * `--more-soundfonts`: the generated tracks also draw MuseScore General Lite (MIT; better sampled
 * pianos, basses, brass and drum kits). The packages' human-composed MIDI keeps SOUNDFONTS, so
 * their clips, and any split that holds them out, do not change.
 */
export const MORE_SOUNDFONTS: readonly Soundfont[] = [
  ...SOUNDFONTS,
  { file: '/usr/share/sounds/sf3/MuseScore_General_Lite.sf3', debianPackage: 'musescore-general-soundfont-small' },
];

export async function findOnPath({ command }: { command: string }): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const full = join(dir, command);
    if (await access(full, constants.X_OK).then(() => true, () => false)) return full;
  }
  return null;
}

/**
 * Installs the Debian packages of missing tools/data files with apt-get, only when something is
 * missing. Not root: says exactly what to install instead of failing halfway through a build.
 */
export async function ensureTools({
  tools = REQUIRED_TOOLS,
  files = SOUNDFONTS,
  log,
}: {
  tools?: readonly RequiredTool[];
  files?: readonly PackagedFile[];
  log: (line: string) => void;
}): Promise<void> {
  const missing = new Set<string>();
  for (const tool of tools) if ((await findOnPath({ command: tool.command })) === null) missing.add(tool.debianPackage);
  for (const f of files) if (!(await access(f.file).then(() => true, () => false))) missing.add(f.debianPackage);
  if (missing.size === 0) return;
  const packages = [...missing].sort();
  if (process.getuid?.() !== 0) {
    throw new InternalError('TOOLS_MISSING', `missing Debian packages: ${packages.join(' ')} — run: sudo apt-get install -y ${packages.join(' ')}`);
  }
  log(`installing missing Debian packages: ${packages.join(' ')}`);
  await runTool({
    command: 'apt-get',
    args: ['install', '-y', '-q', '-o', 'DPkg::Lock::Timeout=600', ...packages],
    timeoutMs: 20 * 60_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
