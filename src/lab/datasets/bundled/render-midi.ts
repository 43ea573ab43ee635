import { runTool } from './run-tool.js';
import { produceWavOnce } from './wav-output.js';

/**
 * Renders a MIDI file to a 44.1 kHz stereo WAV with fluidsynth and one soundfont. Reverb/chorus
 * and gain are passed in so callers can vary the "room" per render with a seed.
 */
export async function renderMidi({
  midi,
  output,
  soundfont,
  gain = 0.6,
  reverb = true,
  chorus = true,
  timeoutMs = 180_000,
}: {
  midi: string;
  output: string;
  soundfont: string;
  gain?: number;
  reverb?: boolean;
  chorus?: boolean;
  timeoutMs?: number;
}): Promise<void> {
  await produceWavOnce({
    output,
    render: async (partial) => {
      await runTool({
        command: 'fluidsynth',
        args: [
          '-ni', '-q', '-g', gain.toFixed(2), '-r', '44100', '-T', 'wav', '-F', partial,
          '-o', `synth.reverb.active=${reverb ? 1 : 0}`, '-o', `synth.chorus.active=${chorus ? 1 : 0}`,
          soundfont, midi,
        ],
        timeoutMs,
      });
    },
  });
}
