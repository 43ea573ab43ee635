import { runTool } from './run-tool.js';
import { produceWavOnce } from './wav-output.js';

/**
 * Renders a MuseScore score to WAV with MuseScore's own synthesiser (a different render chain
 * from fluidsynth, which is the point: human-composed scores, not one synth's signature).
 * MuseScore is a Qt program: the offscreen platform lets it run without a display.
 */
export async function renderScore({ score, output, timeoutMs = 300_000 }: { score: string; output: string; timeoutMs?: number }): Promise<void> {
  await produceWavOnce({
    output,
    render: async (partial) => {
      await runTool({ command: 'mscore3', args: ['-o', partial, score], timeoutMs, env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' } });
    },
  });
}
