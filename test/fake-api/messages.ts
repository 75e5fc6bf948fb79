// POST /v1/messages and POST /v1/messages/count_tokens: validate, look the model up, take the scripted reply
// (or the default echo), account for the prompt cache, deliver as SSE or JSON.
import type { CacheUsage, Breakpoint, PromptCache } from './cache';
import { resolveBreakpoints } from './cache';
import type { FakeClock } from './clock';
import type { CacheDiagnostics } from './diagnostics';
import type { FeatureRules } from './features';
import { exampleFor, replyFitsToolChoice, validateOutputAndToolChoice } from './outputConfig';
import { FETCH_TYPES, isServerContinuation, SEARCH_TYPES, validateServerBlocks, validateServerToolDefs } from './serverTools';
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
import { citableDocuments, DEFAULT_IMAGE_MAX_BYTES } from './media';

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
  /** Largest decoded image (media.ts); default 10 MiB. */
  imageMaxBytes?: number;
  /** Model-dependent feature rules (forced tool choice, server iterations). */
  features: FeatureRules;
  diagnostics: CacheDiagnostics;
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
  return { version, signer: engine.signer, strict: engine.strict, media: { imageMaxBytes: engine.imageMaxBytes ?? DEFAULT_IMAGE_MAX_BYTES } };
}

