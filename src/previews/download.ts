import { isIP } from 'node:net';
import { request, type Dispatcher } from 'undici';
import { AppError, InputError, NotFoundError, TransientError } from '../errors.js';
import { isAddressAllowed } from './address-policy.js';
import { isHostAllowed, normalizeHost } from './hosts.js';
import { defaultPreviewDispatcher } from './safe-dispatcher.js';

const MAX_REDIRECTS = 3;

/**
 * Downloads a preview file safely (the URL comes from a provider's answer: outside input).
 * Every hop, redirects included (followed by hand, at most 3): https only unless `allowInsecure`;
 * host in `allowedHosts` (see hosts.ts); an IP literal must be public (loopback allowed only with
 * `allowInsecure`); names are checked at connect time by the dispatcher (safe-dispatcher.ts).
 * `timeoutMs` bounds the whole download; the body is capped at `maxBytes`.
 *
 * Errors (permanent = retrying the same URL cannot help):
 * - PREVIEW_FORBIDDEN   InputError 502, permanent: refused scheme, host, address, or > 3 redirects
 * - PREVIEW_NOT_FOUND   NotFoundError 404, permanent: 403/404/410 (Deezer tokens expire): a miss,
 *                       or resolve again for a fresh URL
 * - PREVIEW_TOO_LARGE   InputError 502, permanent: Content-Length or streamed bytes > maxBytes
 * - PREVIEW_TIMEOUT     TransientError 504
 * - PREVIEW_UNAVAILABLE TransientError 502: 5xx, other statuses, empty body, network failure
 *
 * `dispatcher` replaces the default safe Agent: pass one from createPreviewDispatcher, or the
 * address check is gone.
 */
export async function downloadPreview({
  url,
  allowedHosts,
  allowInsecure,
  maxBytes,
  timeoutMs,
  dispatcher = defaultPreviewDispatcher(allowInsecure),
  signal,
}: {
  url: string;
  allowedHosts: readonly string[];
  allowInsecure: boolean;
  maxBytes: number;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
}): Promise<Buffer> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let current = parseUrl(url);
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      checkUrl({ url: current, allowedHosts, allowInsecure });
      const res = await request(current, {
        method: 'GET',
        headers: { 'user-agent': 'music-prediction', accept: 'audio/*' },
        dispatcher,
        signal: combined,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
        await res.body.dump();
        current = parseUrl(location, current);
        continue;
      }
      if ([403, 404, 410].includes(res.statusCode)) {
        await res.body.dump();
        throw new NotFoundError('PREVIEW_NOT_FOUND', `preview gone (HTTP ${res.statusCode}); its link may have expired`);
      }
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        throw new TransientError('PREVIEW_UNAVAILABLE', `preview download failed (HTTP ${res.statusCode})`);
      }
      return await readCapped({ body: res.body, declaredLength: Number(res.headers['content-length'] ?? NaN), maxBytes });
    }
    throw new InputError('PREVIEW_FORBIDDEN', `preview refused: more than ${MAX_REDIRECTS} redirects`);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (signal?.aborted) throw signal.reason;
    const forbidden = findForbiddenAddress(err);
    if (forbidden) throw new InputError('PREVIEW_FORBIDDEN', `preview refused: ${forbidden}`, { cause: err });
    if (timeout.aborted || isTimeoutCode(err)) {
      throw new TransientError('PREVIEW_TIMEOUT', `preview download took longer than ${timeoutMs} ms`, { cause: err });
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new TransientError('PREVIEW_UNAVAILABLE', `preview download failed (${reason})`, { cause: err });
  }
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch {
    throw new InputError('PREVIEW_FORBIDDEN', 'preview refused: not a valid URL');
  }
}

/** The checks that need no network: scheme, credentials, host allowlist, IP literals. */
export function checkUrl({ url, allowedHosts, allowInsecure }: { url: URL; allowedHosts: readonly string[]; allowInsecure: boolean }): void {
  const refuse = (why: string): never => {
    throw new InputError('PREVIEW_FORBIDDEN', `preview refused: ${why}`);
  };
  if (url.protocol !== 'https:' && !(allowInsecure && url.protocol === 'http:')) refuse(`${url.protocol} URLs are not allowed (https only)`);
  if (url.username || url.password) refuse('URLs with credentials are not allowed');
  const host = normalizeHost(url.hostname);
  if (!isHostAllowed({ host, allowedHosts })) refuse(`host ${host} is not in the allowlist`);
  if (isIP(host) !== 0 && !isAddressAllowed({ address: host, allowLoopback: allowInsecure })) refuse(`address ${host} is not public`);
}

async function readCapped({ body, declaredLength, maxBytes }: { body: AsyncIterable<Buffer> & { destroy(): void }; declaredLength: number; maxBytes: number }): Promise<Buffer> {
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    body.destroy();
    throw new InputError('PREVIEW_TOO_LARGE', `preview is ${declaredLength} bytes, more than the ${maxBytes}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      throw new InputError('PREVIEW_TOO_LARGE', `preview exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(chunk);
  }
  if (total === 0) throw new TransientError('PREVIEW_UNAVAILABLE', 'preview download returned no bytes');
  return Buffer.concat(chunks, total);
}

function findForbiddenAddress(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if ((e as { code?: unknown }).code === 'PREVIEW_FORBIDDEN_ADDRESS') return (e as Error).message;
  }
  return null;
}

function isTimeoutCode(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}
