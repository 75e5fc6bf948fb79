// A local HTTP server speaking the Anthropic API wire protocol (../shared/reference/anthropic-wire-spec.md),
// for tests and benchmarks driving the real SDK. Binds 127.0.0.1 only.
//
//   const api = await startFakeApi();
//   const client = new Anthropic({ baseURL: api.url, apiKey: DEFAULT_TEST_KEY });
//   api.queue(reply.text('Hello'), reply.rateLimited({ retryAfterMs: 50 }), reply.toolUse('read_file', {path: 'a'}));
//   api.clock.advance(6 * 60_000);           // expire 5-minute cache entries, finish batches
//   api.requests / api.messageRequests       // everything received, with headers and parsed body
//
// Endpoints: POST /v1/messages (JSON or SSE), POST /v1/messages/count_tokens, GET /v1/models[/{id}],
// /v1/messages/batches (create, list, retrieve, cancel, delete, results). Per request, in order:
// body size (Cloudflare 413) -> auth (401) -> anthropic-version -> validation (400/404) -> the scripted reply
// (queued, else the responder's, else "You said: <last user text>").
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BatchStore, handleBatches } from './batches';
import { PromptCache } from './cache';
import { ClockOptions, FakeClock } from './clock';
import { CacheDiagnostics } from './diagnostics';
import { defaultFeatureRules, type FeatureRules } from './features';
import { ApiError, badRequest, apiError, requestId, sendCloudflare413, sendError, sendJson } from './http';
import { Engine, handleCountTokens, handleCreate, RecordedRequest, Responder } from './messages';
import { defaultModels, handleModels, ModelInput, ModelRegistry, completeModel } from './models';
import { assertReply, ScriptedReply } from './replies';
import { ThinkingSigner } from './signatures';
import { CompactionService } from './contextReply';
import { connOf } from './sse';

export { requestId } from './http';
export { estimateTokens, countInputTokens, prefixBlocks, tokens } from './tokenizer';
export { reply } from './replies';
export type { ScriptedReply, TextReply, MessageReply, ErrorReply, ReplyBlock, StreamFault, StopReason, WebResult, WebCitation } from './replies';
export type { RecordedRequest, Responder } from './messages';
export type { BatchOutcome } from './batches';
export type { FakeModel, ModelInput } from './models';
export { FakeClock } from './clock';

export const DEFAULT_TEST_KEY = 'sk-ant-test.fake-key-0000000000000000';
export const API_VERSIONS = ['2023-06-01', '2026-10-21'];

export interface FakeApiOptions {
  /** Port to listen on (default: any free port). */
  port?: number;
  /** Accepted API keys, via x-api-key or Authorization: Bearer (default [DEFAULT_TEST_KEY]). */
  apiKeys?: string[];
  /** The clock, or options for a new one (default: starts 2026-11-22T00:00Z, ticks with real time). */
  clock?: FakeClock | ClockOptions;
  /** Larger bodies get the Cloudflare 413 (default 32 MB, the Messages limit, §1). */
  maxBodyBytes?: number;
  /** Body limit for /v1/messages/batches (default 256 MB). */
  maxBatchBodyBytes?: number;
  /** Override the minimum cacheable prompt length per model id (default: spec §6.5, latest table). */
  minCacheTokens?: Record<string, number>;
  /** Extra models (or replacements by id) on top of the default lineup. */
  models?: ModelInput[];
  /** Historical 2024 rules: first message must be user, roles must alternate. Default false. */
  strict?: boolean;
  /** Fake-clock ms a batch takes to end (default 60 000). */
  batchProcessingMs?: number;
  /** Largest decoded image (default 10 MiB, the current limit; 5 MiB gives the errors seen until 2026-01). */
  imageMaxBytes?: number;
  /** Models that reject tool_choice any/tool with a 400 (default: Fable 5.1, Mythos 5.1, Opus 5.5; §4.5). */
  rejectForcedToolChoice?: string[];
  /** Models that also reject forced tool choice with adaptive thinking (default none; UNCONFIRMED, §4.5). */
  rejectForcedWithAdaptive?: string[];
  /** Server-tool iterations before stop_reason pause_turn (default 10, §6.6). */
  serverIterations?: number;
}

