// A local HTTP server speaking the Anthropic Messages wire protocol (../shared/reference/anthropic-wire-spec.md).
// Binds 127.0.0.1 only. Tests script replies per request (queue) or install a responder; every request is recorded.
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export const DEFAULT_TEST_KEY = 'sk-ant-api03-test-key-0000000000000000';

export interface TextReply {
  kind: 'text';
  text: string;
  /** Characters per text_delta (default 8). */
  chunkSize?: number;
  /** Delay before each delta, ms (default 0). */
  delayMs?: number;
  stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal';
}

export interface ErrorReply {
  kind: 'error';
  status: number;
  errorType: string;
  message: string;
  headers?: Record<string, string>;
}

export type ScriptedReply = TextReply | ErrorReply;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export type Responder = (req: RecordedRequest) => ScriptedReply | undefined;

export interface FakeApiOptions {
  port?: number;
  apiKeys?: string[];
}

interface MessagesBody {
  model?: unknown;
  max_tokens?: unknown;
  messages?: unknown;
  stream?: unknown;
  system?: unknown;
}

export class FakeApi {
  readonly requests: RecordedRequest[] = [];
  private readonly replies: ScriptedReply[] = [];
  private responder: Responder | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(private readonly server: http.Server, readonly url: string, private readonly apiKeys: Set<string>) {
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** Queue replies for the next POST /v1/messages requests, in order. */
  queue(...replies: ScriptedReply[]): void {
    for (const r of replies) validateReply(r);
    this.replies.push(...replies);
  }

  setResponder(fn: Responder | undefined): void {
    this.responder = fn;
  }

  reset(): void {
    this.requests.length = 0;
    this.replies.length = 0;
    this.responder = undefined;
  }

  /** Requests to POST /v1/messages only. */
  get messageRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages');
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** @internal */
  nextReply(req: RecordedRequest): ScriptedReply | undefined {
    return this.replies.shift() ?? this.responder?.(req);
  }

  /** @internal */
  isKnownKey(key: string | undefined): boolean {
    return key !== undefined && this.apiKeys.has(key);
  }
}

function validateReply(r: ScriptedReply): void {
  if (!r || typeof r !== 'object') throw new Error(`fake-api: reply must be an object, got ${JSON.stringify(r)}`);
  if (r.kind === 'text') {
    if (typeof r.text !== 'string') throw new Error('fake-api: text reply needs a string `text`');
    if (r.chunkSize !== undefined && !(Number.isInteger(r.chunkSize) && r.chunkSize > 0))
      throw new Error('fake-api: chunkSize must be a positive integer');
  } else if (r.kind === 'error') {
    if (!Number.isInteger(r.status) || r.status < 400) throw new Error('fake-api: error reply needs a 4xx/5xx status');
  } else {
    throw new Error(`fake-api: unknown reply kind ${JSON.stringify((r as { kind?: unknown }).kind)}`);
  }
}

export function requestId(): string {
  return 'req_011C' + randomBytes(12).toString('base64url').slice(0, 20);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, reqId: string, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': reqId,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, type: string, message: string, reqId: string, headers: Record<string, string> = {}): void {
  const retry = status === 429 || status >= 500 ? 'true' : 'false';
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: reqId }, reqId, { 'x-should-retry': retry, ...headers });
}

function keyFrom(headers: http.IncomingHttpHeaders): string | undefined {
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x) return x;
  const auth = headers['authorization'];
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7);
  return undefined;
}

