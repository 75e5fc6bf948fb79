// The figures the usage report shows, as one plain JSON-able object (host -> report webview).
import { addCost, costOf, CostSum, emptyCostSum, Tokens, totalTokens } from './cost';
import { byModel, byWorkspace, dailySpend, DaySpend, lastDays, ModelSummary, since, WorkspaceSummary } from './aggregate';
import type { UsageRow } from './store';
import type { UsageTracker } from './tracker';

export const REPORT_DAYS = 30;

export interface ReportData {
  generatedAt: number;
  days: DaySpend[];
  /** Last REPORT_DAYS days. */
  models: ModelSummary[];
  workspaces: WorkspaceSummary[];
  currentWorkspace: string;
  period: { cost: CostSum; tokens: number; requests: number };
  session: { responses: number; tokens: Tokens; cost: CostSum; hitShare?: number; savings: number };
  /** Problems with the price setting, shown so a typo does not silently change figures. */
  problems: string[];
  empty: boolean;
}

export function buildReport(rows: readonly UsageRow[], tracker: UsageTracker, opts: { now: number; workspace: string; problems: string[] }): ReportData {
  const book = tracker.prices;
  const recent = since(rows, lastDays(opts.now, REPORT_DAYS)[0]);
  const cost = emptyCostSum();
  let tokens = 0;
  let requests = 0;
  for (const r of recent) {
    addCost(cost, r.model, r, costOf(r.model, r, r.batch, book)?.total);
    tokens += totalTokens(r);
    requests += r.requests;
  }
  return {
    generatedAt: opts.now,
    days: dailySpend(rows, book, opts.now, REPORT_DAYS),
    models: byModel(recent, book),
    workspaces: byWorkspace(recent, book),
    currentWorkspace: opts.workspace,
    period: { cost, tokens, requests },
    session: { responses: tracker.lines.length, tokens: tracker.totals(), cost: tracker.cost(), hitShare: tracker.hitShare(), savings: tracker.savings() },
    problems: [...opts.problems],
    empty: recent.length === 0 && tracker.lines.length === 0,
  };
}

/** Messages between the host and the usage report webview. */
export type HostToReport = { type: 'data'; data: ReportData };
export type ReportToHost = { type: 'ready' } | { type: 'refresh' } | { type: 'openSettings' };

/** Messages from a webview are untrusted input. */
export function isReportToHost(m: unknown): m is ReportToHost {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  return (t === 'ready' || t === 'refresh' || t === 'openSettings') && Object.keys(m).length === 1;
}
