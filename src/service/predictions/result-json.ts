// Finished results as JSON in the Redis result cache, laid out so a cache hit can answer without
// decoding, parsing and re-serialising the MFCC image. The image (base64 JPEG, ~100–140 KB) is
// >95 % of a result, and on Node 20 JSON.stringify of a string that long alone took ~0.6–0.7 ms,
// JSON.parse + UTF-8 decode of the whole value ~0.35 ms, re-encoding the reply ~0.1 ms: most of
// a cached repeat's server time (measured, docs/api.md). So the writer puts `mfcc` LAST (still
// plain JSON, any reader can JSON.parse it), and the reader parses only the few KB before it and
// keeps the image's JSON string literal as bytes, which the route copies into the reply.
import { isAscii } from 'node:buffer';
import type { PredictionResult } from '../../genre/result.js';
import type { ResultCodec } from '../queue/job-queue.js';

/** A result read back from a cache. */
export interface CachedResult {
  result: PredictionResult;
  /** `result.mfcc` as JSON text (a string literal, quotes included), when the cache kept its bytes. */
  mfccJson?: Buffer;
}

const MFCC_KEY = Buffer.from(',"mfcc":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;

/** JSON.stringify(result) with `mfcc` as the last key. */
export function serializeResult(result: PredictionResult): string {
  const { mfcc, ...rest } = result;
  const head = JSON.stringify(rest);
  return `${head === '{}' ? '{' : `${head.slice(0, -1)},`}"mfcc":${JSON.stringify(mfcc)}}`;
}

/**
 * Reads a cached value. Fast path for serializeResult's layout: the value ends with the `mfcc`
 * string literal, and that literal has no escapes and is ASCII (base64 always is), so its bytes
 * between the quotes are the string itself. Anything else (a value written by an older version,
 * with `mfcc` elsewhere) is parsed whole, as before.
 */
export function parseCachedResult(raw: Buffer): CachedResult {
  const end = raw.length;
  if (end > MFCC_KEY.length + 2 && raw[end - 1] === CLOSE_BRACE && raw[end - 2] === QUOTE) {
    const at = raw.lastIndexOf(MFCC_KEY);
    // The key's last byte is the literal's opening quote; the closing one is the byte before '}'.
    const literal = at > 0 ? raw.subarray(at + MFCC_KEY.length - 1, end - 1) : undefined;
    // Inside a JSON string every '"' is escaped: with no backslash, the only other quote must
    // be the closing one. Then `literal` is exactly one string literal and is the top-level
    // object's last member (the value's last byte closes the top-level object).
    if (literal !== undefined && literal.indexOf(BACKSLASH) === -1 && literal.indexOf(QUOTE, 1) === literal.length - 1 && isAscii(literal)) {
      const rest = JSON.parse(`${raw.toString('utf8', 0, at)}}`) as Omit<PredictionResult, 'mfcc'>;
      return { result: { ...rest, mfcc: literal.toString('latin1', 1, literal.length - 1) } as PredictionResult, mfccJson: literal };
    }
  }
  return { result: JSON.parse(raw.toString('utf8')) as PredictionResult };
}

/** Bookkeeping beside the image (labels, probabilities, segments, timings): a generous flat guess. */
const RESULT_OVERHEAD_BYTES = 4096;

/** How the job queue stores prediction results, in Redis and in process. */
export const predictionCodec: ResultCodec<PredictionResult, CachedResult> = {
  serialize: serializeResult,
  parse: parseCachedResult,
  resultOf: (hit) => hit.result,
  fresh: (result) => ({ result }),
  // The image serialised once when cached, not on every cached answer.
  forCache: (result) => ({ result, mfccJson: Buffer.from(JSON.stringify(result.mfcc)) }),
  sizeOf: (hit) => (hit.mfccJson?.length ?? hit.result.mfcc.length) + RESULT_OVERHEAD_BYTES,
  timingsOf: (result) => result.timingsMs,
};
