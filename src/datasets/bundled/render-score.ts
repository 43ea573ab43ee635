import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runTool } from './run-tool.js';

/**
 * Renders a MuseScore score to WAV with MuseScore's own synthesiser (a different render chain
 * from fluidsynth, which is the point: human-composed scores, not one synth's signature).
 * MuseScore is a Qt program: the offscreen platform lets it run without a display.
 */
export async function renderScore({ score, output, timeoutMs = 300_000 }: { score: string; output: string; timeoutMs?: number }): Promise<void> {
  if (await stat(output).then((s) => s.size > 44, () => false)) return;
  await mkdir(dirname(output), { recursive: true });
  const partial = join(dirname(output), `.partial-${process.pid}-${Date.now()}.wav`);
  await runTool({ command: 'mscore3', args: ['-o', partial, score], timeoutMs, env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' } });
  await rename(partial, output);
}
