// The one ffmpeg command line that decodes user audio (the warm pool and the cold path share it):
// which demuxers and protocols it may open, the resampler, and the limits on what it reads.
// test/audio/decode-arguments.test.ts pins it.

export const RESAMPLERS = ['auto', 'soxr', 'swr'] as const;
export type Resampler = (typeof RESAMPLERS)[number];

/**
 * The demuxers ffmpeg may use (-format_whitelist; the names of `ffmpeg -demuxers` in 4.x and 5.x):
 * the audio containers the service accepts. Not concat, hls, image or subtitle formats.
 */
export const INPUT_FORMATS = 'mp3,mov,mp4,m4a,3gp,3g2,mj2,wav,w64,ogg,flac,matroska,webm,aac,aiff,caf,asf,au,amr';

/**
 * One aresample does the downmix and the rate change. rematrix_maxval=1 makes swr normalise the
 * downmix row to sum 1, i.e. stereo → (L+R)/2 like librosa's mean over channels; ffmpeg's default
 * for float output is 0.707·(L+R), 3 dB louder (c0 off by ≈ 34 on the golden mp3).
 * scripts/build-ffmpeg.sh checks its build with this same chain (22050 Hz, soxr): keep the two in
 * step, or that byte-identity check stops covering what the service runs.
 */
function resampleFilter({ sampleRate, useSoxr }: { sampleRate: number; useSoxr: boolean }): string {
  return `aresample=${sampleRate}:rematrix_maxval=1${useSoxr ? ':resampler=soxr' : ''}`;
}

/**
 * The decode command line for `source` (`file:<path>` or `pipe:0`), output as raw mono f32le on
 * stdout. Written out by hand (fluent-ffmpeg has no public way to get its argument list without
 * spawning, and its spawn path crashes on EMFILE); test/audio/decode-arguments.test.ts pins it.
 */
export function decodeArguments({ source, sampleRate, maxSeconds, useSoxr }: {
  source: string;
  sampleRate: number;
  maxSeconds: number;
  useSoxr: boolean;
}): string[] {
  const protocol = source.startsWith('file:') ? 'file' : 'pipe';
  const filters = [resampleFilter({ sampleRate, useSoxr }), 'aformat=sample_fmts=flt:channel_layouts=mono'];
  return [
    '-hide_banner', '-v', 'error', '-nostdin', '-protocol_whitelist', protocol, '-format_whitelist', INPUT_FORMATS,
    // Input-side -t too: with the output-side one alone ffmpeg first resamples a whole demuxer
    // packet, which under a header claiming a 1-Hz rate is hours of audio (docs/reliability.md).
    '-t', String(maxSeconds), '-i', source,
    '-ac', '1', '-ar', String(sampleRate), '-filter:a', filters.join(','),
    '-map', '0:a:0', '-vn', '-sn', '-dn', '-t', String(maxSeconds),
    '-f', 'f32le', 'pipe:1',
  ];
}
