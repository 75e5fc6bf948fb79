// Low-level response helpers shared by every endpoint: JSON bodies, the error envelope (spec §4.1),
// the Cloudflare 413 (§4.3), request ids (§0.2 item 7) and rate-limit headers (§4.4).
import type * as http from 'node:http';
import { randomBytes } from 'node:crypto';

/** An API error the fake will answer with: status, `error.type`, `error.message`. */
export interface ApiError {
  status: number;
  type: string;
  message: string;
  /** Extra response headers (e.g. retry-after). */
  headers?: Record<string, string>;
  /** `error.details` (SDK 1.x maps `details.error_code` to subclasses). */
  details?: Record<string, unknown>;
}

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random base62 string of `n` characters (ids look like the real `req_011C…`, `msg_01…`, `toolu_01…`). */
export function base62(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += B62[bytes[i] % 62];
  return s;
}

export function requestId(): string {
  return 'req_011C' + base62(20);
}

export function apiError(status: number, type: string, message: string, headers?: Record<string, string>): ApiError {
  return { status, type, message, headers };
}

/** Shorthand for the commonest case: 400 invalid_request_error. */
export function badRequest(message: string): ApiError {
  return apiError(400, 'invalid_request_error', message);
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  reqId: string | undefined,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(reqId ? { 'request-id': reqId } : {}),
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * Sends the standard error envelope `{type:"error", error:{type,message}, request_id}` with `x-should-retry`
 * (true for 408/409/429/5xx, false otherwise, as real responses carry it; §1.2). A 413 is answered the way
 * Cloudflare answers it instead: no top-level `type`, no `request_id`, and (since the request never reached
 * the API) no `request-id` header.
 */
export function sendError(res: http.ServerResponse, err: ApiError, reqId: string): void {
  if (err.status === 413) return sendCloudflare413(res);
  const retry = err.status === 408 || err.status === 409 || err.status === 429 || err.status >= 500;
  const error: Record<string, unknown> = { type: err.type, message: err.message };
  if (err.details) error.details = err.details;
  sendJson(res, err.status, { type: 'error', error, request_id: reqId }, reqId, {
    'x-should-retry': retry ? 'true' : 'false',
    ...(err.headers ?? {}),
  });
}

export function sendCloudflare413(res: http.ServerResponse): void {
  sendJson(res, 413, { error: { type: 'request_too_large', message: 'Request exceeds the maximum size' } }, undefined, {
    server: 'cloudflare',
    connection: 'close',
  });
}

/** The error types the docs map to each status (spec §4.1); used when a script gives only a status. */
export function errorTypeForStatus(status: number): string {
  const map: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    402: 'billing_error',
    403: 'permission_error',
    404: 'not_found_error',
    409: 'conflict_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    500: 'api_error',
    504: 'timeout_error',
    529: 'overloaded_error',
  };
  return map[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** The status that goes with an error type (for faults scripted by type only). */
export function statusForErrorType(type: string): number {
  const map: Record<string, number> = {
    invalid_request_error: 400,
    authentication_error: 401,
    billing_error: 402,
    permission_error: 403,
    not_found_error: 404,
    conflict_error: 409,
    request_too_large: 413,
    rate_limit_error: 429,
    api_error: 500,
    timeout_error: 504,
    overloaded_error: 529,
  };
  return map[type] ?? 500;
}

export interface RateLimitState {
  requestsLimit?: number;
  requestsRemaining?: number;
  inputTokensLimit?: number;
  inputTokensRemaining?: number;
  outputTokensLimit?: number;
  outputTokensRemaining?: number;
  /** Seconds until the buckets refill (reset headers = now + this). Default 60. */
  resetInSeconds?: number;
}

/** The `anthropic-ratelimit-*` header set (spec §4.4), reset times in RFC 3339 from the fake clock. */
export function rateLimitHeaders(nowMs: number, s: RateLimitState = {}): Record<string, string> {
  const reset = new Date(nowMs + (s.resetInSeconds ?? 60) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const rl = s.requestsLimit ?? 4000;
  const il = s.inputTokensLimit ?? 2_000_000;
  const ol = s.outputTokensLimit ?? 400_000;
  const ir = s.inputTokensRemaining ?? il;
  const or = s.outputTokensRemaining ?? ol;
  // "tokens" is the most restrictive combined limit, remaining rounded to the nearest thousand.
  const tl = il + ol;
  const tr = Math.round((ir + or) / 1000) * 1000;
  return {
    'anthropic-ratelimit-requests-limit': String(rl),
    'anthropic-ratelimit-requests-remaining': String(s.requestsRemaining ?? rl - 1),
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-input-tokens-limit': String(il),
    'anthropic-ratelimit-input-tokens-remaining': String(ir),
    'anthropic-ratelimit-input-tokens-reset': reset,
    'anthropic-ratelimit-output-tokens-limit': String(ol),
    'anthropic-ratelimit-output-tokens-remaining': String(or),
    'anthropic-ratelimit-output-tokens-reset': reset,
    'anthropic-ratelimit-tokens-limit': String(tl),
    'anthropic-ratelimit-tokens-remaining': String(tr),
    'anthropic-ratelimit-tokens-reset': reset,
  };
}

/** Parses `limit`, `after_id`, `before_id` the way list endpoints do (§7.2): limit 1..1000, default 20. */
export function pageParams(q: URLSearchParams): { limit: number; afterId?: string; beforeId?: string } | ApiError {
  const raw = q.get('limit');
  let limit = 20;
  if (raw !== null) {
    if (!/^\d+$/.test(raw)) return badRequest('limit: Input should be a valid integer, unable to parse string as an integer');
    limit = Number(raw);
    if (limit < 1) return badRequest('limit: Input should be greater than or equal to 1');
    if (limit > 1000) return badRequest('limit: Input should be less than or equal to 1000');
  }
  const afterId = q.get('after_id') ?? undefined;
  const beforeId = q.get('before_id') ?? undefined;
  if (afterId && beforeId) return badRequest('Only one of after_id and before_id may be provided.'); // UNCONFIRMED wording
  return { limit, afterId, beforeId };
}

/** One page of `items` (already ordered newest first) in the list envelope {data, has_more, first_id, last_id}. */
export function paginate<T extends { id: string }>(
  items: readonly T[],
  p: { limit: number; afterId?: string; beforeId?: string },
): { data: T[]; has_more: boolean; first_id: string | null; last_id: string | null } {
  let data: T[];
  let hasMore: boolean;
  if (p.beforeId !== undefined) {
    const end = items.findIndex((m) => m.id === p.beforeId);
    const stop = end < 0 ? 0 : end;
    const start = Math.max(0, stop - p.limit);
    data = items.slice(start, stop);
    hasMore = start > 0;
  } else {
    const at = p.afterId !== undefined ? items.findIndex((m) => m.id === p.afterId) : -1;
    const start = p.afterId !== undefined ? (at < 0 ? items.length : at + 1) : 0;
    data = items.slice(start, start + p.limit);
    hasMore = start + p.limit < items.length;
  }
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
}
