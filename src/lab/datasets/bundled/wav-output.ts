import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Produces a WAV file once: skipped when `output` already holds more than a WAV header (so an
 * interrupted build resumes), otherwise `render` writes to a private partial file that is renamed
 * into place only when complete (a killed render never leaves a half-written clip behind).
 */
export async function produceWavOnce({ output, render }: { output: string; render: (partial: string) => Promise<void> }): Promise<void> {
  if (await stat(output).then((s) => s.size > 44, () => false)) return;
  await mkdir(dirname(output), { recursive: true });
  const partial = join(dirname(output), `.partial-${process.pid}-${Date.now()}.wav`);
  await render(partial);
  await rename(partial, output);
}
