// What /cost shows: this session's spend, tokens and cache use, in one line for the chat.
import { formatCostSum, formatCount, formatPercent, formatUsd } from '../../shared/format';
import { totalTokens } from '../usage/cost';
import type { UsageTracker } from '../usage/tracker';

export function costLine(t: UsageTracker): string {
  const n = t.lines.length;
  if (n === 0) return 'This session has made no API requests yet: $0.00.';
  const x = t.totals();
  const share = t.hitShare();
  const parts = [
    `This session: ${formatCostSum(t.cost())} for ${n} request${n === 1 ? '' : 's'}`,
    `${formatCount(totalTokens(x))} tokens (input ${formatCount(x.inputTokens)}, cache writes ${formatCount(x.cacheWrite5mTokens + x.cacheWrite1hTokens)}, cache reads ${formatCount(x.cacheReadTokens)}, output ${formatCount(x.outputTokens)})`,
  ];
  if (share !== undefined) parts.push(`${formatPercent(share)} of the prompt read from cache, saving ${formatUsd(t.savings())}`);
  return `${parts.join(' · ')}. Run "Claude: Show Usage" for the full report.`;
}
