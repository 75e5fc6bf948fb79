// The session's usage: every API response's exact usage, the live output estimate of the reply now streaming,
// and the context-window use of the current conversation. Costs are priced on demand, so a change to the
// price setting re-prices the whole session.
import type { UsageRecord } from '../../shared/usage';
import { addCost, addTokens, cacheHitShare, cacheSavings, CostSum, emptyCostSum, promptTokens, readsToBreakEven, recordCost, savingPerRead, Tokens, ZERO_TOKENS } from './cost';
import type { CacheMissRecord } from '../ports';
import type { CacheReason } from '../../shared/protocol';
import { Emitter, type Event } from '../lifecycle';
import type { PriceBook } from './priceBook';

export interface ContextInfo {
  model: string;
  /** Tokens the conversation sends with its next request. */
  promptTokens: number;
  /** Defaults to the model's window from the price list. */
  contextWindow?: number;
  /** A pre-send estimate of the next request's input tokens, if the engine made one. */
  estimate?: number;
}

export interface ContextUse extends ContextInfo {
  /** promptTokens / contextWindow, when the window is known. */
  share?: number;
}

export interface LiveStream {
  conversationId: string;
  outputTokens: number;
}

/** `live` is true when only the streaming estimate changed (totals did not). */

/** The session's cache misses of one reason: how many, the tokens not read, and about what that cost. */
export interface MissSummary {
  reason: CacheReason;
  count: number;
  tokens: number;
  /** Dollars the missed tokens cost over reading them (input minus cache-read price); undefined when unpriced. */
  cost?: number;
}

export class UsageTracker {
  private readonly records: UsageRecord[] = [];
  private readonly misses: CacheMissRecord[] = [];
  private liveStream: LiveStream | undefined;
  private conversation: string | undefined;
  private info: { value: ContextInfo; seq: number } | undefined;
  private lastRecordSeq = 0;
  private seq = 0;
  private readonly changes = new Emitter<{ live: boolean }>();
  /** Every change; `live` when only the streaming estimate moved. */
  readonly onDidChange: Event<{ live: boolean }> = this.changes.event;

  constructor(private book: PriceBook) {}

  get prices(): PriceBook {
    return this.book;
  }

  setPrices(book: PriceBook): void {
    this.book = book;
    this.emit(false);
  }

  /** Exact usage of one API response (a chat turn, a tool round, a retry that succeeded, a stopped stream). */
  record(r: UsageRecord): void {
    this.records.push({ ...r });
    if (r.conversationId !== undefined) this.conversation = r.conversationId;
    this.lastRecordSeq = ++this.seq;
    // The exact figures replace the estimate of the reply that produced them.
    if (this.liveStream && (r.conversationId === undefined || r.conversationId === this.liveStream.conversationId)) this.liveStream = undefined;
    this.emit(false);
  }

  /** Live estimate of the output tokens of the reply streaming now. */
  streaming(conversationId: string, estimatedOutputTokens: number): void {
    this.conversation = conversationId;
    this.liveStream = { conversationId, outputTokens: Math.max(0, Math.round(estimatedOutputTokens)) };
    this.emit(true);
  }

  streamEnded(): void {
    if (!this.liveStream) return;
    this.liveStream = undefined;
    this.emit(false);
  }

  setContext(info: ContextInfo): void {
    this.info = { value: { ...info }, seq: ++this.seq };
    this.emit(false);
  }

  /** A cache miss the cache doctor found (core/cacheDoctor.ts). */
  cacheMiss(m: CacheMissRecord): void {
    this.misses.push({ ...m });
    this.emit(false);
  }

  /** The session's misses by reason, most costly first. */
  missesByReason(): MissSummary[] {
    const by = new Map<CacheReason, MissSummary>();
    for (const m of this.misses) {
      const s = by.get(m.reason) ?? { reason: m.reason, count: 0, tokens: 0, cost: 0 };
      s.count += 1;
      s.tokens += m.missedTokens;
      const p = this.book.price(m.model);
      s.cost = p && s.cost !== undefined ? s.cost + (m.missedTokens * (p.input - p.cacheRead)) / 1_000_000 : undefined;
      by.set(m.reason, s);
    }
    return [...by.values()].sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0) || b.tokens - a.tokens);
  }

  /** Web searches this session (billed per 1,000). */
  webSearches(): number {
    return this.records.reduce((n, r) => n + (r.webSearchRequests ?? 0), 0);
  }

  /**
   * When cache writes have cost more than reads have saved so far: the dollars invested and how many more reads of
   * the cached prefix repay them. Undefined once caching is ahead (or nothing is priced).
   */
  cacheInvestment(): { invested: number; reads?: number } | undefined {
    const saved = this.savings();
    if (!(saved < 0)) return undefined;
    let perRead = 0;
    for (const r of this.records) perRead += savingPerRead(r.model, r, r.batch, this.book) ?? 0;
    const reads = readsToBreakEven(-saved, perRead);
    return reads === undefined ? { invested: -saved } : { invested: -saved, reads };
  }

  /** Forgets the session (not the stored history). */
  reset(): void {
    this.misses.length = 0;
    this.records.length = 0;
    this.liveStream = undefined;
    this.info = undefined;
    this.conversation = undefined;
    this.emit(false);
  }

  get live(): LiveStream | undefined {
    return this.liveStream;
  }

  /** Every response's usage this session, oldest first. */
  get lines(): readonly UsageRecord[] {
    return this.records;
  }

  totals(): Tokens {
    return this.records.reduce<Tokens>((a, r) => addTokens(a, r), ZERO_TOKENS);
  }

  cost(): CostSum {
    const sum = emptyCostSum();
    for (const r of this.records) addCost(sum, r.model, r, recordCost(r, this.book)?.total);
    return sum;
  }

  /** Dollars caching saved this session, over the responses whose model has a price. */
  savings(): number {
    let saved = 0;
    for (const r of this.records) saved += cacheSavings(r.model, r, r.batch, this.book) ?? 0;
    return saved;
  }

  hitShare(): number | undefined {
    return cacheHitShare(this.totals());
  }

  /** Context-window use of the current conversation: the engine's figures, or the newest response's. */
  context(): ContextUse | undefined {
    const last = [...this.records].reverse().find((r) => r.conversationId !== undefined && r.conversationId === this.conversation);
    let value: ContextInfo | undefined;
    if (this.info && (!last || this.info.seq > this.lastRecordSeq)) value = this.info.value;
    else if (last) value = { model: last.model, promptTokens: promptTokens(last) + last.outputTokens, estimate: this.info?.value.estimate };
    if (!value) return undefined;
    const contextWindow = value.contextWindow ?? this.book.contextWindow(value.model);
    const use: ContextUse = { ...value, contextWindow };
    if (contextWindow) use.share = value.promptTokens / contextWindow;
    return use;
  }

  private emit(live: boolean): void {
    this.changes.fire({ live });
  }
}