const MB = 1024 * 1024;

export class FakeApi implements Engine {
  readonly requests: RecordedRequest[] = [];
  readonly clock: FakeClock;
  readonly models: ModelRegistry;
  readonly cache = new PromptCache();
  readonly signer = new ThinkingSigner();
  /** Compaction blocks; `api.compaction.queue({summary})` or an error reply scripts the next on-demand compaction. */
  readonly compaction = new CompactionService();
  readonly diagnostics = new CacheDiagnostics();
  /** Forced-tool-choice lists and the server iteration limit; tests may change them (reset() restores the options). */
  features: FeatureRules;
  readonly batches: BatchStore;
  /** Errors in scripts found while serving (e.g. a responder returned a malformed reply). */
  readonly scriptErrors: string[] = [];
  strict: boolean;
  imageMaxBytes: number | undefined;
  url = '';
  private readonly replies: ScriptedReply[] = [];
  private responder: Responder | undefined;
  private readonly sockets = new Set<Socket>();
  private server: http.Server | undefined;

  constructor(readonly options: FakeApiOptions = {}) {
    this.clock = options.clock instanceof FakeClock ? options.clock : new FakeClock(options.clock);
    this.strict = options.strict ?? false;
    this.imageMaxBytes = options.imageMaxBytes;
    this.features = this.initialFeatures();
    const initial = () => {
      const list = defaultModels().map((m) => ({ ...m, minCacheTokens: options.minCacheTokens?.[m.id] ?? m.minCacheTokens }));
      for (const extra of options.models ?? []) {
        const full = completeModel(extra, this.clock.iso());
        const at = list.findIndex((m) => m.id === full.id);
        if (at >= 0) list[at] = { ...list[at], ...extra };
        else list.push(full);
      }
      return list;
    };
    this.models = new ModelRegistry(initial, () => this.clock.iso());
    this.batches = new BatchStore(this.clock);
    if (options.batchProcessingMs !== undefined) this.batches.processingMs = options.batchProcessingMs;
  }

  /** Queue replies for the next POST /v1/messages requests, in order. Throws at once on a malformed reply. */
  queue(...replies: ScriptedReply[]): void {
    for (const r of replies) assertReply(r);
    this.replies.push(...replies);
  }

  /** Called for a POST /v1/messages when nothing is queued; return undefined for the default reply. */
  setResponder(fn: Responder | undefined): void {
    if (fn !== undefined && typeof fn !== 'function') throw new Error('fake-api: setResponder needs a function or undefined');
    this.responder = fn;
  }

  /** Queued replies not consumed yet. */
  get pendingReplies(): number {
    return this.replies.length;
  }

  /** Back to the state right after start: no requests, replies, responder, cache, batches, added models. */
  reset(): void {
    this.requests.length = 0;
    this.replies.length = 0;
    this.scriptErrors.length = 0;
    this.responder = undefined;
    this.cache.clear();
    this.compaction.reset();
    this.batches.reset();
    if (this.options.batchProcessingMs !== undefined) this.batches.processingMs = this.options.batchProcessingMs;
    this.models.reset();
    this.clock.reset();
    this.strict = this.options.strict ?? false;
    this.features = this.initialFeatures();
    this.diagnostics.clear();
  }

  private initialFeatures(): FeatureRules {
    const d = defaultFeatureRules();
    const o = this.options;
    return {
      rejectForcedToolChoice: [...(o.rejectForcedToolChoice ?? d.rejectForcedToolChoice)],
      rejectForcedWithAdaptive: [...(o.rejectForcedWithAdaptive ?? d.rejectForcedWithAdaptive)],
      serverIterations: o.serverIterations ?? d.serverIterations,
    };
  }

  /** Requests to POST /v1/messages only. */
  get messageRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages');
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** @internal */
  nextReply(rec: RecordedRequest): ScriptedReply | undefined {
    return this.replies.shift() ?? this.responder?.(rec);
  }

  /** @internal */
  scriptError(message: string): void {
    this.scriptErrors.push(message);
    console.error(message);
  }

