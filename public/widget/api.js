/* global URLSearchParams */
// Talks to the prediction API and turns every way a request can end into one of two outcomes:
// a result ({ found: true, result } / { found: false }) or a WidgetError with a sentence a
// person can act on. 504 (the API stopped waiting) and 202 (async mode) both carry a job id,
// which we poll until the job ends, so a slow prediction still reaches the page.

export class WidgetError extends Error {
  /**
   * @param {'input' | 'rate-limit' | 'busy' | 'timeout' | 'network' | 'server'} kind
   * @param {string} message
   * @param {{ retryAfterSeconds?: number, status?: number }} [extra]
   */
  constructor(kind, message, extra = {}) {
    super(message);
    this.name = 'WidgetError';
    this.kind = kind;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.status = extra.status;
  }
}

const REQUEST_TIMEOUT_MS = 60_000;

/**
 * @param {{ base: string, fetchImpl?: typeof fetch, pollIntervalMs?: number, maxPollMs?: number }} options
 */
export function createApiClient({ base, fetchImpl = fetch.bind(globalThis), pollIntervalMs = 1000, maxPollMs = 180_000 }) {
  const root = base.replace(/\/+$/, '');

  async function request(path, init, signal) {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await fetchImpl(root + path, { ...init, signal: combined, headers: { accept: 'application/json' } });
    } catch (err) {
      if (signal?.aborted) throw err; // the user started another request: not an error to show
      if (timeout.aborted) throw new WidgetError('timeout', 'The prediction service did not answer in time. Please try again.');
      throw new WidgetError('network', 'Could not reach the prediction service. Check your connection and try again.');
    }
  }

  async function settle(res, signal) {
    const body = await readJson(res);
    const jobId = body?.jobId ?? body?.id;
    if ((res.status === 202 || res.status === 504) && typeof jobId === 'string') return pollJob(jobId, signal);
    if (res.ok) return toOutcome(body);
    throw errorFor(res, body);
  }

  async function pollJob(jobId, signal) {
    const deadline = Date.now() + maxPollMs;
    let waitMs = pollIntervalMs;
    while (Date.now() < deadline) {
      await sleep(waitMs, signal);
      // Back off gently: a long job polled every second would eat the client's rate limit.
      waitMs = Math.min(waitMs * 1.5, 5_000);
      const res = await request(`/jobs/${encodeURIComponent(jobId)}`, { method: 'GET' }, signal);
      const body = await readJson(res);
      if (res.status === 429) {
        waitMs = Math.max(waitMs, (parseRetryAfter(res.headers.get('retry-after')) ?? 5) * 1000);
        continue;
      }
      if (!res.ok) throw errorFor(res, body);
      if (body?.state === 'completed') return toOutcome(body.result);
      if (body?.state === 'failed') {
        // A track whose preview vanished is a miss for the widget, as on the synchronous route.
        if (body.error?.status === 404) return { found: false };
        throw new WidgetError(body.error?.status >= 500 ? 'server' : 'input', body.error?.message ?? 'The prediction failed.');
      }
    }
    throw new WidgetError('timeout', 'The prediction is taking too long. Please try again in a minute.');
  }

  return {
    /** The 2017 route: artist + track. */
    predictTrack({ artist, track, signal }) {
      const query = new URLSearchParams({ artist, track });
      return request(`/d/music-prediction?${query}`, { method: 'GET' }, signal).then((res) => settle(res, signal));
    },
    /** Upload: multipart field `file`. */
    predictFile({ file, signal }) {
      const form = new FormData();
      form.append('file', file, file.name);
      return request('/predict', { method: 'POST', body: form }, signal).then((res) => settle(res, signal));
    },
  };
}

function toOutcome(body) {
  if (body && body.response === false) return { found: false };
  if (!body || !Array.isArray(body.first) || !Array.isArray(body.second)) {
    throw new WidgetError('server', 'The prediction service sent an answer this page does not understand.');
  }
  return { found: true, result: body };
}

function errorFor(res, body) {
  const serverMessage = typeof body?.error?.message === 'string' ? body.error.message : undefined;
  const retryAfterSeconds = parseRetryAfter(res.headers.get('retry-after'));
  const extra = { retryAfterSeconds, status: res.status };
  if (res.status === 429) {
    const wait = retryAfterSeconds ? ` Please try again in ${retryAfterSeconds} s.` : ' Please try again in a moment.';
    return new WidgetError('rate-limit', 'Too many requests from you in a short time.' + wait, extra);
  }
  if (res.status === 503 && retryAfterSeconds) {
    return new WidgetError('busy', `The service is busy right now. Please try again in ${retryAfterSeconds} s.`, extra);
  }
  if (res.status === 504) return new WidgetError('timeout', 'The prediction took too long. Please try again.', extra);
  if (res.status === 413) return new WidgetError('input', serverMessage ?? 'That file is too large.', extra);
  if (res.status >= 400 && res.status < 500) {
    return new WidgetError('input', serverMessage ?? 'The service could not use that request.', extra);
  }
  return new WidgetError('server', serverMessage ?? `The prediction service failed (HTTP ${res.status}). Please try again later.`, extra);
}

/** Retry-After is either seconds or an HTTP date (RFC 9110); we show whole seconds. */
export function parseRetryAfter(value) {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

async function readJson(res) {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}