/** All validation for one request; returns the prepared prompt or the API error to answer with. */
export function prepare(engine: Engine, body: unknown, version: string, mode: Mode, betas: ReadonlySet<string> = new Set()): Prepared | ApiError {
  const rules = rulesFor(engine, version);
  const e = validateRequest(body, rules, mode);
  if (e) return e;
  const b = body as Obj;
  const model = engine.models.usable(b.model);
  if (!model) return apiError(404, 'not_found_error', `model: ${String(b.model)}`);
  const e2 = validateForModel(b, model, rules, mode) ?? validateFeatures(engine, b, model, mode);
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
  const blocks = prefixBlocks(cleared.body, model);
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

const isServerTool = (t: unknown) => typeof t === 'object' && t !== null && [...SEARCH_TYPES, ...FETCH_TYPES].includes(String((t as Obj).type));

/** output_config, strict tools, tool_choice and server tools (outputConfig.ts, serverTools.ts). */
function validateFeatures(engine: Engine, b: Obj, model: FakeModel, mode: string): ApiError | undefined {
  const tools = Array.isArray(b.tools) ? (b.tools as Obj[]) : [];
  if (mode === 'count') {
    const i = tools.findIndex(isServerTool);
    // "count_tokens rejects server tools (except advisor) with invalid_request_error" (§6.5). Message UNCONFIRMED.
    if (i >= 0) return badRequest(`tools.${i}: server tools are not supported when counting tokens`);
  }
  return validateServerToolDefs(tools) ?? validateOutputAndToolChoice(b, model, engine.features) ?? validateServerBlocks(b.messages as Obj[], tools);
}

/** Cache lookups/writes for a prepared request (namespace: API key + model). */
export function accountCache(engine: Engine, p: Prepared, apiKey: string, startedAt: number): CacheUsage {
  // output_config too: "Changing the effort value between requests invalidates prompt caching"; a new format does as well (§4.2, §5).
  const context = canonical({ tool_choice: p.body.tool_choice ?? null, thinking: p.body.thinking ?? null, output_config: p.body.output_config ?? null });
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
  const body = p.body;
  const format = (body.output_config as Obj | undefined)?.format as Obj | undefined;
  // Under a format the answer is "valid JSON matching your schema" (§4.3): the default reply is its smallest instance.
  r ??= format ? { kind: 'text', text: JSON.stringify(exampleFor(format.schema)) } : { kind: 'text', text: `You said: ${lastUserText(p.body.messages)}` };
  if (r.kind === 'error') return sendScriptedError(conn, r, reqId, engine.clock);
  const miscited = checkScriptedCitations(r, p.body);
  if (miscited) {
    engine.scriptError(`fake-api script error: ${miscited}`);
    return sendError(conn.res, { status: 500, type: 'api_error', message: `fake-api script error: ${miscited}`, headers: { 'x-should-retry': 'false' } }, reqId);
  }
  const tools = Array.isArray(body.tools) ? (body.tools as Obj[]) : [];
  const messages = body.messages as Obj[];
  const server = tools.some(isServerTool) || isServerContinuation(messages) ? { tools, messages, iterations: engine.features.serverIterations } : undefined;
  const plan = planMessage(r, { model: String(body.model), max_tokens: body.max_tokens as number, stop_sequences: body.stop_sequences, thinking: body.thinking, server }, engine.signer);
  // A reply cut at max_tokens (or refused) may end before the forced call, as a real one can.
  const cut = plan.stop_reason === 'max_tokens' || plan.stop_reason === 'refusal';
  const problem = plan.problem ?? (cut ? undefined : replyFitsToolChoice(body.tool_choice, plan.content)) ?? parallelProblem(body.tool_choice, plan.content);
  if (problem) {
    const msg = `fake-api script error: ${problem}`;
    engine.scriptError(msg);
    return sendError(conn.res, { status: 500, type: 'api_error', message: msg, headers: { 'x-should-retry': 'false' } }, reqId);
  }
  const usage = accountCache(engine, p, ctx.apiKey, rec.receivedAt);
  decorateReply(engine.compaction, body, p.context, p.inputTokens, plan, usage);
  plan.diagnostics = engine.diagnostics.diagnose(plan.id, body, usage.cache_read_input_tokens + usage.cache_creation_input_tokens);
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

/** A scripted reply may cite only documents the request has, with citations enabled (the real API cites nothing else). */
function checkScriptedCitations(r: ScriptedReply, body: Obj): string | undefined {
  if (r.kind !== 'message') return undefined;
  const docs = citableDocuments(body);
  for (const b of r.blocks) {
    for (const cited of b.type === 'text' ? b.citations ?? [] : []) {
      const c = cited as Record<string, unknown>;
      if (typeof c.type !== 'string') continue; // a web citation (replies.ts): cites a search result, not a document
      const i = c.document_index;
      const doc = typeof i === 'number' ? docs[i] : undefined;
      if (!doc) return `a citation names document_index ${String(i)}, but the request has ${docs.length} document(s)`;
      const enabled = typeof doc.citations === 'object' && doc.citations !== null && (doc.citations as Obj).enabled === true;
      if (!enabled) return `a citation names document ${String(i)}, which does not have citations enabled`;
      if (c.document_title === null && typeof doc.title === 'string') c.document_title = doc.title;
    }
  }
  return undefined;
}

/** `disable_parallel_tool_use`: at most one call with auto, exactly one with any/tool (§8.1). */
function parallelProblem(tc: unknown, content: readonly { type: string }[]): string | undefined {
  if (typeof tc !== 'object' || tc === null || (tc as Obj).disable_parallel_tool_use !== true) return undefined;
  const n = content.filter((b) => b.type === 'tool_use').length;
  return n > 1 ? `disable_parallel_tool_use is set but the scripted reply makes ${n} tool calls` : undefined;
}

export function handleCountTokens(engine: Engine, ctx: MessageCtx): void {
  const p = prepare(engine, ctx.rec.body, ctx.version, 'count', betasOf(ctx.rec.headers));
  if ('status' in p) return sendError(ctx.conn.res, p, ctx.reqId);
  // With context_management the count is after the edits, and the original is reported too (§7.1).
  const cm = p.context.plan.reported ? { context_management: { original_input_tokens: p.context.originalInputTokens } } : {};
  sendJson(ctx.conn.res, 200, { input_tokens: p.inputTokens, ...cm }, ctx.reqId);
}
