// The report's tables and summary cards, built with DOM APIs (textContent only, never innerHTML).
import type { CallerSummary, DaySpend, ModelSummary, WorkspaceSummary } from '../../shared/usageReport';
import { formatCostSum, formatCount, formatTokens, formatUsd } from '../../shared/format';
import { el } from '../common/dom';
import { dayLabel } from './chart';

type Cell = string | { text: string; title?: string; cls?: string };

export function table(caption: string, head: string[], rows: Cell[][], cls = ''): HTMLTableElement {
  const t = el('table', { class: `grid-table ${cls}`.trim() });
  t.append(el('caption', { class: 'visually-hidden' }, caption));
  const tr = el('tr');
  head.forEach((h, i) => tr.append(el('th', { scope: 'col', class: i === 0 ? '' : 'num' }, h)));
  t.append(el('thead', {}, tr));
  const body = el('tbody');
  for (const r of rows) {
    const row = el('tr');
    r.forEach((c, i) => {
      const cell = typeof c === 'string' ? { text: c } : c;
      const attrs: Record<string, string> = { class: [i === 0 ? '' : 'num', cell.cls ?? ''].join(' ').trim() };
      if (cell.title) attrs.title = cell.title;
      row.append(i === 0 ? el('th', { scope: 'row', ...attrs }, cell.text) : el('td', attrs, cell.text));
    });
    body.append(row);
  }
  t.append(body);
  return t;
}

const unknown = (text: string): Cell => ({ text, cls: 'muted', title: 'No price for this model: add it in the claudeChat.prices setting.' });

export function modelTable(models: readonly ModelSummary[]): HTMLTableElement {
  return table('Usage per model, last 30 days', ['Model', 'Requests', 'Input', 'Cache write', 'Cache read', 'Output', 'Cost', 'Saved by cache'],
    models.map((m) => [
      m.model,
      formatCount(m.requests),
      formatCount(m.tokens.inputTokens),
      { text: formatCount(m.tokens.cacheWrite5mTokens + m.tokens.cacheWrite1hTokens), title: `5m: ${formatCount(m.tokens.cacheWrite5mTokens)}, 1h: ${formatCount(m.tokens.cacheWrite1hTokens)}` },
      formatCount(m.tokens.cacheReadTokens),
      formatCount(m.tokens.outputTokens),
      m.cost === undefined ? unknown(formatUsd(undefined)) : formatUsd(m.cost),
      m.savings === undefined ? unknown('—') : m.savings < 0 ? { text: `${formatUsd(-m.savings)} invested`, cls: 'muted', title: 'Cache writes not yet repaid by reads: each read of the cached prefix pays part of it back.' } : formatUsd(m.savings),
    ]), 'models');
}

export function workspaceTable(list: readonly WorkspaceSummary[], current: string): HTMLTableElement {
  return table('Usage per workspace, last 30 days', ['Workspace', 'Requests', 'Tokens', 'Cost'],
    list.map((w) => [
      { text: w.workspace === current ? `${w.workspace} (this window)` : w.workspace },
      formatCount(w.requests),
      formatTokens(w.tokens),
      formatCostSum(w.cost),
    ]), 'workspaces');
}

export function callerTable(list: readonly CallerSummary[]): HTMLTableElement {
  return table('Requests other extensions made through the Claude provider, last 30 days', ['Extension', 'Requests', 'Tokens', 'Cost'],
    list.map((c) => [c.caller, formatCount(c.requests), formatTokens(c.tokens), formatCostSum(c.cost)]), 'callers');
}

/** Days with usage, newest first: the chart's figures as text, for screen readers and exact reading. */
export function dayTable(days: readonly DaySpend[]): HTMLTableElement {
  const used = days.filter((d) => d.tokens > 0).reverse();
  return table('Spend per day', ['Day', 'Input', 'Cache', 'Output', 'Web search', 'Total', 'Tokens'],
    used.map((d) => [dayLabel(d.day), formatUsd(d.input), formatUsd(d.cache), formatUsd(d.output), formatUsd(d.tools),
      d.unknownTokens ? `${formatUsd(d.total)} + unknown` : formatUsd(d.total), formatTokens(d.tokens)]), 'days');
}

export function card(label: string, value: string, detail: string, id: string, extraClass = ''): HTMLElement {
  return el('section', { class: `card ${extraClass}`.trim(), id, 'aria-label': label },
    el('div', { class: 'card-label' }, label),
    el('div', { class: 'card-value' }, value),
    el('div', { class: 'card-detail' }, detail));
}
