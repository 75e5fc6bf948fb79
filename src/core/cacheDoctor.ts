// The cache doctor: for every request, whether its prefix was read from the prompt cache and, when not, why. It keeps
// a fingerprint of each request (hashes of the prefix at every block, never the text) and compares the next request
// with it: the first block where the prefix diverges names the cause (model, tools, system prompt, an attached file,
// tool choice / thinking / effort, earlier messages); an unchanged prefix that was not read has expired (idle longer
// than its TTL); a prompt under the model's minimum cacheable length is not cached at all. Where the API answers
// `diagnostics.cache_miss_reason` (sent `diagnostics.previous_message_id`), its reason and missed-token count win
// over the guess. A change made on purpose (compaction) is announced with expectChange() and named as the cause.
import { createHash } from 'node:crypto';
import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import type { CacheReason, CacheView, TurnView } from '../shared/protocol';
import { roughTokens } from './cacheMinimum';
import type { UsageRecorder } from './ports';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sorted keys, no cache_control: the identity of a block for the cache. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).filter((k) => k !== 'cache_control' && v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const digest = (...parts: string[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('base64').slice(0, 16);
};

interface Position {
  /** Hash of the whole prefix up to and including this block. */
  hash: string;
  section: 'tools' | 'system' | 'messages';
  /** An attached file's label, for a context block. */
  label?: string;
  /** Rough tokens of the prefix up to here (core/tokens.ts rule). */
  tokens: number;
  ttl?: '5m' | '1h';
}

/** One request, remembered: hashes only. */
export interface Fingerprint {
  model: string;
  at: number;
  positions: Position[];
  tools: string;
  system: string;
  params: string;
  /** Per attached file label, the hash of its block. */
  docs: Record<string, string>;
  /** Real tokens the request read from or wrote to the cache (from its usage). */
  cached: number;
  messageId?: string;
}

export interface RequestShape {
  params: Pick<MessageCreateParamsBase, 'model' | 'tools' | 'system' | 'messages' | 'tool_choice' | 'thinking' | 'output_config'>;
  /** Labels of the attached documents, in order: they are the first blocks of the first message. */
  contextLabels?: readonly string[];
}

export interface RoundUsage {
  read: number;
  written: number;
  /** input + read + written. */
  prompt: number;
}

/** What the API said, if anything (Message.diagnostics). */
export interface ApiDiagnostics {
  cache_miss_reason?: { type?: string; cache_missed_input_tokens?: number } | null;
}

const ttlOf = (b: unknown): '5m' | '1h' | undefined => {
  const cc = isObj(b) ? b.cache_control : undefined;
  return isObj(cc) ? (cc.ttl === '1h' ? '1h' : '5m') : undefined;
};
const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

export function fingerprint(shape: RequestShape, at: number): Omit<Fingerprint, 'cached'> {
  const p = shape.params;
  const params = digest(canonical({ tool_choice: p.tool_choice ?? null, thinking: p.thinking ?? null, output_config: p.output_config ?? null }));
  const system = typeof p.system === 'string' ? [{ type: 'text', text: p.system }] : p.system ?? [];
  const positions: Position[] = [];
  let hash = digest(p.model);
  let tokens = 0;
  const push = (section: Position['section'], block: unknown, extra: string, label?: string) => {
    const c = canonical(block);
    hash = digest(hash, extra, c);
    tokens += roughTokens(c);
    positions.push({ hash, section, tokens, ttl: ttlOf(block), ...(label !== undefined ? { label } : {}) });
  };
  for (const t of p.tools ?? []) push('tools', t, '');
  for (const s of system) push('system', s, '');
  const labels = shape.contextLabels ?? [];
  const docs: Record<string, string> = {};
  p.messages.forEach((m, mi) => {
    const blocks = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
    blocks.forEach((b, bi) => {
      // Tool choice, thinking and effort take effect where the messages start (they invalidate only messages).
      const first = mi === 0 && bi === 0 ? params : '';
      const label = mi === 0 && bi < labels.length ? labels[bi] : undefined;
      if (label !== undefined) docs[label] = digest(canonical(b));
      push('messages', b, `${m.role}${bi === 0 ? '^' : '+'}${first}`, label);
    });
  });
  return { model: p.model, at, positions, tools: digest(canonical(p.tools ?? [])), system: digest(canonical(system)), params, docs };
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 1 ? 'under a minute' : m === 1 ? '1 minute' : m < 120 ? `${m} minutes` : `${Math.round(m / 60)} hours`;
}

/** Why the prefix diverged at position `at` of `prev`. */
function divergence(prev: Fingerprint, now: Omit<Fingerprint, 'cached'>, at: number): { reason: CacheReason; detail: string } {
  if (prev.model !== now.model) return { reason: 'model', detail: `the model was switched (${prev.model} → ${now.model}); each model has its own cache` };
  if (prev.tools !== now.tools) return { reason: 'tools', detail: 'the tools changed (workspace or web tools turned on or off)' };
  if (prev.system !== now.system) return { reason: 'system', detail: 'the system prompt changed' };
  const changed = Object.keys(prev.docs).filter((l) => now.docs[l] !== undefined && now.docs[l] !== prev.docs[l]);
  if (changed.length) return { reason: 'context', detail: `attached file ${changed.join(', ')} was edited` };
  if (Object.keys(prev.docs).join('\n') !== Object.keys(now.docs).join('\n')) return { reason: 'context', detail: 'attached files were added, removed or reordered' };
  if (prev.params !== now.params) return { reason: 'settings', detail: 'tool choice, thinking or effort changed' };
  const where = prev.positions[at];
  return { reason: 'messages', detail: where?.section === 'messages' ? 'earlier messages changed (older turns were left out or edited)' : 'the prefix changed' };
}

const API_REASONS: Record<string, CacheReason> = { model_changed: 'model', system_changed: 'system', tools_changed: 'tools', messages_changed: 'messages' };

export class CacheDoctor {
  private prev: Fingerprint | undefined;
  private expected: { reason: CacheReason; detail: string } | undefined;

  constructor(private readonly minTokens: (model: string) => number) {}

  /** Forget the previous request (another conversation was opened). */
  reset(): void {
    this.prev = undefined;
    this.expected = undefined;
  }

  /**
   * The hook for changes made on purpose: the next request's prefix will differ because of `detail` (e.g. "the
   * conversation was compacted"), so a miss is that, not a fault.
   */
  expectChange(detail: string, reason: CacheReason = 'compacted'): void {
    this.expected = { reason, detail };
  }

  /** The id of the previous response, for `diagnostics.previous_message_id`. */
  get previousMessageId(): string | undefined {
    return this.prev?.messageId;
  }

  /** Tokens the last request cached and how long that stays warm: what switching the model etc. would throw away. */
  warm(now: number): { tokens: number; model: string } | undefined {
    const p = this.prev;
    if (!p || p.cached === 0) return undefined;
    const ttls = p.positions.filter((x) => x.ttl).map((x) => TTL_MS[x.ttl!]);
    const longest = ttls.length ? Math.max(...ttls) : TTL_MS['5m'];
    return now - p.at < longest ? { tokens: p.cached, model: p.model } : undefined;
  }

  /** The verdict of one streamed round (usage, diagnostics and id from its stream). */
  judge(
    params: RequestShape['params'],
    contextLabels: readonly string[],
    sentAt: number,
    r: { usage: { inputTokens: number; cacheReadTokens: number; cacheWriteTokens: number }; diagnostics?: ApiDiagnostics | null; messageId?: string },
  ): CacheView {
    const u = r.usage;
    const usage = { read: u.cacheReadTokens, written: u.cacheWriteTokens, prompt: u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens };
    return this.diagnose({ params, contextLabels }, sentAt, usage, r.diagnostics, r.messageId);
  }

  /** After a response: the verdict for it, and remembers it as the previous request. */
  diagnose(shape: RequestShape, sentAt: number, usage: RoundUsage, api?: ApiDiagnostics | null, messageId?: string): CacheView {
    const now = fingerprint(shape, sentAt);
    const prev = this.prev;
    const expected = this.expected;
    this.expected = undefined;
    this.prev = { ...now, cached: usage.read + usage.written, ...(messageId ? { messageId } : {}) };
    const min = this.minTokens(now.model);
    const total = now.positions.at(-1)?.tokens ?? 0;
    if (usage.read === 0 && usage.written === 0) {
      const lastBp = [...now.positions].reverse().find((x) => x.ttl);
      if (!lastBp || lastBp.tokens < min || total < min) {
        return { state: 'uncached', reason: 'short', detail: `Not cached: the prompt is under ${now.model}'s minimum cacheable length (${fmt(min)} tokens).`, readTokens: 0 };
      }
    }
    // Where the prefix first differs from the previous request's, and whether that is inside what it had cached.
    let diverged: number | undefined;
    let lastPrevBp = -1;
    if (prev) {
      prev.positions.forEach((x, i) => {
        if (x.ttl && x.tokens >= min) lastPrevBp = i;
      });
      const n = Math.min(prev.positions.length, now.positions.length);
      for (let i = 0; i < n && diverged === undefined; i++) if (prev.positions[i].hash !== now.positions[i].hash) diverged = i;
      if (diverged === undefined && now.positions.length < prev.positions.length) diverged = n;
    }
    const apiReason = api?.cache_miss_reason?.type;
    const apiMissed = api?.cache_miss_reason?.cache_missed_input_tokens;
    let cause = expected;
    if (!cause && prev && diverged !== undefined && diverged <= lastPrevBp) cause = divergence(prev, now, diverged);
    if (apiReason && API_REASONS[apiReason] && (!cause || (cause.reason !== 'context' && cause.reason !== 'compacted'))) {
      cause = cause && cause.reason === API_REASONS[apiReason] ? cause : { reason: API_REASONS[apiReason], detail: divergenceText(API_REASONS[apiReason]) };
    }
    const missed = apiMissed ?? (prev ? Math.max(0, prev.cached - usage.read) : 0);
    if (!cause && prev && missed > 0) {
      const idle = sentAt - prev.at;
      const ttl = Math.min(...prev.positions.filter((x) => x.ttl).map((x) => TTL_MS[x.ttl!]), TTL_MS['1h']);
      if (idle >= ttl) cause = { reason: 'expired', detail: `the cache entry expired (idle ${minutes(idle)}, longer than its ${ttl === TTL_MS['1h'] ? '1-hour' : '5-minute'} lifetime)` };
    }
    if (usage.read > 0) {
      if (cause && missed > 0 && usage.written > 0) {
        return { state: 'partial', reason: cause.reason, detail: `Partly read from the cache (${fmt(usage.read)} tokens); ${fmt(usage.written)} written again because ${cause.detail}.`, readTokens: usage.read, missedTokens: missed };
      }
      return { state: 'read', detail: `Prefix read from the cache (${fmt(usage.read)} of ${fmt(usage.prompt)} input tokens).`, readTokens: usage.read };
    }
    if (!prev || (prev.cached === 0 && !cause)) {
      // Nothing was cached before (a new conversation, or a prompt that was too short until now): a first write.
      return usage.written > 0
        ? { state: 'written', detail: `Prefix written to the cache (${fmt(usage.written)} tokens); the next request reads it.`, readTokens: 0 }
        : { state: 'uncached', detail: 'Nothing was cached.', readTokens: 0 };
    }
    cause ??= { reason: 'unknown', detail: 'the API did not say why (the prefix looks unchanged)' };
    return { state: 'miss', reason: cause.reason, detail: `Cache miss: ${cause.detail}.`, readTokens: 0, missedTokens: missed };
  }
}

/** A turn shows its first round's verdict, unless a later round missed; each miss goes to the session's tally. */
export function recordVerdict(turn: Pick<TurnView, 'cache'>, view: CacheView, model: string, at: number, usage?: UsageRecorder): void {
  const missed = view.state === 'miss' || view.state === 'partial';
  if (!turn.cache || missed) turn.cache = view;
  if (missed && view.reason && view.missedTokens) usage?.cacheMiss?.({ model, reason: view.reason, missedTokens: view.missedTokens, at });
}

function divergenceText(r: CacheReason): string {
  switch (r) {
    case 'model':
      return 'the model was switched; each model has its own cache';
    case 'system':
      return 'the system prompt changed';
    case 'tools':
      return 'the tools changed';
    default:
      return 'earlier messages changed';
  }
}

/** Short names of the reasons, for the status-bar tooltip. */
export const CACHE_REASON_LABELS: Readonly<Record<CacheReason, string>> = {
  expired: 'entry expired (idle longer than the TTL)',
  model: 'model switched',
  tools: 'tools changed',
  system: 'system prompt changed',
  context: 'attached file edited',
  settings: 'tool choice / thinking / effort changed',
  messages: 'earlier messages changed',
  compacted: 'conversation compacted',
  short: 'under the minimum cacheable length',
  unknown: 'unknown',
};
