// ffmpeg's raw f32le stdout → Float32Array chunks for a streaming consumer (decode.ts's
// onSamples, which feeds the MFCC accumulator while ffmpeg still decodes). Pipe chunks have
// arbitrary byte lengths: the 0–3 bytes of a sample split across two chunks are carried over.
// Each chunk is copied into a fresh Float32Array (a Buffer's byteOffset need not be a multiple of
// 4, and the consumer may keep what it gets). Like the rest of decode.ts, this assumes a
// little-endian host (x86, ARM).

export interface SampleFeed {
  /**
   * The byte listener for one ffmpeg run over the whole input. A later run (the cold retry after
   * a warm process died mid-decode) produces the same bytes from byte 0 — same binary, same
   * command line; the warm-vs-cold test checks byte identity — so the bytes an earlier run already
   * delivered are skipped and the consumer sees every sample exactly once.
   */
  run(): (chunk: Uint8Array) => void;
  /** Bytes handed on so far (samples delivered × 4 + the carried partial sample). */
  readonly deliveredBytes: number;
}

export function createSampleFeed({ onSamples }: { onSamples: (chunk: Float32Array) => void }): SampleFeed {
  const carry = new Uint8Array(4);
  let carried = 0;
  let delivered = 0;

  const deliver = (bytes: Uint8Array): void => {
    delivered += bytes.length;
    const count = (carried + bytes.length) >> 2;
    if (count === 0) {
      carry.set(bytes, carried);
      carried += bytes.length;
      return;
    }
    const samples = new Float32Array(count);
    const view = new Uint8Array(samples.buffer);
    const fromChunk = count * 4 - carried;
    view.set(carry.subarray(0, carried), 0);
    view.set(bytes.subarray(0, fromChunk), carried);
    carry.set(bytes.subarray(fromChunk), 0);
    carried = bytes.length - fromChunk;
    onSamples(samples);
  };

  return {
    run() {
      let skip = delivered;
      return (chunk) => {
        if (skip >= chunk.length) {
          skip -= chunk.length;
          return;
        }
        const fresh = skip > 0 ? chunk.subarray(skip) : chunk;
        skip = 0;
        deliver(fresh);
      };
    },
    get deliveredBytes() {
      return delivered;
    },
  };
}