/** Rough deterministic token estimate: one token per 4 characters, at least 1. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function promptText(body: MessagesBody): string {
  return JSON.stringify([body.system ?? '', body.messages ?? []]);
}

const MODELS = [
  { id: 'claude-fable-5-2', display_name: 'Claude Fable 5.2', created_at: '2026-11-09T00:00:00Z' },
  { id: 'claude-opus-5-5', display_name: 'Claude Opus 5.5', created_at: '2026-10-01T00:00:00Z' },
  { id: 'claude-sonnet-5-5', display_name: 'Claude Sonnet 5.5', created_at: '2026-09-28T00:00:00Z' },
  { id: 'claude-haiku-5-5', display_name: 'Claude Haiku 5.5', created_at: '2026-10-07T00:00:00Z' },
  { id: 'claude-opus-4-8', display_name: 'Claude Opus 4.8', created_at: '2026-05-28T00:00:00Z' },
].map((m) => ({ type: 'model', max_input_tokens: 1_000_000, max_tokens: 128_000, ...m }));

function lastUserText(body: MessagesBody): string {
  const msgs = Array.isArray(body.messages) ? body.messages : [];
  const last = msgs[msgs.length - 1] as { content?: unknown } | undefined;
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  if (Array.isArray(last.content)) {
    return last.content.map((b: { type?: string; text?: string }) => (b.type === 'text' ? b.text : '')).join('');
  }
  return '';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function streamText(res: http.ServerResponse, req: http.IncomingMessage, reply: TextReply, body: MessagesBody, reqId: string): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': reqId });
  let closed = false;
  res.on('close', () => { closed = true; });
  const write = (event: string, data: object) => {
    if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  };
  const inputTokens = estimateTokens(promptText(body));
  write('message_start', {
    message: {
      id: 'msg_' + randomBytes(12).toString('hex'), type: 'message', role: 'assistant', content: [], model: body.model,
      stop_reason: null, stop_sequence: null,
      usage: { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1, service_tier: 'standard' },
    },
  });
  write('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  write('ping', {});
  const size = reply.chunkSize ?? 8;
  for (let i = 0; i < reply.text.length && !closed; i += size) {
    if (reply.delayMs) await sleep(reply.delayMs);
    write('content_block_delta', { index: 0, delta: { type: 'text_delta', text: reply.text.slice(i, i + size) } });
  }
  if (closed) return;
  write('content_block_stop', { index: 0 });
  write('message_delta', { delta: { stop_reason: reply.stopReason ?? 'end_turn', stop_sequence: null }, usage: { output_tokens: estimateTokens(reply.text) } });
  write('message_stop', {});
  res.end();
}

async function handleMessages(api: FakeApi, rec: RecordedRequest, req: http.IncomingMessage, res: http.ServerResponse, reqId: string): Promise<void> {
  const body = (rec.body ?? {}) as MessagesBody;
  if (body.max_tokens === undefined) return sendError(res, 400, 'invalid_request_error', 'max_tokens: Field required', reqId);
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return sendError(res, 400, 'invalid_request_error', 'messages: at least one message is required', reqId);
  if (typeof body.model !== 'string' || !MODELS.some((m) => m.id === body.model))
    return sendError(res, 404, 'not_found_error', `model: ${String(body.model)}`, reqId);
  const reply = api.nextReply(rec) ?? { kind: 'text', text: `You said: ${lastUserText(body)}` };
  if (reply.kind === 'error') return sendError(res, reply.status, reply.errorType, reply.message, reqId, reply.headers);
  if (body.stream === true) return streamText(res, req, reply, body, reqId);
  sendJson(res, 200, {
    id: 'msg_' + randomBytes(12).toString('hex'), type: 'message', role: 'assistant', model: body.model,
    content: [{ type: 'text', text: reply.text }], stop_reason: reply.stopReason ?? 'end_turn', stop_sequence: null,
    usage: { input_tokens: estimateTokens(promptText(body)), cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: estimateTokens(reply.text), service_tier: 'standard' },
  }, reqId);
}

export async function startFakeApi(opts: FakeApiOptions = {}): Promise<FakeApi> {
  let api!: FakeApi;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reqId = requestId();
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return sendError(res, 400, 'invalid_request_error', 'There was an issue with the format of your request: invalid JSON', reqId);
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rec: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body };
      api.requests.push(rec);
      const key = keyFrom(req.headers);
      if (!key) return sendError(res, 401, 'authentication_error', 'x-api-key header is required', reqId);
      if (!api.isKnownKey(key)) return sendError(res, 401, 'authentication_error', 'invalid x-api-key', reqId);
      if (rec.method === 'GET' && rec.path === '/v1/models') {
        return sendJson(res, 200, { data: MODELS, has_more: false, first_id: MODELS[0].id, last_id: MODELS[MODELS.length - 1].id }, reqId);
      }
      if (rec.method === 'POST' && rec.path === '/v1/messages') {
        handleMessages(api, rec, req, res, reqId).catch((e) => {
          if (!res.headersSent) sendError(res, 500, 'api_error', String(e), reqId);
          else res.destroy();
        });
        return;
      }
      sendError(res, 404, 'not_found_error', 'Not found', reqId);
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  api = new FakeApi(server, `http://127.0.0.1:${port}`, new Set(opts.apiKeys ?? [DEFAULT_TEST_KEY]));
  return api;
}
