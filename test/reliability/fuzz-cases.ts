// The bad-input generators of the fuzz test (fast-check arbitraries), kept apart from the test so
// the mix is readable: each case is one HTTP request plus whether it reaches ffmpeg ("expensive":
// ~100 ms each, so their share is kept small by the weights below).
import fc from 'fast-check';
import { multipartBody, type MultipartPart, type SeedFormat } from './helpers.js';

export interface FuzzCase {
  family: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: Buffer | string;
  /** Gets past the multipart parser to the queue and ffmpeg. */
  expensive: boolean;
}

const SEED_FORMATS: SeedFormat[] = ['mp3', 'm4a', 'm4a-moov-last', 'wav', 'flac'];

/** Text an attacker would try: shell, SQL, path, template, header-splitting and prototype tricks. */
export const HOSTILE_TEXT = [
  '$(touch /tmp/pwned-mp)', '`touch /tmp/pwned-mp`', '; touch /tmp/pwned-mp', '| touch /tmp/pwned-mp', '&& touch /tmp/pwned-mp',
  "' OR '1'='1' --", '"; DROP TABLE tracks; --', '../../../../etc/passwd', '..\\..\\windows\\win.ini', 'file:///etc/passwd',
  'concat:/etc/passwd|/etc/hosts', 'http://169.254.169.254/latest/meta-data/', '<script>alert(1)</script>', '{{7*7}}', '${7*7}',
  '__proto__', 'constructor', 'a\r\nSet-Cookie: x=1', '\u0000', '%00', '\u202e\u0644\u0627', '🎵🎸🥁', 'ｃｏｏｌｉｏ', 'Z\u0351\u0360\u035b',
];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 1, arbitrary: fc.integer({ min: 150, max: 5_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom('Coolio', 'coolio', 'COOLIO ', 'Miles Davis') },
);

function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value.replace(/[^\w]/g, '_'); // lone surrogates cannot be URL-encoded
  }
}

/** Query strings for the widget route and for /predict and /jobs/:id. */
export const queryCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc.record({ artist: fc.option(text), track: fc.option(text), mode: fc.option(fc.constantFrom('sync', 'async', 'SYNC', '', 'x'.repeat(300))) })
    .map(({ artist, track, mode }) => {
      const params = [artist !== null ? `artist=${encode(artist)}` : '', track !== null ? `track=${encode(track)}` : '', mode !== null ? `mode=${encode(mode)}` : '']
        .filter(Boolean)
        .join('&');
      return { family: 'query: widget route', method: 'GET' as const, url: `/d/music-prediction${params ? `?${params}` : ''}`, headers: {}, expensive: false };
    }),
  fc.constantFrom(
    '/d/music-prediction?artist=a&artist=b&track=c', '/d/music-prediction?artist[]=a&track[x]=b', '/d/music-prediction?artist=%E0%A4%A&track=%',
    '/d/music-prediction?artist=%00&track=%00', '/d/music-prediction?=&&&', '/d/music-prediction?__proto__[x]=1&artist=a&track=b',
    '/d/music-prediction?artist=coolio&track=gangsta%27s%20paradise&mode=async&mode=sync', '/predict?mode=%FF', '/jobs/..%2F..%2Fetc%2Fpasswd',
    `/jobs/${'f'.repeat(33)}`, '/jobs/%00', `/d/music-prediction?artist=${'%F0%9F%8E%B5'.repeat(400)}&track=b`,
  ).map((url) => ({ family: 'query: hand-picked', method: 'GET' as const, url, headers: {}, expensive: false })),
  fc.string({ unit: 'binary', maxLength: 60 }).map((id) => ({ family: 'query: job id', method: 'GET' as const, url: `/jobs/${encode(id) || 'x'}`, headers: {}, expensive: false })),
);

/** Audio-ish bytes: random, truncated, bit-flipped, or a header that lies about the length. */
function audioBytes(seeds: Record<SeedFormat, Buffer>): fc.Arbitrary<{ kind: string; data: Buffer }> {
  const format = fc.constantFrom(...SEED_FORMATS);
  return fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 4096 }).map((a) => ({ kind: 'random bytes', data: Buffer.from(a) })),
    fc.record({ format, cut: fc.double({ min: 0, max: 1, noNaN: true }) }).map(({ format: f, cut }) => ({
      kind: `truncated ${f}`,
      data: seeds[f].subarray(0, Math.max(1, Math.floor(seeds[f].length * cut))),
    })),
    fc.record({ format, flips: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 24 }) })
      .map(({ format: f, flips }) => {
        const data = Buffer.from(seeds[f]);
        // Flips are biased to the first 512 bytes, where the headers (and the damage that matters) are.
        for (const [where, bit] of flips) {
          const at = where < 0.6 ? Math.floor(where * Math.min(512, data.length)) : Math.floor(where * (data.length - 1));
          data[at]! ^= 1 << bit;
        }
        return { kind: `bit-flipped ${f}`, data };
      }),
    fc.record({ which: fc.constantFrom('wav-riff', 'id3', 'mp4-box', 'flac-streaminfo'), tail: fc.integer({ min: 0, max: 2048 }) }).map(({ which, tail }) => ({
      kind: `lying header ${which}`,
      data: lyingHeader(which, seeds, tail),
    })),
  );
}

