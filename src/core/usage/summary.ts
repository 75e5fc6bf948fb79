// What the status bar shows, as plain strings: its text, its Markdown tooltip and its warnings.
import type { UsageRecord } from '../../shared/usage';
import { recordCost, Tokens, totalTokens } from './cost';
import { formatCostSum, formatCount, formatPercent, formatShare, formatTokens, formatUsd } from '../../shared/format';
import type { UsageTracker } from './tracker';
import { CACHE_REASON_LABELS } from '../cacheDoctor';

export const CONTEXT_WARNING_SHARE = 0.8;
/** Per-response lines in the tooltip; older ones are summed into the session line only. */
export const TOOLTIP_LINES = 10;

export function statusText(t: UsageTracker): string {
  const live = t.live;
  if (live) return `$(sync~spin) ${formatTokens(live.outputTokens)} tok`;
  const parts = [formatCostSum(t.cost()), `${formatTokens(totalTokens(t.totals()))} tok`];
  const share = formatShare(t.hitShare());
  if (share) parts.push(share);
  return parts.join(' · ');
}

/** Reasons to colour the item as a warning: the context window nearly full, or the spend guard passed. */
export function warnings(t: UsageTracker, maxSessionCost: number | undefined): string[] {
  const out: string[] = [];
  const ctx = t.context();
  if (ctx?.share !== undefined && ctx.share > CONTEXT_WARNING_SHARE) {
    out.push(`The conversation uses ${formatPercent(ctx.share)} of ${ctx.model}'s context window.`);
  }
  const spent = t.cost().known;
  if (maxSessionCost !== undefined && maxSessionCost > 0 && spent > maxSessionCost) {
    out.push(`Session spend ${formatUsd(spent)} passed the ${formatUsd(maxSessionCost)} limit (claudeChat.maxSessionCost).`);
  }
  return out;
}

/** Escapes text for a Markdown table cell. */
export function md(text: string): string {
  return text.replace(/[\\`*_[\]|<>]/g, (c) => `\\${c}`);
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function tokenCells(x: Tokens): string[] {
  return [x.inputTokens, x.cacheWrite5mTokens, x.cacheWrite1hTokens, x.cacheReadTokens, x.outputTokens].map(formatCount);
}

/** "sonnet-5-5", "sonnet-5-5 tool", "haiku-4-5 batch ≈": short, so the hover table fits without wrapping. */
function label(r: UsageRecord): string {
  const kind = r.batch ? 'batch' : r.kind === 'chat' ? '' : r.kind === 'provider' ? md(r.caller ?? 'extension') : r.kind;
  return [md(r.model.replace(/^claude-/, '')), kind, r.exact ? '' : '≈'].filter(Boolean).join(' ');
}

/** A first cache write is an investment repaid by the next reads, not a loss. */
export function cachingFact(t: UsageTracker): string {
  const inv = t.cacheInvestment();
  if (!inv) return `Saved by caching: **${formatUsd(t.savings())}**`;
  const back = inv.reads === undefined ? '' : `, repaid after ${inv.reads === 1 ? 'the next read' : `${inv.reads} more reads`} of the cached prefix`;
  return `Cache writes: **${formatUsd(inv.invested)}** invested${back}`;
}

function webSearchCost(t: UsageTracker): number | undefined {
  let sum = 0;
  for (const r of t.lines) {
    if (!r.webSearchRequests) continue;
    const c = recordCost(r, t.prices);
    if (!c) return undefined;
    sum += c.webSearch;
  }
  return sum;
}

export function tooltipMarkdown(t: UsageTracker, maxSessionCost?: number): string {
  const lines = t.lines;
  const out: string[] = ['**Claude API usage this session**', ''];
  if (lines.length === 0) {
    out.push('No API responses yet.', '');
  } else {
    out.push(row(['#', 'Model', 'Input', '5m\u00a0write', '1h\u00a0write', 'Read', 'Output', 'Cost']));
    out.push(row(['--:', ':--', '--:', '--:', '--:', '--:', '--:', '--:']));
    const first = Math.max(0, lines.length - TOOLTIP_LINES);
    if (first > 0) out.push(row(['…', `${first} earlier`, '', '', '', '', '', '']));
    for (let i = first; i < lines.length; i++) {
      const r = lines[i];
      out.push(row([String(i + 1), label(r), ...tokenCells(r), formatUsd(recordCost(r, t.prices)?.total)]));
    }
    out.push(row(['', '**Session**', ...tokenCells(t.totals()).map((c) => `**${c}**`), `**${formatCostSum(t.cost())}**`]));
    out.push('');
    const facts: string[] = [];
    const share = t.hitShare();
    if (share !== undefined) facts.push(`Cache hit share: **${formatPercent(share)}**`);
    facts.push(cachingFact(t));
    out.push(facts.join(' · '), '');
    const searches = t.webSearches();
    if (searches) out.push(`Web searches: **${formatCount(searches)}** (${formatUsd(webSearchCost(t))}, billed per 1,000)`, '');
    const misses = t.missesByReason();
    if (misses.length) {
      const parts = misses.map((m) => `${m.count} × ${md(CACHE_REASON_LABELS[m.reason])} (${formatCount(m.tokens)} tok${m.cost !== undefined ? `, ~${formatUsd(m.cost)}` : ''})`);
      out.push(`Cache misses: ${parts.join('; ')}`, '');
    }
  }
  const ctx = t.context();
  if (ctx) {
    const of = ctx.contextWindow ? ` of ${formatCount(ctx.contextWindow)} (${formatPercent(ctx.share ?? 0)})` : ' (context window unknown)';
    out.push(`Context: ${formatCount(ctx.promptTokens)} tokens${of} · ${md(ctx.model)}`, '');
    if (ctx.estimate !== undefined) {
      const p = t.prices.price(ctx.model);
      const usd = p ? ` · at most ${formatUsd((ctx.estimate * p.input) / 1_000_000)} uncached` : '';
      out.push(`Next request (estimate): ~${formatCount(ctx.estimate)} input tokens${usd}`, '');
    }
  }
  if (t.live) out.push(`Streaming: ~${formatCount(t.live.outputTokens)} output tokens (estimate; exact figures at the end)`, '');
  const cost = t.cost();
  if (cost.unknownModels.length) out.push(`No price for ${cost.unknownModels.map(md).join(', ')}: cost unknown (add it in \`claudeChat.prices\`).`, '');
  for (const w of warnings(t, maxSessionCost)) out.push(`$(warning) ${md(w)}`, '');
  out.push('[Show usage report](command:claudeChat.showUsage)');
  return out.join('\n');
}
