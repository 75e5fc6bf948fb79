// POST /v1/messages and POST /v1/messages/count_tokens: validate, look the model up, take the scripted reply
// (or the default echo), account for the prompt cache, deliver as SSE or JSON.
import type { CacheUsage, Breakpoint, PromptCache } from './cache';
import { resolveBreakpoints } from './cache';
import type { FakeClock } from './clock';
import { ApiError, apiError, badRequest, errorTypeForStatus, rateLimitHeaders, sendError, sendJson } from './http';
import type { FakeModel, ModelRegistry } from './models';
import { lastUserText, planMessage } from './plan';
import { assertReply, DEFAULT_ERROR_MESSAGES, ErrorReply, ScriptedReply } from './replies';
import type { ThinkingSigner } from './signatures';
import { Conn, deliverJson, deliverStream } from './sse';
import { canonical, countInputTokens, PrefixBlock, prefixBlocks, Ttl } from './tokenizer';
import { compactionBeta } from './betas';
import { checkCompactionBlocks, effectiveMessages } from './compactionBlocks';
import { applyClearing, checkContextParams } from './contextManagement';
import { CompactionService, ContextState, decorateReply, onDemandCheck, onDemandReply } from './contextReply';
import { Mode, validateForModel, validateRequest } from './validate';
import { betasOf } from './betas';
import type { MessageRules } from './validate-messages';

type Obj = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: import('node:http').IncomingHttpHeaders;
  body: unknown;
  /** Query parameters (repeated names keep the last value). */
  query: Record<string, string>;
  /** The request-id the fake answered with. */
  requestId: string;
  /** Fake-clock time the request arrived (ms). */
  receivedAt: number;
  /** Real time the request arrived (Date.now()), for measuring retry delays. */
  receivedAtReal: number;
  /** For a 200 from POST /v1/messages: the usage reported. */
  usage?: CacheUsage & { output_tokens: number };
  /** For a request refused by validation (e.g. "prompt is too long"): the error message. */
  error?: string;
}

export type Responder = (req: RecordedRequest) => ScriptedReply | undefined;

/** What the message handlers need from the fake. */
export interface Engine {
  models: ModelRegistry;
  cache: PromptCache;
  signer: ThinkingSigner;
  clock: FakeClock;
  strict: boolean;
  /** Compaction blocks: signing, checking, scripted on-demand results (contextReply.ts). */
  compaction: CompactionService;
  /** Next queued reply, else the responder's; may throw on a malformed responder reply. */
  nextReply(rec: RecordedRequest): ScriptedReply | undefined;
  scriptError(message: string): void;
}

export interface Prepared {
  body: Obj;
  model: FakeModel;
  blocks: PrefixBlock[];
  breakpoints: Breakpoint[];
  inputTokens: number;
  /** Context management: compaction blocks applied, clearing edits applied, the betas (contextManagement.ts). */
  context: ContextState;
}

export function rulesFor(engine: Engine, version: string): MessageRules {
  return { version, signer: engine.signer, strict: engine.strict };
}

/** All validation for one request; returns the prepared prompt or the API error to answer with. */
export function prepare(engine: Engine, body: unknown, version: string, mode: Mode, betas: ReadonlySet<string> = new Set()): Prepared | ApiError {
  const rules = rulesFor(engine, version);
  const e = validateRequest(body, rules, mode);
  if (e) return e;
  const b = body as Obj;
  const model = engine.models.usable(b.model);
  if (!model) return apiError(404, 'not_found_error', `model: ${String(b.model)}`);
  const e2 = validateForModel(b, model, rules, mode);
  if (e2) return e2;
  // Context management: the prompt the model sees is what is left after compaction blocks and clearing edits.
  const plan = checkContextParams(b, betas, mode);
  if ('status' in plan) return plan;
  const e3 = checkCompactionBlocks(b.messages as Obj[], engine.compaction.signer, compactionBeta(betas));
  if (e3) return e3;
  const effective = effectiveMessages(b.messages as Obj[]).messages;
  const e4 = plan.onDemand ? onDemandCheck(effective) : undefined;
  if (e4) return e4;
  const compacted = { ...b, messages: effective };
  const cleared = applyClearing(compacted, plan.edits);
  const context: ContextState = { plan, applied: cleared.applied, betas, effective, originalInputTokens: countInputTokens(compacted) };
  const blocks = prefixBlocks(cleared.body);
  const cc = b.cache_control as Obj | undefined | null;
  const auto: Ttl | undefined = cc ? (cc.ttl === '1h' ? '1h' : '5m') : undefined;
  const bps = resolveBreakpoints(blocks, auto);
  if (!Array.isArray(bps)) return bps;
  const inputTokens = blocks.reduce((n, x) => n + x.tokens, 0);
  if (mode !== 'count' && inputTokens > model.max_input_tokens) {
    return badRequest(`prompt is too long: ${inputTokens} tokens > ${model.max_input_tokens} maximum`);
  }
  return { body: b, model, blocks, breakpoints: bps, inputTokens, context };
}

