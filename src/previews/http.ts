import { request, type Dispatcher } from 'undici';
import { AppError, TransientError } from '../errors.js';

/**
 * A search answer is JSON for at most a few dozen tracks (25 by default). Far beyond that the
 * provider is broken or hostile, and reading on would only cost memory (a stand-in answering
 * gigabytes killed the process before this cap).
 */
export const MAX_PROVIDER_BODY_BYTES = 512 * 1024;

/**
 * One JSON call to a provider API with a total time limit, mapped onto the documented errors:
 * timeout → PROVIDER_TIMEOUT (504); network failure → PROVIDER_UNAVAILABLE (502); HTTP 429 →
 * PROVIDER_QUOTA (503); other non-2xx or a body that is not JSON → PROVIDER_UNAVAILABLE (502); a
 * body over `maxBytes` (declared or streamed) → PROVIDER_RESPONSE_TOO_LARGE (502), read no further.
 * A caller's own abort (client went away) is rethrown untouched.
 */
export async function fetchProviderJson({
  provider,
  url,
  timeoutMs,
  dispatcher,
  signal,
  method = 'GET',
  headers,
  body,
  passStatuses = [],
  maxBytes = MAX_PROVIDER_BODY_BYTES,
}: {
  provider: string;
  url: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Non-2xx statuses the caller handles itself (answered with `json: null` if not JSON). */
  passStatuses?: readonly number[];
  maxBytes?: number;
}): Promise<{ status: number; json: unknown }> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const res = await request(url, {
      method,
      headers: { accept: 'application/json', 'user-agent': 'music-prediction', ...headers },
      body,
      signal: combined,
      dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await readCappedText({ res, provider, maxBytes });
    if (passStatuses.includes(res.statusCode)) return { status: res.statusCode, json: parseOrNull(text) };
    if (res.statusCode === 429) {
      throw new TransientError('PROVIDER_QUOTA', `${provider}: rate limited by the provider (HTTP 429)`);
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw new TransientError('PROVIDER_UNAVAILABLE', `${provider}: HTTP ${res.statusCode} from the provider`);
    }
    try {
      return { status: res.statusCode, json: JSON.parse(text) as unknown };
    } catch (cause) {
      throw new TransientError('PROVIDER_UNAVAILABLE', `${provider}: malformed JSON from the provider`, { cause });
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (signal?.aborted) throw signal.reason;
    if (timeout.aborted || isUndiciTimeout(err)) {
      throw new TransientError('PROVIDER_TIMEOUT', `${provider}: no answer within ${timeoutMs} ms`, { cause: err });
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new TransientError('PROVIDER_UNAVAILABLE', `${provider}: unreachable (${reason})`, { cause: err });
  }
}

/** The body as text, refused (and the connection dropped) as soon as it is known to exceed maxBytes. */
async function readCappedText({ res, provider, maxBytes }: { res: Dispatcher.ResponseData; provider: string; maxBytes: number }): Promise<string> {
  const tooLarge = () => {
    res.body.destroy();
    return new TransientError('PROVIDER_RESPONSE_TOO_LARGE', `${provider}: the provider's answer exceeds ${maxBytes} bytes`);
  };
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isUndiciTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

/** Reads a string field defensively: providers' JSON is outside input. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