  /** @internal */
  async listen(port: number): Promise<void> {
    const server = http.createServer((req, res) => this.onRequest(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const limit = url.pathname.startsWith('/v1/messages/batches') ? (this.options.maxBatchBodyBytes ?? 256 * MB) : (this.options.maxBodyBytes ?? 32 * MB);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c); // beyond the limit: keep draining, keep nothing
    });
    req.on('end', () => {
      this.route(req, res, url, size > limit ? undefined : Buffer.concat(chunks).toString('utf8')).catch((e: unknown) => {
        const msg = `fake-api internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
        this.scriptError(msg);
        if (!res.headersSent) sendError(res, { status: 500, type: 'api_error', message: msg }, requestId());
        else res.destroy();
      });
    });
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse, url: URL, raw: string | undefined): Promise<void> {
    const reqId = requestId();
    const rec: RecordedRequest = {
      method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body: undefined,
      query: Object.fromEntries(url.searchParams), requestId: reqId, receivedAt: this.clock.now(), receivedAtReal: Date.now(),
    };
    this.requests.push(rec);
    if (raw === undefined) return sendCloudflare413(res);
    if (raw) {
      try {
        rec.body = JSON.parse(raw);
      } catch (e) {
        // Auth is still checked first.
        return sendError(res, this.authError(req.headers) ?? badRequest(`There was an issue with the format of your request: ${(e as Error).message}`), reqId); // wording UNCONFIRMED
      }
    }
    const authErr = this.authError(req.headers);
    if (authErr) return sendError(res, authErr, reqId);
    const version = req.headers['anthropic-version'];
    if (version === undefined) return sendError(res, badRequest('anthropic-version: header is required'), reqId);
    if (typeof version !== 'string' || !API_VERSIONS.includes(version)) {
      return sendError(res, badRequest(`anthropic-version: "${String(version)}" is not a valid version`), reqId); // wording UNCONFIRMED
    }
    const apiKey = keyFrom(req.headers) as string;
    const { method, path } = rec;
    const conn = connOf(req, res);
    if (method === 'POST' && path === '/v1/messages') return handleCreate(this, { rec, conn, reqId, version, apiKey });
    if (method === 'POST' && path === '/v1/messages/count_tokens') return handleCountTokens(this, { rec, conn, reqId, version, apiKey });
    if (path.startsWith('/v1/messages/batches')) {
      const r = handleBatches(this.batches, this, { method, path, query: url.searchParams, body: rec.body, apiKey, version, baseUrl: this.url });
      if ('status' in r) return sendError(res, r, reqId);
      if ('jsonl' in r) {
        res.writeHead(200, { 'content-type': 'application/x-jsonl', 'request-id': reqId }); // content type UNCONFIRMED; the SDK reads bytes
        res.end(r.jsonl);
        return;
      }
      return sendJson(res, 200, r.json, reqId);
    }
    if (method === 'GET' && /^\/v1\/models(\/.+)?$/.test(path)) {
      const r = handleModels(this.models, path, url.searchParams);
      return 'status' in r ? sendError(res, r, reqId) : sendJson(res, 200, r.body, reqId);
    }
    sendError(res, apiError(404, 'not_found_error', 'Not found'), reqId);
  }

  private authError(headers: http.IncomingHttpHeaders): ApiError | undefined {
    const key = keyFrom(headers);
    if (!key) return apiError(401, 'authentication_error', 'x-api-key header is required');
    if (!this.apiKeys.has(key)) return apiError(401, 'authentication_error', 'invalid x-api-key');
    return undefined;
  }

  private get apiKeys(): Set<string> {
    return new Set(this.options.apiKeys ?? [DEFAULT_TEST_KEY]);
  }
}

/** The key from `x-api-key` (SDK 0.x) or `Authorization: Bearer` (SDK 1.x); both accepted (§0.2 item 1). */
function keyFrom(headers: http.IncomingHttpHeaders): string | undefined {
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x) return x;
  const auth = headers['authorization'];
  if (typeof auth === 'string' && /^Bearer /i.test(auth)) return auth.slice(7).trim() || undefined;
  return undefined;
}

export async function startFakeApi(opts: FakeApiOptions = {}): Promise<FakeApi> {
  const api = new FakeApi(opts);
  await api.listen(opts.port ?? 0);
  return api;
}