/** Cache lookups/writes for a prepared request (namespace: API key + model). */
export function accountCache(engine: Engine, p: Prepared, apiKey: string, startedAt: number): CacheUsage {
  const context = canonical({ tool_choice: p.body.tool_choice ?? null, thinking: p.body.thinking ?? null });
  return engine.cache.account(`${apiKey}|${p.model.id}`, p.blocks, p.breakpoints, context, p.model.minCacheTokens, startedAt);
}

export function sendScriptedError(conn: Conn, r: ErrorReply, reqId: string, clock: FakeClock): void {
  const headers: Record<string, string> = {
    ...(r.rateLimit ? rateLimitHeaders(clock.now(), r.rateLimit === true ? {} : r.rateLimit) : {}),
    ...(r.headers ?? {}),
  };
  if (r.rawBody !== undefined) {
    if (conn.res.headersSent) return;
    conn.res.writeHead(r.status, { 'content-type': r.contentType ?? 'text/html', 'request-id': reqId, ...headers });
    conn.res.end(r.rawBody);
    return;
  }
  sendError(conn.res, {
    status: r.status,
    type: r.errorType ?? errorTypeForStatus(r.status),
    message: r.message ?? DEFAULT_ERROR_MESSAGES[r.status] ?? 'Error',
    headers,
    details: r.details,
  }, reqId);
}

export interface MessageCtx {
  rec: RecordedRequest;
  conn: Conn;
  reqId: string;
  version: string;
  apiKey: string;
}

export async function handleCreate(engine: Engine, ctx: MessageCtx): Promise<void> {
  const { rec, conn, reqId } = ctx;
  const p = prepare(engine, rec.body, ctx.version, 'create', betasOf(rec.headers));
  if ('status' in p) {
    rec.error = p.message;
    return sendError(conn.res, p, reqId);
  }
  if (p.context.plan.onDemand) return compactOnDemand(engine, p, ctx);
  let r: ScriptedReply | undefined;
  try {
    r = engine.nextReply(rec);
    if (r !== undefined) assertReply(r);
  } catch (err) {
    const msg = `fake-api script error: ${(err instanceof Error ? err.message : String(err)).replace(/^fake-api: /, '')}`;
    engine.scriptError(msg);
    return sendError(conn.res, { status: 500, type: 'api_error', message: msg, headers: { 'x-should-retry': 'false' } }, reqId);
  }
  r ??= { kind: 'text', text: `You said: ${lastUserText(p.body.messages)}` };
  if (r.kind === 'error') return sendScriptedError(conn, r, reqId, engine.clock);
  const body = p.body;
  const plan = planMessage(r, { model: String(body.model), max_tokens: body.max_tokens as number, stop_sequences: body.stop_sequences, thinking: body.thinking }, engine.signer);
  const usage = accountCache(engine, p, ctx.apiKey, rec.receivedAt);
  decorateReply(engine.compaction, body, p.context, p.inputTokens, plan, usage);
  rec.usage = { ...usage, output_tokens: plan.output_tokens };
  const headers = rateLimitHeaders(engine.clock.now(), { inputTokensRemaining: Math.max(0, 2_000_000 - usage.input_tokens - usage.cache_creation_input_tokens) });
  if (body.stream === true) await deliverStream(conn, plan, usage, reqId, headers);
  else await deliverJson(conn, plan, usage, reqId, headers);
}

/** On-demand compaction: the reply is one signed compaction block; rec.usage is the compaction's own usage. */
async function compactOnDemand(engine: Engine, p: Prepared, ctx: MessageCtx): Promise<void> {
  const usage = accountCache(engine, p, ctx.apiKey, ctx.rec.receivedAt);
  const out = onDemandReply(engine.compaction, p.body, p.context, usage);
  if ('kind' in out) return sendScriptedError(ctx.conn, out, ctx.reqId, engine.clock);
  ctx.rec.usage = { ...usage, output_tokens: Number((out.iterations?.[0] as { output_tokens?: number })?.output_tokens ?? 0) };
  const headers = rateLimitHeaders(engine.clock.now());
  if (p.body.stream === true) await deliverStream(ctx.conn, out, usage, ctx.reqId, headers);
  else await deliverJson(ctx.conn, out, usage, ctx.reqId, headers);
}

export function handleCountTokens(engine: Engine, ctx: MessageCtx): void {
  const p = prepare(engine, ctx.rec.body, ctx.version, 'count', betasOf(ctx.rec.headers));
  if ('status' in p) return sendError(ctx.conn.res, p, ctx.reqId);
  // With context_management the count is after the edits, and the original is reported too (§7.1).
  const cm = p.context.plan.reported ? { context_management: { original_input_tokens: p.context.originalInputTokens } } : {};
  sendJson(ctx.conn.res, 200, { input_tokens: p.inputTokens, ...cm }, ctx.reqId);
}
