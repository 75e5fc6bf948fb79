// A turn's footer: streaming, stopped, max tokens, tool cap, stop sequence, refusal, error with its action, usage.
// Painted from the turn as the model holds it, and the retry countdown while the engine waits.
import type { CacheView, ErrorAction, RetryView, TurnView } from '../../shared/protocol';
import { formatUsd } from '../../shared/format';
import { button, el, icon } from '../common/dom';

const ACTION_LABEL: Record<ErrorAction, [string, string]> = {
  setApiKey: ['Set API Key', 'key'],
  retry: ['Retry', 'refresh'],
  openSettings: ['Open Settings', 'settings-gear'],
  continue: ['Continue', 'debug-continue'],
  continueTools: ['Continue', 'debug-continue'],
  trim: ['Compact and Retry', 'fold'],
};

/** `continued`: a later turn continues this reply (after max_tokens), so its notice and Continue are done. */
export function paintFooter(footer: HTMLElement, v: TurnView, onAction: (a: ErrorAction) => void, continued = false): void {
  footer.replaceChildren();
  if (v.status === 'streaming') {
    footer.append(el('span', { class: 'status streaming' }, icon('loading codicon-modifier-spin'), el('span', {}, 'Replying…')));
    return;
  }
  const action = (label: string, name: string, a: ErrorAction, text: string) => {
    const b = button(label, name, { class: 'secondary', 'data-action': a }, text);
    b.addEventListener('click', () => onAction(a));
    return b;
  };
  if (v.status === 'stopped') footer.append(el('span', { class: 'status incomplete' }, icon('debug-stop'), el('span', {}, 'Stopped: the reply is incomplete.')));
  if (v.stopReason === 'max_tokens' && !continued) {
    footer.append(el('span', { class: 'status incomplete' }, icon('warning'), el('span', {}, 'The reply hit the max tokens limit.')), action('Continue the reply', 'debug-continue', 'continue', 'Continue'));
  }
  if (v.toolCapReached) {
    footer.append(
      el('span', { class: 'status incomplete' }, icon('warning'), el('span', {}, 'Claude used the maximum number of tool rounds for one message.')),
      action('Let the tool loop continue', 'debug-continue', 'continueTools', 'Continue'),
    );
  }
  if (v.costPaused !== undefined) {
    footer.append(
      el('span', { class: 'status incomplete' }, icon('warning'), el('span', {}, `Paused: the next request would send about ${v.costPaused.toLocaleString('en-US')} input tokens, more than claudeChat.tools.maxRequestTokens allows.`)),
      action('Send that request and let the tool loop continue', 'debug-continue', 'continueTools', 'Continue'),
    );
  }
  if (v.stopReason === 'stop_sequence') footer.append(el('span', { class: 'status' }, icon('debug-breakpoint-log'), el('span', {}, `Stopped at the stop sequence "${v.stopSequence ?? ''}".`)));
  if (v.stopReason === 'refusal') footer.append(el('span', { class: 'status refusal' }, icon('circle-slash'), el('span', {}, 'Claude declined to answer this request.')));
  if (v.error) {
    const box = el('div', { class: 'error', role: 'alert' }, icon('error'), el('span', {}, v.error.message));
    if (v.error.action) {
      const [label, name] = ACTION_LABEL[v.error.action];
      box.append(action(label, name, v.error.action, label));
    }
    footer.append(box);
  }
  if (v.usage && v.status === 'complete') {
    const u = v.usage;
    const parts = [`${u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens} in`, `${u.outputTokens} out`];
    if (u.cacheReadTokens) parts.push(`${u.cacheReadTokens} cached`);
    if (v.rounds !== undefined && v.rounds > 1) parts.unshift(`${v.rounds} requests`);
    if (u.webSearchRequests) parts.push(`${u.webSearchRequests} web search${u.webSearchRequests === 1 ? '' : 'es'}`);
    if (u.webFetchRequests) parts.push(`${u.webFetchRequests} fetch${u.webFetchRequests === 1 ? '' : 'es'}`);
    if (v.effort) parts.push(`effort ${v.effort}`);
    // The usage's own cost (it includes web searches) where known, else the long session's sum of the rounds.
    const cost = u.costUsd ?? v.cost;
    if (cost !== undefined) parts.push(formatUsd(cost));
    const rounds = v.rounds !== undefined && v.rounds > 1 ? `, over its ${v.rounds} API requests (tool rounds)` : '';
    const title = `Tokens for this reply${rounds}${cost !== undefined ? ', and its cost at list prices (tokens plus web searches at their per-1,000 price)' : ''}`;
    footer.append(el('span', { class: 'usage', title }, parts.join(' · ')));
  }
  if (v.cache) footer.append(cacheLine(v.cache));
}

const CACHE_ICON: Record<CacheView['state'], string> = { read: 'database', partial: 'warning', written: 'save', miss: 'warning', uncached: 'circle-slash' };

/** The cache doctor's verdict: read from the cache, or why not. */
function cacheLine(c: CacheView): HTMLElement {
  return el('span', { class: `cache-verdict ${c.state}`, 'data-reason': c.reason ?? '', title: 'Prompt cache: whether this reply read the conversation prefix from the cache' }, icon(CACHE_ICON[c.state]), el('span', {}, c.detail));
}

/** Shows a live countdown to the next attempt, with Cancel. Returns the timer to clear. */
export function paintCountdown(footer: HTMLElement, r: RetryView, onCancel: () => void): ReturnType<typeof setInterval> {
  const label = el('span', {});
  const cancel = button('Cancel retry', 'close', { class: 'secondary', 'data-action': 'cancel-retry' }, 'Cancel');
  cancel.addEventListener('click', onCancel);
  const tick = () => {
    const secs = Math.max(0, Math.ceil((r.until - Date.now()) / 1000));
    label.textContent = `${r.reason} Retrying in ${secs} s (attempt ${r.attempt + 1} of ${r.maxAttempts}).`;
  };
  tick();
  footer.replaceChildren(el('div', { class: 'retry', role: 'status' }, icon('sync'), label, cancel));
  return setInterval(tick, 250);
}
