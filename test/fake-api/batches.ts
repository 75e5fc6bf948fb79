// Message Batches: create, retrieve, list, cancel, delete, results (JSONL). SDK 1.12 reads results from the
// batch's `results_url` (absolute URL, null until ended) and decodes the body line by line as JSON.
// Timing runs on the fake clock: request i of n finishes at created + processingMs*(i+1)/n; the batch ends
// when the last one does (or at expires_at, 24 h, leaving the rest `expired`). A cancel makes the batch
// `canceling` for cancelMs, then `ended`, with every request not yet finished at cancel time `canceled`.
// Schema errors (missing fields, bad custom_id) fail the create call; model-dependent errors (unknown model,
// max_tokens over the limit, prompt too long, …) become `errored` results, as they surface at processing time.
import type { FakeClock } from './clock';
import { ApiError, apiError, badRequest, paginate, pageParams, requestId } from './http';
import { Engine, Prepared, prepare, rulesFor } from './messages';
import { exampleFor } from './outputConfig';
import { lastUserText, planMessage } from './plan';
import { assertReply, MessageReply, TextReply } from './replies';
import { messageJson } from './sse';
import { validateRequest } from './validate';

export type BatchOutcome =
  | { type: 'succeeded'; reply?: TextReply | MessageReply }
  | { type: 'errored'; errorType?: string; message?: string }
  | { type: 'canceled' }
  | { type: 'expired' };

export interface BatchRequest {
  custom_id: string;
  params: Record<string, unknown>;
}

export interface Batch {
  id: string;
  createdAt: number;
  requests: BatchRequest[];
  apiKey: string;
  version: string;
  processingMs: number;
  cancelAt?: number;
  results?: string;
}

const DAY_MS = 24 * 60 * 60_000;
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

export class BatchStore {
  /** Fake-clock time a batch takes to finish (default 60 s). */
  processingMs = 60_000;
  /** Fake-clock time from cancel to `ended` (default 1 s). */
  cancelMs = 1_000;
  private batches: Batch[] = [];
  private readonly outcomes = new Map<string, BatchOutcome>();

  constructor(readonly clock: FakeClock) {}

  /** Script the result of every future/unfinished request with this custom_id. Throws on a bad outcome. */
  setOutcome(customId: string, outcome: BatchOutcome): void {
    if (!CUSTOM_ID.test(customId)) throw new Error(`fake-api: bad custom_id ${JSON.stringify(customId)}`);
    const t = (outcome as { type?: unknown })?.type;
    if (!['succeeded', 'errored', 'canceled', 'expired'].includes(String(t))) throw new Error(`fake-api: bad batch outcome ${JSON.stringify(outcome)}`);
    if (outcome.type === 'succeeded' && outcome.reply !== undefined) {
      assertReply(outcome.reply);
      if (outcome.reply.kind !== 'text' && outcome.reply.kind !== 'message') throw new Error('fake-api: a succeeded batch outcome needs a text/message reply');
    }
    this.outcomes.set(customId, outcome);
  }

  get ids(): string[] {
    return this.batches.map((b) => b.id);
  }

  reset(): void {
    this.batches = [];
    this.outcomes.clear();
    this.processingMs = 60_000;
    this.cancelMs = 1_000;
  }

  status(b: Batch, now = this.clock.now()): { status: 'in_progress' | 'canceling' | 'ended'; endedAt: number | null } {
    const natural = b.createdAt + Math.min(b.processingMs, DAY_MS);
    if (b.cancelAt !== undefined && b.cancelAt < natural) {
      const end = b.cancelAt + this.cancelMs;
      return now >= end ? { status: 'ended', endedAt: end } : { status: 'canceling', endedAt: null };
    }
    return now >= natural ? { status: 'ended', endedAt: natural } : { status: 'in_progress', endedAt: null };
  }

  /** @internal */
  find(id: string): Batch | undefined {
    return this.batches.find((b) => b.id === id);
  }

  /** @internal */
  add(b: Batch): void {
    this.batches.push(b);
  }

