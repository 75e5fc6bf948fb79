// The context meter, always visible above the composer: tokens in the context against the model's window, as a bar
// split into system (with tool definitions), attached context, history and tool results. Its colour changes at the
// user's threshold (claudeChat.contextMeter.warnAt) and again past the compaction threshold. The breakdown is in
// the hover text and, for screen readers, in the meter's aria-valuetext (role="meter").
import type { MeterView } from '../../shared/protocol';
import { el } from '../common/dom';

const PARTS: [keyof MeterView['parts'], string][] = [
  ['system', 'System and tools'],
  ['context', 'Attached context'],
  ['history', 'History'],
  ['tools', 'Tool results'],
];

export function compactTokens(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(n % 1_000_000 === 0 ? 0 : 1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

function pct(share: number): string {
  return `${(share * 100).toFixed(share < 0.01 ? 1 : 0)}%`;
}

export type MeterLevel = 'ok' | 'warn' | 'high';

/** Which colour the meter shows. */
export function meterLevel(m: MeterView): MeterLevel {
  if (!m.window) return 'ok';
  const share = m.tokens / m.window;
  if (m.compactAt !== undefined && share >= m.compactAt) return 'high';
  return share >= m.warnAt ? 'warn' : 'ok';
}

/** The breakdown, one line per part (the hover text). */
export function meterBreakdown(m: MeterView): string {
  const head = m.window
    ? `${m.tokens.toLocaleString('en-US')} of ${m.window.toLocaleString('en-US')} tokens in the context (${pct(m.tokens / m.window)}) · ${m.model}`
    : `${m.tokens.toLocaleString('en-US')} tokens in the context · ${m.model} (window unknown)`;
  const lines = PARTS.map(([k, label]) => `${label}: ${m.parts[k].toLocaleString('en-US')}`);
  const notes = [
    m.exact ? 'Counted by the API.' : 'Estimated from the text (≈).',
    `Colour changes at ${pct(m.warnAt)}${m.compactAt !== undefined ? `; compacts at ${pct(m.compactAt)}` : '; automatic compaction is off'}.`,
  ];
  return [head, ...lines, ...notes].join('\n');
}

export class ContextMeter {
  readonly root = el('div', { class: 'context-meter', role: 'meter', tabindex: '0', 'aria-label': 'Context window', 'aria-valuemin': '0', hidden: '' });
  private readonly bar = el('div', { class: 'meter-bar', 'aria-hidden': 'true' });
  private readonly segments = new Map<string, HTMLElement>();
  private readonly label = el('span', { class: 'meter-label', 'aria-hidden': 'true' });

  constructor() {
    for (const [k] of PARTS) {
      const seg = el('span', { class: `meter-seg ${k}` });
      this.segments.set(k, seg);
      this.bar.append(seg);
    }
    this.root.append(this.bar, this.label);
  }

  update(m: MeterView | undefined): void {
    if (!m) {
      this.root.hidden = true;
      return;
    }
    this.root.hidden = false;
    const total = m.window ?? Math.max(1, m.tokens);
    for (const [k] of PARTS) this.segments.get(k)!.style.width = `${Math.min(100, (m.parts[k] / total) * 100).toFixed(2)}%`;
    const level = meterLevel(m);
    this.root.dataset.level = level;
    this.root.classList.toggle('unknown-window', !m.window);
    const approx = m.exact ? '' : '≈ ';
    this.label.textContent = m.window ? `${approx}${compactTokens(m.tokens)} / ${compactTokens(m.window)} · ${pct(m.tokens / m.window)}` : `${approx}${compactTokens(m.tokens)} tokens`;
    const breakdown = meterBreakdown(m);
    this.root.title = breakdown;
    this.root.setAttribute('aria-valuemax', String(total));
    this.root.setAttribute('aria-valuenow', String(Math.min(m.tokens, total)));
    this.root.setAttribute('aria-valuetext', breakdown.replace(/\n/g, '; '));
  }
}
