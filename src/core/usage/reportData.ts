// Builds the figures the usage report shows (the ReportData of shared/usageReport.ts).
import type { ReportData } from '../../shared/usageReport';
import { addCost, costOf, emptyCostSum, totalTokens } from './cost';
import { byCaller, byModel, byWorkspace, dailySpend, lastDays, since } from './aggregate';
import type { UsageRow } from './store';
import type { UsageTracker } from './tracker';

export const REPORT_DAYS = 30;

export type { ReportData };

function investment(t: UsageTracker): { investment?: { invested: number; reads?: number } } {
  const inv = t.cacheInvestment();
  return inv ? { investment: inv } : {};
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
    callers: byCaller(recent, book),
    currentWorkspace: opts.workspace,
    period: { cost, tokens, requests },
    session: {
      responses: tracker.lines.length, tokens: tracker.totals(), cost: tracker.cost(), hitShare: tracker.hitShare(), savings: tracker.savings(),
      ...investment(tracker), webSearches: tracker.webSearches(),
    },
    problems: [...opts.problems],
    empty: recent.length === 0 && tracker.lines.length === 0,
  };
}
