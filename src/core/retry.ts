// Which failures the engine retries and how long it waits. The SDK's own retries are off so the user sees
// every wait as a countdown they can cancel.

interface ErrorLike {
  name?: string;
  status?: number;
  headers?: { get?(name: string): string | null } | Record<string, string | undefined>;
}

export const DEFAULT_MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
/** A retry-after longer than this is not waited out in the chat; the user gets a Retry button instead. */
export const MAX_HONOURED_WAIT_MS = 5 * 60_000;

const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

function header(e: ErrorLike, name: string): string | undefined {
  const h = e.headers;
  if (!h) return undefined;
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null }).get(name) ?? undefined;
  return (h as Record<string, string | undefined>)[name];
}

/** True for failures worth trying again: rate limits, overload, 5xx, timeouts and connection errors. */
export function isRetryable(err: unknown): boolean {
  const e = (err ?? {}) as ErrorLike;
  if (e.status !== undefined) {
    const should = header(e, 'x-should-retry');
    if (should === 'false') return false;
    if (should === 'true') return true;
    return RETRYABLE_STATUS.has(e.status) || e.status >= 500;
  }
  return e.name === 'APIConnectionError' || e.name === 'APIConnectionTimeoutError';
}

/**
 * The wait before attempt `retriesSoFar + 1`: retry-after-ms, else retry-after (seconds or an HTTP date),
 * else exponential backoff with jitter: min(1 s * 2^n, 30 s) * (1 - rand * 0.25).
 */
export function retryDelayMs(err: unknown, retriesSoFar: number, now: number, rand: () => number = Math.random): number {
  const e = (err ?? {}) as ErrorLike;
  const ms = Number.parseFloat(header(e, 'retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const after = header(e, 'retry-after');
  if (after !== undefined) {
    const secs = Number.parseFloat(after);
    if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const backoff = Math.min(BASE_DELAY_MS * 2 ** retriesSoFar, MAX_BACKOFF_MS);
  return backoff * (1 - rand() * 0.25);
}