/** A real file whose header claims far more data than follows (or a 256-MB tag before the audio). */
function lyingHeader(which: string, seeds: Record<SeedFormat, Buffer>, tail: number): Buffer {
  if (which === 'wav-riff') {
    const wav = Buffer.from(seeds.wav.subarray(0, 44 + tail));
    wav.writeUInt32LE(0xffffffff, 4);
    wav.writeUInt32LE(0xfffffff0, 40);
    return wav;
  }
  if (which === 'id3') {
    // ID3v2 size is four 7-bit bytes: 0x7f7f7f7f ≈ 256 MB of tag that is not there.
    return Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f]), seeds.mp3.subarray(0, tail)]);
  }
  if (which === 'mp4-box') {
    const m4a = Buffer.from(seeds.m4a.subarray(0, 64 + tail));
    m4a.writeUInt32BE(0xffffffff, 0);
    return m4a;
  }
  const flac = Buffer.from(seeds.flac.subarray(0, 42 + tail));
  // STREAMINFO total samples (36 bits at byte 21.5): all ones, i.e. ~ 87 years at 22050 Hz.
  flac[21] = (flac[21]! & 0xf0) | 0x0f;
  flac.fill(0xff, 22, 26);
  return flac;
}

const filename = fc.oneof(fc.constantFrom('clip.mp3', '../../etc/passwd', '$(touch /tmp/pwned-mp).mp3', 'a;b`c`.wav', '', 'x'.repeat(900)), fc.string({ maxLength: 30 }))
  .map((name) => name.replace(/["\r\n]/g, '_'));

/** Uploads: audio-ish files in well-formed multipart, and malformed requests that stop early. */
export function uploadCase(seeds: Record<SeedFormat, Buffer>, { maxUploadBytes }: { maxUploadBytes: number }): fc.Arbitrary<FuzzCase> {
  const post = (family: string, payload: Buffer | string, contentType: string | undefined, expensive: boolean, url = '/predict'): FuzzCase => ({
    family,
    method: 'POST',
    url,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    payload,
    expensive,
  });
  const single = (file: Omit<Extract<MultipartPart, { kind: 'file' }>, 'kind'>, family: string, expensive: boolean) => {
    const { body, contentType } = multipartBody([{ kind: 'file', ...file }]);
    return post(family, body, contentType, expensive);
  };
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ audio: audioBytes(seeds), name: filename, type: fc.constantFrom('audio/mpeg', 'text/plain', 'image/png', 'application/x-sh') })
      .map(({ audio, name, type }) => single({ field: 'file', filename: name, contentType: type, data: audio.data }, `upload: ${audio.kind.split(' ').slice(0, 2).join(' ')}`, true)) },
    { weight: 2, arbitrary: fc.constant(single({ field: 'file', filename: 'empty.mp3', data: Buffer.alloc(0) }, 'upload: zero bytes', false)) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 64 * 1024 }).map((extra) =>
      single({ field: 'file', filename: 'big.wav', data: Buffer.alloc(maxUploadBytes + extra, 7) }, 'upload: oversized file', false)) },
    { weight: 2, arbitrary: fc.integer({ min: 8_000, max: 120_000 }).map((n) =>
      single({ field: 'file', filename: 'h.mp3', data: seeds.mp3, extraHeaders: `X-Pad: ${'h'.repeat(n)}\r\n` }, 'upload: huge part header', false)) },
    { weight: 2, arbitrary: fc.constantFrom('wrong', 'File', 'file[]', '').map((field) =>
      single({ field, filename: 'clip.mp3', data: seeds.mp3 }, 'multipart: wrong field name', false)) },
    { weight: 2, arbitrary: fc.integer({ min: 2, max: 15 }).map((n) => {
      const { body, contentType } = multipartBody(Array.from({ length: n }, (_, i) => ({ kind: 'file' as const, field: 'file', filename: `f${i}.mp3`, data: seeds.mp3 })));
      return post('multipart: several files', body, contentType, false);
    }) },
    { weight: 2, arbitrary: fc.array(fc.record({ field: fc.string({ maxLength: 10 }), value: fc.string({ maxLength: 2000 }) }), { maxLength: 14 }).map((fields) => {
      const { body, contentType } = multipartBody(fields.map((f) => ({ kind: 'field' as const, field: f.field.replace(/["\r\n]/g, '_'), value: f.value })));
      return post('multipart: no file', body, contentType, false);
    }) },
    { weight: 2, arbitrary: fc.record({ bytes: fc.uint8Array({ maxLength: 3000 }), type: fc.constantFrom('multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=zzz', 'multipart/mixed; boundary=x') })
      .map(({ bytes, type }) => post('multipart: garbage body', Buffer.from(bytes), type, false)) },
    { weight: 3, arbitrary: fc.record({
      type: fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/octet-stream', 'audio/mpeg', 'application/x-www-form-urlencoded', 'image/png', '***', 'text/plain; charset=utf-1234'),
      size: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 60_000, max: 200_000 })),
    }).map(({ type, size }) => post('wrong content type', Buffer.alloc(size, 0x41), type, false)) },
    { weight: 1, arbitrary: fc.constantFrom('/d/music-prediction', '/jobs/0123', '/nope').map((url) => post('POST to a GET route', seeds.mp3, 'audio/mpeg', false, url)) },
  );
}
