// Stored usage rows summed per day (last N days, split input / cache / output), per model and per workspace.
import { addCost, addTokens, cacheSavings, costOf, emptyCostSum, totalTokens, ZERO_TOKENS } from './cost';
import type { PriceBook } from './priceBook';
import { localDay, UsageRow } from './store';
import type { CallerSummary, DaySpend, ModelSummary, WorkspaceSummary } from '../../shared/usageReport';

export type { CallerSummary, DaySpend, ModelSummary, WorkspaceSummary };

/** The `days` local days ending with `today` (YYYY-MM-DD), oldest first. */
export function lastDays(today: number, days: number): string[] {
  const d = new Date(today);
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const x = new Date(d.getFullYear(), d.getMonth(), d.getDate() - i, 12);
    out.push(localDay(x.getTime()));
  }
  return out;
}

export function dailySpend(rows: readonly UsageRow[], book: PriceBook, now: number, days = 30): DaySpend[] {
  const list = lastDays(now, days);
  const byDay = new Map(list.map((day) => [day, { day, input: 0, cache: 0, output: 0, tools: 0, total: 0, tokens: 0, unknownTokens: 0 } as DaySpend]));
  for (const r of rows) {
    const d = byDay.get(r.day);
    if (!d) continue;
    d.tokens += totalTokens(r);
    const c = costOf(r.model, r, r.batch, book);
    if (!c) {
      d.unknownTokens += totalTokens(r);
      continue;
    }
    d.input += c.input;
    d.cache += c.cacheWrite5m + c.cacheWrite1h + c.cacheRead;
    d.output += c.output;
    d.tools += c.webSearch;
    d.total += c.total;
  }
  return list.map((day) => byDay.get(day)!);
}

/** Rows on or after `sinceDay` (YYYY-MM-DD); all rows when undefined. */
export function since(rows: readonly UsageRow[], sinceDay: string | undefined): UsageRow[] {
  return sinceDay ? rows.filter((r) => r.day >= sinceDay) : [...rows];
}

/** Per model (canonical id when priced, so a snapshot id and its alias share a line), costliest first. */
export function byModel(rows: readonly UsageRow[], book: PriceBook): ModelSummary[] {
  const map = new Map<string, ModelSummary>();
  for (const r of rows) {
    const model = book.canonical(r.model) ?? r.model;
    const m = map.get(model) ?? { model, requests: 0, tokens: ZERO_TOKENS, cost: 0, savings: 0 };
    m.requests += r.requests;
    m.tokens = addTokens(m.tokens, r);
    const c = costOf(r.model, r, r.batch, book);
    m.cost = c && m.cost !== undefined ? m.cost + c.total : undefined;
    const s = cacheSavings(r.model, r, r.batch, book);
    m.savings = s !== undefined && m.savings !== undefined ? m.savings + s : undefined;
    map.set(model, m);
  }
  return [...map.values()].sort((a, b) => (b.cost ?? -1) - (a.cost ?? -1) || totalTokens(b.tokens) - totalTokens(a.tokens));
}

export function byWorkspace(rows: readonly UsageRow[], book: PriceBook): WorkspaceSummary[] {
  const map = new Map<string, WorkspaceSummary>();
  for (const r of rows) {
    const w = map.get(r.workspace) ?? { workspace: r.workspace, requests: 0, tokens: 0, cost: emptyCostSum() };
    w.requests += r.requests;
    w.tokens += totalTokens(r);
    addCost(w.cost, r.model, r, costOf(r.model, r, r.batch, book)?.total);
    map.set(r.workspace, w);
  }
  return [...map.values()].sort((a, b) => b.cost.known - a.cost.known || b.tokens - a.tokens);
}

/** Provider traffic per calling extension, costliest first. */
export function byCaller(rows: readonly UsageRow[], book: PriceBook): CallerSummary[] {
  const map = new Map<string, CallerSummary>();
  for (const r of rows) {
    if (r.caller === undefined) continue;
    const c = map.get(r.caller) ?? { caller: r.caller, requests: 0, tokens: 0, cost: emptyCostSum() };
    c.requests += r.requests;
    c.tokens += totalTokens(r);
    addCost(c.cost, r.model, r, costOf(r.model, r, r.batch, book)?.total);
    map.set(r.caller, c);
  }
  return [...map.values()].sort((a, b) => b.cost.known - a.cost.known || b.tokens - a.tokens);
}
