// Usage report webview entry: renders the figures the host sends; keeps the last ones in webview state so a
// hidden and re-shown panel paints at once.
import './style.css';
import { checkHostToReport } from '../../shared/guards/toReport';
import type { ReportData, ReportToHost } from '../../shared/usageReport';
import { formatCostSum, formatPercent, formatTokens, formatUsd } from '../../shared/format';
import { totalTokens } from '../../shared/usage';
import { button, el, icon } from '../common/dom';
import { vscodeApi } from '../common/vscodeApi';
import { SERIES, spendChart } from './chart';
import { callerTable, card, dayTable, modelTable, workspaceTable } from './tables';

const vscode = vscodeApi<ReportToHost>();
const app = document.getElementById('app')!;

function header(data: ReportData | undefined): HTMLElement {
  const refresh = button('Refresh', 'refresh', { class: 'icon', id: 'refresh' });
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  const sub = data ? `Last 30 days on this machine · updated ${new Date(data.generatedAt).toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' })}` : 'Loading…';
  return el('header', { class: 'head' },
    el('div', {}, el('h1', {}, 'Claude API usage'), el('p', { class: 'sub' }, sub)),
    refresh);
}

function problems(list: readonly string[]): HTMLElement | undefined {
  if (!list.length) return undefined;
  const open = button('Open price settings', 'settings-gear', { class: 'secondary' }, 'Open Settings');
  open.addEventListener('click', () => vscode.postMessage({ type: 'openSettings' }));
  const ul = el('ul');
  for (const p of list) ul.append(el('li', {}, p));
  return el('div', { class: 'problems', role: 'alert' }, icon('warning'), el('div', {}, el('strong', {}, 'Some price overrides were ignored'), ul, open));
}

function emptyState(): HTMLElement {
  return el('div', { class: 'empty', id: 'empty' },
    el('div', { class: 'logo' }, icon('graph')),
    el('h2', {}, 'No usage yet'),
    el('p', {}, 'Send a message in the Claude chat. Every response\'s tokens, cache hits and cost will show up here, per day and per model.'));
}

function legend(): HTMLElement {
  const l = el('div', { class: 'legend', 'aria-hidden': 'true' });
  for (const s of SERIES) l.append(el('span', { class: 'key' }, el('span', { class: `swatch ${s.key}` }), s.label));
  return l;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/**
 * What caching did this session. A first cache write costs more than plain input and is repaid by the reads that
 * follow, so until then it shows as an investment with its break-even, never as a negative saving.
 */
function cachingCard(s: ReportData['session']): HTMLElement {
  if (s.investment) {
    const n = s.investment.reads;
    const back = n === undefined ? 'repaid by later reads of the cached prefix' : n === 1 ? 'repaid by the next read of the cached prefix (break-even after 1 read)' : `break-even after ${n} more reads of the cached prefix`;
    return card('Invested in the cache (session)', formatUsd(s.investment.invested), `first cache writes · ${back}`, 'card-savings', 'invested');
  }
  const share = s.hitShare === undefined ? 'no prompt tokens yet' : `${formatPercent(s.hitShare)} of prompt tokens read from cache`;
  return card('Saved by caching (session)', formatUsd(s.savings), share, 'card-savings');
}

function render(data: ReportData | undefined): void {
  app.replaceChildren(header(data));
  if (!data) return;
  const warn = problems(data.problems);
  if (warn) app.append(warn);
  if (data.empty) {
    app.append(emptyState());
    return;
  }
  const s = data.session;
  const searches = s.webSearches ? ` · ${plural(s.webSearches, 'web search', 'web searches')}` : '';
  app.append(el('div', { class: 'cards' },
    card('Last 30 days', formatCostSum(data.period.cost), `${formatTokens(data.period.tokens)} tok · ${plural(data.period.requests, 'request')}`, 'card-period'),
    card('This session', formatCostSum(s.cost), `${formatTokens(totalTokens(s.tokens))} tok · ${plural(s.responses, 'response')}${searches}`, 'card-session'),
    cachingCard(s)));

  const chart = el('section', { class: 'panel', id: 'spend', 'aria-labelledby': 'spend-h' },
    el('div', { class: 'panel-head' }, el('h2', { id: 'spend-h' }, 'Spend per day'), legend()));
  const scroller = el('div', { class: 'scroll' }, spendChart(data.days));
  chart.append(scroller);
  const details = el('details', {}, el('summary', {}, 'Show as a table'), dayTable(data.days));
  chart.append(details);
  app.append(chart);
  scroller.scrollLeft = scroller.scrollWidth; // in a narrow panel, show the latest days first

  app.append(el('section', { class: 'panel', id: 'per-model', 'aria-labelledby': 'model-h' },
    el('h2', { id: 'model-h' }, 'Per model'),
    data.models.length ? el('div', { class: 'scroll' }, modelTable(data.models)) : el('p', { class: 'muted' }, 'No stored usage in the last 30 days.')));
  if (data.workspaces.length > 1 || (data.workspaces[0] && data.workspaces[0].workspace !== data.currentWorkspace)) {
    app.append(el('section', { class: 'panel', id: 'per-workspace', 'aria-labelledby': 'ws-h' },
      el('h2', { id: 'ws-h' }, 'Per workspace'), el('div', { class: 'scroll' }, workspaceTable(data.workspaces, data.currentWorkspace))));
  }
  if (data.callers.length) {
    app.append(el('section', { class: 'panel', id: 'per-caller', 'aria-labelledby': 'caller-h' },
      el('h2', { id: 'caller-h' }, 'Other extensions (Claude provider)'), el('div', { class: 'scroll' }, callerTable(data.callers))));
  }
  app.append(el('p', { class: 'note' },
    'Costs are computed from list prices (USD per million tokens) and the token counts the API reported; your invoice is authoritative. '
    + 'Override or add model prices with the claudeChat.prices setting.'));
}

window.addEventListener('message', (e: MessageEvent) => {
  const checked = checkHostToReport(e.data);
  if (!checked.ok) {
    console.warn(`usage report: ignored a malformed message from the host: ${checked.reason}`);
    return;
  }
  const m = checked.value;
  vscode.setState({ data: m.data });
  render(m.data);
  app.removeAttribute('aria-busy');
});

const saved = vscode.getState() as { data?: ReportData } | undefined;
render(saved?.data);
vscode.postMessage({ type: 'ready' });
