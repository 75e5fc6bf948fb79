// Spend per day as a stacked SVG bar chart (input / cache / output), built with DOM APIs. Colours come from
// the theme's chart colours in CSS (classes, no inline style), so it follows light, dark and high contrast.
import type { DaySpend } from '../../shared/usageReport';
import { formatTokens, formatUsd } from '../../shared/format';

const SVG = 'http://www.w3.org/2000/svg';
const W = 720;
const H = 220;
const PAD = { left: 52, right: 8, top: 12, bottom: 28 };
export const SERIES = [
  { key: 'input', label: 'Input' },
  { key: 'cache', label: 'Cache (writes + reads)' },
  { key: 'output', label: 'Output' },
  { key: 'tools', label: 'Web search' },
] as const;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A round axis maximum at or above `max` (1, 2, 2.5 or 5 times a power of ten). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 0.01;
  const pow = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= max) return m * pow;
  return 10 * pow;
}

export function dayLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
}

function describe(d: DaySpend): string {
  if (d.tokens === 0) return `${dayLabel(d.day)}: no usage`;
  const parts = `input ${formatUsd(d.input)}, cache ${formatUsd(d.cache)}, output ${formatUsd(d.output)}${d.tools ? `, web search ${formatUsd(d.tools)}` : ''}`;
  const unknown = d.unknownTokens ? `; ${formatTokens(d.unknownTokens)} tok with cost unknown` : '';
  return `${dayLabel(d.day)}: ${formatUsd(d.total)} (${parts}), ${formatTokens(d.tokens)} tok${unknown}`;
}

export function spendChart(days: readonly DaySpend[]): SVGSVGElement {
  const total = days.reduce((a, d) => a + d.total, 0);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-labelledby': 'chart-title' });
  root.append(svg('title', { id: 'chart-title' }, `Spend per day over the last ${days.length} days: ${formatUsd(total)} in all`));
  const top = niceMax(Math.max(...days.map((d) => d.total)));
  const plotH = H - PAD.top - PAD.bottom;
  const plotW = W - PAD.left - PAD.right;
  const y = (usd: number) => PAD.top + plotH - (usd / top) * plotH;

  const grid = svg('g', { class: 'grid' });
  for (const f of [0, 0.5, 1]) {
    const gy = y(top * f);
    grid.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: gy, y2: gy, class: f === 0 ? 'axis' : 'gridline' }));
    grid.append(svg('text', { x: PAD.left - 6, y: gy + 4, 'text-anchor': 'end', class: 'tick' }, formatUsd(top * f)));
  }
  root.append(grid);

  const slot = plotW / days.length;
  const barW = Math.max(2, Math.min(18, slot * 0.7));
  const bars = svg('g', { class: 'bars' });
  days.forEach((d, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const g = svg('g', { class: 'day', 'data-day': d.day });
    g.append(svg('title', {}, describe(d)));
    // A transparent full-height target so the tooltip works on short bars too.
    g.append(svg('rect', { x: PAD.left + i * slot, y: PAD.top, width: slot, height: plotH, class: 'hit' }));
    let base = 0;
    for (const s of SERIES) {
      const v = d[s.key];
      if (v <= 0) continue;
      const y1 = y(base + v);
      const h = Math.max(1, y(base) - y1);
      g.append(svg('rect', { x, y: y(base) - h, width: barW, height: h, class: `bar ${s.key}` }));
      base += v;
    }
    if (d.unknownTokens > 0) g.append(svg('circle', { cx: x + barW / 2, cy: y(base) - 5, r: 2.5, class: 'unknown' }));
    bars.append(g);
    if (i % 7 === (days.length - 1) % 7) {
      root.append(svg('text', { x: PAD.left + i * slot + slot / 2, y: H - 8, 'text-anchor': 'middle', class: 'tick' }, dayLabel(d.day)));
    }
  });
  root.append(bars);
  return root;
}
