// `npm run bench [name…]`: runs every bench/*.bench.ts (or those whose name contains an argument).
// Each bench module's default export prints its own table and returns nothing. A machine-speed
// probe runs before and after (machine-speed.ts): compare figures only at similar probe speeds.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatSpeed, probeMachineSpeed } from './machine-speed.js';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

console.log(`node ${process.version}, ${process.platform}/${process.arch}; benches: ${files.join(', ') || '(none)'}`);
console.log(formatSpeed('before', await probeMachineSpeed()));
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<void> };
  await mod.default();
}
console.log(formatSpeed('after', await probeMachineSpeed()));
