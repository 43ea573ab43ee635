// A small Dockerfile reader for the deploy tests: enough of the syntax to check stages, commands
// and COPY sources (line continuations, comments, global ARGs in FROM, `AS name`, exec/shell
// forms). Hand-written because no Docker engine or linter runs on these machines.

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): { globalArgs: Record<string, string>; stages: Stage[] } {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.replace(/\s+/g, ' ').trim();
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`unreadable FROM: ${args}`);
      const base = from[1]!.replace(/\$\{?(\w+)\}?/g, (_, name: string) => globalArgs[name] ?? '');
      stages.push({ name: from[2] ?? String(stages.length), base, instructions: [] });
    } else if (stages.length === 0 && keyword === 'ARG') {
      const [name, value = ''] = args.split('=');
      globalArgs[name!] = value;
    } else {
      stages.at(-1)?.instructions.push({ keyword, args });
    }
  }
  return { globalArgs, stages };
}

/** The arguments of an exec-form instruction (`CMD ["node", "x.js"]`), or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  const json = args.slice(args.indexOf('['));
  if (!json.startsWith('[')) return undefined;
  return JSON.parse(json) as string[];
}

export interface CopyInstruction {
  from?: string;
  sources: string[];
  dest: string;
}

export function parseCopy(args: string): CopyInstruction {
  const words = args.split(' ');
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
}

/** Resolves a container path against WORKDIR, without a trailing slash or `.//`. */
export function containerPath(workdir: string, path: string): string {
  const absolute = path.startsWith('/') ? path : `${workdir}/${path}`;
  return '/' + absolute.split('/').filter((part) => part !== '' && part !== '.').join('/');
}

/** Where COPY puts one source: into `dest` when it names a folder (trailing slash or several sources). */
export function copyTarget(copy: CopyInstruction, source: string): string {
  const intoFolder = copy.dest.endsWith('/') || copy.sources.length > 1;
  return intoFolder ? `${copy.dest}/${source.split('/').filter(Boolean).at(-1)}` : copy.dest;
}

/**
 * Whether the build context leaves `path` out, by .dockerignore rules: patterns match the path or
 * one of its parent folders, `*` stays within one path segment, `**` spans any, the last matching
 * rule wins and `!` re-includes.
 */
export function isDockerIgnored(rules: string[], path: string): boolean {
  const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const raw of rules.map((r) => r.trim()).filter((r) => r !== '' && !r.startsWith('#'))) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const regex = new RegExp(`^${globToRegex(pattern)}$`);
    if (prefixes.some((p) => regex.test(p))) ignored = !negated;
  }
  return ignored;
}

function globToRegex(glob: string): string {
  return glob
    .split(/(\*\*\/|\*\*|\*|\?)/)
    .map((part) => {
      if (part === '**/') return '(?:.*/)?';
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      if (part === '?') return '[^/]';
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
}