  /** @internal newest first */
  all(): Batch[] {
    return [...this.batches].reverse();
  }

  /** @internal */
  remove(id: string): void {
    this.batches = this.batches.filter((b) => b.id !== id);
  }

  /** @internal The per-request result lines, computed once when the batch has ended. */
  resultLines(b: Batch, engine: Engine): string {
    if (b.results !== undefined) return b.results;
    const n = b.requests.length;
    const lines = b.requests.map((r, i) => {
      const doneAt = b.createdAt + (b.processingMs * (i + 1)) / n;
      let result: Record<string, unknown>;
      const scripted = this.outcomes.get(r.custom_id);
      if (b.cancelAt !== undefined && doneAt > b.cancelAt) result = { type: 'canceled' };
      else if (doneAt > b.createdAt + DAY_MS) result = { type: 'expired' };
      else if (scripted && scripted.type !== 'succeeded') result = outcomeResult(scripted);
      else result = this.process(engine, b, r, scripted?.reply);
      return JSON.stringify({ custom_id: r.custom_id, result });
    });
    b.results = lines.map((l) => l + '\n').join('');
    return b.results;
  }

  private process(engine: Engine, b: Batch, r: BatchRequest, given?: TextReply | MessageReply): Record<string, unknown> {
    const p: Prepared | ApiError = prepare(engine, r.params, b.version, 'batch');
    if ('status' in p) return errored(p.type, p.message);
    const format = (p.body.output_config as Record<string, unknown> | undefined)?.format as Record<string, unknown> | undefined;
    // Under a format the default answer is the schema's smallest instance (as for POST /v1/messages).
    const reply = given ?? { kind: 'text' as const, text: format ? JSON.stringify(exampleFor(format.schema)) : `You said: ${lastUserText(p.body.messages)}` };
    const plan = planMessage(reply, { model: String(p.body.model), max_tokens: p.body.max_tokens as number, stop_sequences: p.body.stop_sequences, thinking: p.body.thinking }, engine.signer);
    const usage = { input_tokens: p.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } };
    return { type: 'succeeded', message: messageJson(plan, usage, 'batch') };
  }

  /** @internal */
  json(b: Batch, baseUrl: string, engine: Engine): Record<string, unknown> {
    const { status, endedAt } = this.status(b);
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    if (status === 'ended') {
      for (const line of this.resultLines(b, engine).split('\n').filter(Boolean)) {
        const t = (JSON.parse(line) as { result: { type: keyof typeof counts } }).result.type;
        counts[t]++;
      }
    } else {
      counts.processing = b.requests.length;
    }
    return {
      id: b.id, type: 'message_batch', processing_status: status, request_counts: counts,
      created_at: this.clock.iso(b.createdAt), expires_at: this.clock.iso(b.createdAt + DAY_MS),
      ended_at: endedAt === null ? null : this.clock.iso(endedAt), archived_at: null,
      cancel_initiated_at: b.cancelAt === undefined ? null : this.clock.iso(b.cancelAt),
      results_url: status === 'ended' ? `${baseUrl}/v1/messages/batches/${b.id}/results` : null,
    };
  }
}

function errored(type: string, message: string): Record<string, unknown> {
  return { type: 'errored', error: { type: 'error', error: { type, message }, request_id: requestId() } };
}

function outcomeResult(o: BatchOutcome): Record<string, unknown> {
  if (o.type === 'errored') return errored(o.errorType ?? 'invalid_request_error', o.message ?? 'Invalid request');
  return { type: o.type };
}

export interface BatchCtx {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  apiKey: string;
  version: string;
  baseUrl: string;
}

export type BatchResult = { json: unknown } | { jsonl: string } | ApiError;

function notFound(id: string): ApiError {
  return apiError(404, 'not_found_error', `message_batch_id: Message Batch ${id} not found`); // wording UNCONFIRMED
}

