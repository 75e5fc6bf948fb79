// The usage report webview's protocol: the figures the host sends (one plain JSON-able object) and the page's
// requests. Plain data only; the host builds the figures in core/usage/reportData.ts.
import type { CostSum, Tokens } from './usage';

export interface DaySpend {
  day: string;
  /** Dollars for uncached input tokens. */
  input: number;
  /** Dollars for cache writes (5m + 1h) and cache reads. */
  cache: number;
  output: number;
  /** Dollars for web searches (per 1,000). */
  tools: number;
  total: number;
  tokens: number;
  /** Tokens sent to models without a price (not in the dollar figures). */
  unknownTokens: number;
}

export interface ModelSummary {
  model: string;
  requests: number;
  tokens: Tokens;
  /** Undefined when the model has no price. */
  cost: number | undefined;
  savings: number | undefined;
}

export interface WorkspaceSummary {
  workspace: string;
  requests: number;
  tokens: number;
  cost: CostSum;
}

/** Requests other extensions made through the "Claude (your API key)" provider. */
export interface CallerSummary {
  caller: string;
  requests: number;
  tokens: number;
  cost: CostSum;
}

export interface ReportData {
  generatedAt: number;
  days: DaySpend[];
  /** Last REPORT_DAYS days. */
  models: ModelSummary[];
  workspaces: WorkspaceSummary[];
  /** Last REPORT_DAYS days, per calling extension (provider traffic only). */
  callers: CallerSummary[];
  currentWorkspace: string;
  period: { cost: CostSum; tokens: number; requests: number };
  session: {
    responses: number;
    tokens: Tokens;
    cost: CostSum;
    hitShare?: number;
    savings: number;
    /** When cache writes have cost more than reads saved so far: the dollars invested and the reads that repay them. */
    investment?: { invested: number; reads?: number };
    /** Web searches this session and their cost. */
    webSearches: number;
  };
  /** Problems with the price setting, shown so a typo does not silently change figures. */
  problems: string[];
  empty: boolean;
}

/** Messages between the host and the usage report webview. */
export type HostToReport = { type: 'data'; data: ReportData };
export type ReportToHost = { type: 'ready' } | { type: 'refresh' } | { type: 'openSettings' };
