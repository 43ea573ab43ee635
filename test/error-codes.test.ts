// The error-code table is the one place that gives a code its HTTP status and retry class: every
// code the sources name is in it, every entry is used, and each throw site's error kind agrees
// with its entry.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ERROR_CODES, isErrorCode, type ErrorCode } from '../src/error-codes.js';
import { InputError, InternalError, NotFoundError, TransientError } from '../src/errors.js';
import { decodeFailure, encodeFailure, toAppError, toJobFailure } from '../src/service/queue/failure.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') && full !== join('src', 'error-codes.ts') ? [full] : [];
  });
}
const texts = sources('src').map((file) => ({ file, text: readFileSync(file, 'utf8') }));

test('every error code named in src/ is in the table, and every entry is named somewhere', () => {
  for (const { file, text } of texts) {
    const sites = text.matchAll(/(?:new \w+Error\(\s*|code: |'\w+Error', |refuse\(reply, |: ErrorCode = |withErrorCode\([^,]+, )'([A-Z][A-Z0-9_]+)'/g);
    for (const [, code] of sites) {
      assert.ok(isErrorCode(code!), `${file}: ${code} is not in src/error-codes.ts`);
    }
  }
  const unused = Object.keys(ERROR_CODES).filter((code) => !texts.some(({ text }) => text.includes(`'${code}'`)));
  assert.deepEqual(unused, []);
});

test("each throw site's error kind agrees with its code's entry", () => {
  const kinds: Record<string, (code: ErrorCode) => boolean> = {
    InputError: (code) => ERROR_CODES[code].permanent,
    NotFoundError: (code) => ERROR_CODES[code].status === 404 && ERROR_CODES[code].permanent,
    InternalError: (code) => ERROR_CODES[code].status === 500,
    TransientError: (code) => !ERROR_CODES[code].permanent,
    RetryLaterError: (code) => !ERROR_CODES[code].permanent,
  };
  let sites = 0;
  for (const { file, text } of texts) {
    for (const [, kind, code] of text.matchAll(/new (InputError|NotFoundError|InternalError|TransientError|RetryLaterError)\(\s*'([A-Z][A-Z0-9_]+)'/g)) {
      sites++;
      assert.ok(kinds[kind!]!(code as ErrorCode), `${file}: ${kind} ${code} disagrees with ${JSON.stringify(ERROR_CODES[code as ErrorCode])}`);
    }
  }
  assert.ok(sites > 50, `only ${sites} throw sites found: the pattern no longer matches the sources`);
});

test('an error takes status and permanence from the table, and keeps them across the queue', () => {
  const notAudio = new InputError('NOT_AUDIO', 'not audio');
  assert.deepEqual([notAudio.status, notAudio.permanent], [415, true]);
  assert.deepEqual([new TransientError('PROVIDER_TIMEOUT', 'slow').status, new TransientError('PROVIDER_TIMEOUT', 'slow').permanent], [504, false]);
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    const back = toAppError(decodeFailure(encodeFailure(toJobFailure(new InternalError(code, 'm')))));
    assert.deepEqual([back.code, back.status, back.permanent, back.message], [code, ERROR_CODES[code].status, ERROR_CODES[code].permanent, 'm'], code);
    const kind = !ERROR_CODES[code].permanent ? TransientError : ERROR_CODES[code].status === 404 ? NotFoundError : ERROR_CODES[code].status === 500 ? InternalError : InputError;
    assert.ok(back instanceof kind, `${code} came back as ${back.name}`);
  }
  // A code this build does not know (a worker of another version) is a failed job, not a crash.
  const foreign = toAppError({ code: 'SOMETHING_NEW', message: 'x', status: 418, permanent: true });
  assert.deepEqual([foreign.code, foreign.status, foreign.message], ['JOB_FAILED', 500, 'SOMETHING_NEW: x']);
});
