// Usage kept across reloads: token counts per local day, workspace, model and batch/standard, in a folder the
// host gives (the extension's global storage). Tokens, not dollars, are stored, so a price change re-prices
// history. Every window appends its counts to one shared append-only log (see persist/appendLog.ts): no window
// rewrites another's counts, so N windows lose nothing. The log is folded in the background into rollups kept one
// file per month, and a fold rewrites only the months its new lines touch, so neither an add nor a fold costs more
// with a longer history. Rows are validated at load; bad data is set aside and reported once. The old single file
// (usage.json) is folded in once and moved away.
import type { UsageRecord } from '../../shared/usage';
import { AppendLog } from '../persist/appendLog';
import { UsageEntrySchema, UsageFileV1Schema, UsageRowSchema } from '../persist/schemas';
import type { Tokens } from './cost';
import { array, type InferOutput } from 'valibot';

export interface UsageRow extends Tokens {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  workspace: string;
  model: string;
  batch: boolean;
  requests: number;
  /** Requests another extension made through the provider: its id (absent for the extension's own requests). */
  caller?: string;
}

export interface UsageStoreOptions {
  /** Called once per kind of problem (corrupt data, failed write). */
  onProblem?: (message: string) => void;
  /** Rows older than this many days are dropped (default 400). */
  retainDays?: number;
  now?: () => number;
  /** Compact the shared log when it passes this size (bytes; default 64 KiB). */
  compactBytes?: number;
}

/** The old single-file store, read once. */
export const USAGE_FILE = 'usage.json';
/** The shared append-only log. */
export const USAGE_DIR = 'usage.d';
const COUNT_FIELDS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWrite5mTokens', 'cacheWrite1hTokens', 'requests'] as const;

export function localDay(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

const keyOf = (r: Pick<UsageRow, 'day' | 'workspace' | 'model' | 'batch' | 'caller'>) => JSON.stringify([r.day, r.workspace, r.model, r.batch, ...(r.caller === undefined ? [] : [r.caller])]);

function addInto(map: Map<string, UsageRow>, row: UsageRow): void {
  const k = keyOf(row);
  const have = map.get(k);
  if (!have) map.set(k, { ...row });
  else {
    for (const f of COUNT_FIELDS) have[f] += row[f];
    if (row.webSearchRequests) have.webSearchRequests = (have.webSearchRequests ?? 0) + row.webSearchRequests;
  }
}

/** Rows grouped by their month (YYYY-MM), the parts the log keeps its rollups in. */
function byMonth(rows: UsageRow[]): [string, UsageRow[]][] {
  const months = new Map<string, UsageRow[]>();
  for (const r of rows) {
    const month = r.day.slice(0, 7);
    const list = months.get(month);
    if (list) list.push(r);
    else months.set(month, [r]);
  }
  return [...months];
}

export class UsageStore {
  private readonly log: AppendLog<UsageRow[], Map<string, UsageRow>, UsageRow[]>;
  private pending = new Map<string, UsageRow>();
  private chain: Promise<void> = Promise.resolve();
  private readonly reported = new Set<string>();
  private readonly now: () => number;

  constructor(readonly dir: string, private readonly opts: UsageStoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    const oldest = () => localDay(this.now() - (this.opts.retainDays ?? 400) * 86_400_000);
    const prune = (m: Map<string, UsageRow>) => {
      const first = oldest();
      for (const [k, r] of m) if (r.day < first) m.delete(k);
    };
    this.log = new AppendLog(dir, {
      folder: USAGE_DIR,
      entry: UsageEntrySchema,
      state: array(UsageRowSchema),
      empty: () => new Map(),
      load: (rows) => {
        const m = new Map<string, UsageRow>();
        for (const r of rows) addInto(m, r);
        return m;
      },
      save: (m) => [...m.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b))),
      apply: (m, rows) => rows.forEach((r) => addInto(m, r)),
      prune,
      // One part per month: a fold rewrites the months its new lines touch (usually this one), not the whole history.
      parts: { split: byMonth, splitState: byMonth, merge: (m, rows) => rows.forEach((r) => addInto(m, r)), keep: (month) => month >= oldest().slice(0, 7) },
      legacy: { file: USAGE_FILE, schema: UsageFileV1Schema, entries: (v) => [(v as InferOutput<typeof UsageFileV1Schema>).rows] },
    }, { label: 'usage history', now: this.now, compactBytes: opts.compactBytes, compactInBackground: true, onProblem: (kind, m) => this.report(kind, m) });
  }

  /**
   * Counts one response and writes it out; the promise settles when it is on disk (never rejects). Its cost does not
   * grow with the history: one appended line; folding the log into the per-day rows runs after it (flush() waits).
   */
  add(r: UsageRecord, workspace: string): Promise<void> {
    addInto(this.pending, {
      day: localDay(r.at), workspace, model: r.model, batch: r.batch, requests: 1,
      inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheReadTokens: r.cacheReadTokens,
      cacheWrite5mTokens: r.cacheWrite5mTokens, cacheWrite1hTokens: r.cacheWrite1hTokens,
      ...(r.kind === 'provider' ? { caller: r.caller ?? '(unknown)' } : {}),
      ...(r.webSearchRequests ? { webSearchRequests: r.webSearchRequests } : {}),
    });
    this.chain = this.chain.then(() => this.writePending());
    return this.chain;
  }

  /** Waits until everything added so far is written (or has failed to be, and was reported), and folded. */
  async flush(): Promise<void> {
    this.chain = this.chain.then(() => this.writePending());
    await this.chain;
    await this.log.idle();
  }

  /** Everything stored by every window, plus anything not yet written. */
  async rows(): Promise<UsageRow[]> {
    await this.chain;
    const map = new Map<string, UsageRow>();
    try {
      for (const r of (await this.log.read()).values()) addInto(map, r);
    } catch (e) {
      this.report('read', `Could not read usage from ${this.log.path}: ${(e as Error).message}`);
    }
    for (const r of this.pending.values()) addInto(map, r);
    return [...map.values()];
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.log.append([...batch.values()]);
    } catch (e) {
      for (const r of batch.values()) addInto(this.pending, r); // keep them for the next write
      this.report('write', `Could not save usage to ${this.log.path}: ${(e as Error).message}`);
    }
  }

  private report(kind: string, message: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.opts.onProblem?.(message);
  }
}
