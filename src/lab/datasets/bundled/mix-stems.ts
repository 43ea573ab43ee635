import { runTool } from './run-tool.js';
import { produceWavOnce } from './wav-output.js';

/**
 * Frets on Fire songs ship the backing track and the guitar part(s) as separate stems; the genre
 * is in the mix, so we sum them (amix without its default 1/n level drop, then a limiter).
 */
export async function mixStems({ stems, output, timeoutMs = 120_000 }: { stems: readonly string[]; output: string; timeoutMs?: number }): Promise<void> {
  await produceWavOnce({
    output,
    render: async (partial) => {
      const inputs = stems.flatMap((s) => ['-i', s]);
      const filter = `amix=inputs=${stems.length}:duration=longest:normalize=0,alimiter=limit=0.9`;
      await runTool({
        command: 'ffmpeg',
        args: ['-nostdin', '-v', 'error', '-y', ...inputs, '-filter_complex', filter, '-ac', '2', '-ar', '44100', '-c:a', 'pcm_s16le', partial],
        timeoutMs,
      });
    },
  });
}
