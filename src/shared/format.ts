// Display formatting for money, token counts and shares (status bar, batch report, usage report webview). The only
// place figures are rounded.
import type { CostSum } from './usage';

export const COST_UNKNOWN = 'cost unknown';

/** "$0.042", "$0.0031", "$12.35", "$1,204"; undefined -> "cost unknown". */
export function formatUsd(usd: number | undefined): string {
  if (usd === undefined || !Number.isFinite(usd)) return COST_UNKNOWN;
  const sign = usd < 0 ? '-' : '';
  const a = Math.abs(usd);
  let s: string;
  if (a === 0) s = '0.00';
  else if (a < 0.000001) return `${sign}<$0.000001`;
  else if (a < 0.001) s = a.toPrecision(2).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  else if (a < 0.01) s = keepTwo(a.toFixed(4));
  else if (a < 1) s = keepTwo(a.toFixed(3));
  else if (a < 1000) s = a.toFixed(2);
  else s = Math.round(a).toLocaleString('en-US');
  return `${sign}$${s}`;
}

/** A sum with possibly unpriced parts: "$0.042", "cost unknown", or "$0.042 + unknown". */
export function formatCostSum(c: CostSum): string {
  if (c.unknownTokens === 0 || c.unknownModels.length === 0) return formatUsd(c.known);
  if (c.known === 0) return COST_UNKNOWN;
  return `${formatUsd(c.known)} + unknown`;
}

/** "123", "18.2k", "1.25M": compact, for the status bar. */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 999_950) return `${trim((n / 1000).toFixed(1))}k`;
  return `${trim((n / 1_000_000).toFixed(n < 9_995_000 ? 2 : 1))}M`;
}

/** "18,204": exact, for tables. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 0.912 -> "91%"; shares below 1% but above 0 show "<1%". */
export function formatPercent(share: number): string {
  if (share > 0 && share < 0.01) return '<1%';
  if (share < 1 && share > 0.995) return '>99%';
  return `${Math.round(share * 100)}%`;
}

export function formatShare(share: number | undefined): string | undefined {
  return share === undefined ? undefined : `${formatPercent(share)} cached`;
}

function trim(s: string): string {
  return s.replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');
}

/** Drops trailing zeros beyond the cents: "0.500" -> "0.50", "0.0050" -> "0.005". */
function keepTwo(s: string): string {
  return s.replace(/(\.\d\d\d*?)0+$/, '$1');
}
