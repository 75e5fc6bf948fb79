// Turns SDK and network errors into a short message for the user plus a suggested action.
// Never includes the API key: every message passes through redact(), which knows the session's keys.
import type { ErrorView } from '../shared/protocol';
import { redact } from './redact';

interface ApiErrorLike {
  name?: string;
  message?: string;
  status?: number;
  type?: string | null;
  error?: { error?: { type?: string; message?: string } } | null;
  requestID?: string | null;
  cause?: unknown;
}

function apiMessage(e: ApiErrorLike): string | undefined {
  return e.error?.error?.message;
}

function withRequestId(msg: string, e: ApiErrorLike): string {
  return e.requestID ? `${msg} (request id ${e.requestID})` : msg;
}

export function isAbortError(err: unknown): boolean {
  const e = err as ApiErrorLike | undefined;
  return !!e && (e.name === 'APIUserAbortError' || e.name === 'AbortError');
}

/** Refusals of the key route (keyRoute.ts): a base URL the key may not go to, or a host the user did not allow. */
function routeRefusal(e: ApiErrorLike): boolean {
  return (e.name === 'EndpointError' || e.name === 'HostDeclinedError') && e.status === undefined;
}

/** `secret`: an extra string to redact besides the keys redact() already knows (kept for callers that pass it). */
export function describeError(err: unknown, secret?: string): ErrorView {
  const e = (err ?? {}) as ApiErrorLike;
  const detail = apiMessage(e);
  let view: ErrorView;
  if (routeRefusal(e)) return { message: redact(e.message ?? 'The API key was not sent.', { extra: secret }), action: 'openSettings' };
  switch (e.status) {
    case 401:
      view = { message: 'The API rejected your API key. Set a valid key with "Claude: Set API Key".', action: 'setApiKey' };
      break;
    case 403:
      view = { message: `Your API key is not allowed to do this${detail ? `: ${detail}` : '.'} Check the key's workspace and permissions.`, action: 'setApiKey' };
      break;
    case 404:
      view = { message: `Not found${detail ? `: ${detail}` : ''}. Check the model in the claudeChat.model setting or the model picker.`, action: 'openSettings' };
      break;
    case 413:
      view = { message: 'The request is too large for the API. Remove attached context or start a new chat.' };
      break;
    case 429:
      view = { message: `Rate limited by the API${detail ? `: ${detail}` : '.'} Wait a moment and retry.`, action: 'retry' };
      break;
    case 529:
      view = { message: 'The API is overloaded right now. Retry in a moment.', action: 'retry' };
      break;
    case 400:
      view = /prompt is too long/i.test(detail ?? '')
        ? { message: `The conversation no longer fits the model's context window (${detail}). Leave out the oldest turns and retry?`, action: 'trim' }
        : { message: `The API refused the request: ${detail ?? e.message ?? 'invalid request'}` };
      break;
    default:
      if (e.status !== undefined && e.status >= 500) {
        view = { message: `The API had an internal error (${e.status}). Retry in a moment.`, action: 'retry' };
      } else if (e.name === 'APIConnectionTimeoutError') {
        view = { message: 'The request timed out. Check your connection or the claudeChat.baseURL setting, then retry.', action: 'retry' };
      } else if (e.name === 'APIConnectionError') {
        view = { message: 'Could not reach the API. Check your connection or the claudeChat.baseURL setting, then retry.', action: 'retry' };
      } else if (e.status === undefined && (e.type || detail)) {
        // An `event: error` inside a stream that had already started (HTTP 200).
        view = { message: `The stream was interrupted by the API (${e.type ?? 'error'}${detail ? `: ${detail}` : ''}). The partial reply is kept.`, action: 'retry' };
      } else {
        view = { message: `Request failed: ${e.message ?? String(err)}`, action: 'retry' };
      }
  }
  return { ...view, message: redact(withRequestId(view.message, e), { extra: secret }) };
}