function create(store: BatchStore, engine: Engine, ctx: BatchCtx): BatchResult {
  const body = ctx.body as Record<string, unknown> | undefined;
  const reqs = body?.requests;
  if (reqs === undefined) return badRequest('requests: Field required');
  if (!Array.isArray(reqs)) return badRequest('requests: Input should be a valid list');
  if (reqs.length === 0) return badRequest('requests: List should have at least 1 item after validation, not 0');
  if (reqs.length > 100_000) return badRequest(`requests: List should have at most 100000 items after validation, not ${reqs.length}`);
  const seen = new Set<string>();
  const rules = rulesFor(engine, ctx.version);
  for (let i = 0; i < reqs.length; i++) {
    const r = reqs[i] as Record<string, unknown>;
    if (typeof r?.custom_id !== 'string') return badRequest(`requests.${i}.custom_id: Field required`);
    if (!CUSTOM_ID.test(r.custom_id)) return badRequest(`requests.${i}.custom_id: String should match pattern '${CUSTOM_ID.source}'`);
    if (seen.has(r.custom_id)) return badRequest(`requests.${i}.custom_id: Duplicate custom_id "${r.custom_id}"; custom_id values must be unique within a batch`); // UNCONFIRMED
    seen.add(r.custom_id);
    if (typeof r.params !== 'object' || r.params === null) return badRequest(`requests.${i}.params: Field required`);
    const e = validateRequest(r.params, rules, 'batch');
    if (e) return badRequest(`requests.${i}.params.${e.message}`);
  }
  const b: Batch = {
    id: 'msgbatch_01' + requestId().slice(8), createdAt: store.clock.now(), apiKey: ctx.apiKey, version: ctx.version,
    processingMs: store.processingMs, requests: (reqs as BatchRequest[]).map((r) => ({ custom_id: r.custom_id, params: r.params })),
  };
  store.add(b);
  return { json: store.json(b, ctx.baseUrl, engine) };
}

/** Routes /v1/messages/batches[/{id}[/cancel|/results]]. */
export function handleBatches(store: BatchStore, engine: Engine, ctx: BatchCtx): BatchResult {
  const m = /^\/v1\/messages\/batches(?:\/([^/]+)(?:\/(cancel|results))?)?$/.exec(ctx.path);
  if (!m) return apiError(404, 'not_found_error', 'Not found');
  const [, id, action] = m;
  const visible = (b: Batch | undefined) => (b && b.apiKey === ctx.apiKey ? b : undefined);
  if (!id) {
    if (ctx.method === 'POST') return create(store, engine, ctx);
    if (ctx.method !== 'GET') return apiError(405, 'invalid_request_error', 'Method not allowed');
    const p = pageParams(ctx.query);
    if ('status' in p) return p;
    const list = store.all().filter((b) => b.apiKey === ctx.apiKey).map((b) => store.json(b, ctx.baseUrl, engine) as { id: string });
    return { json: paginate(list, p) };
  }
  const b = visible(store.find(id));
  if (!b) return notFound(id);
  if (action === 'cancel' && ctx.method === 'POST') {
    if (store.status(b).status === 'ended') return badRequest(`Message Batch ${id} has already ended and cannot be canceled`); // UNCONFIRMED
    b.cancelAt ??= store.clock.now();
    return { json: store.json(b, ctx.baseUrl, engine) };
  }
  if (action === 'results' && ctx.method === 'GET') {
    if (store.status(b).status !== 'ended') return badRequest(`Message Batch ${id} has not ended yet; results are available once processing_status is "ended"`); // UNCONFIRMED
    return { jsonl: store.resultLines(b, engine) };
  }
  if (!action && ctx.method === 'GET') return { json: store.json(b, ctx.baseUrl, engine) };
  if (!action && ctx.method === 'DELETE') {
    if (store.status(b).status !== 'ended') return badRequest(`Message Batch ${id} must finish processing or be canceled before it can be deleted`); // UNCONFIRMED
    store.remove(id);
    return { json: { id, type: 'message_batch_deleted' } };
  }
  return apiError(405, 'invalid_request_error', 'Method not allowed');
}
