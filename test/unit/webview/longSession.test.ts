// The long-session widgets in jsdom: the context meter (an accessible meter with its breakdown and colour levels),
// compaction dividers (before their turn, expanding to the summary as plain text), the per-turn Edit / Restore
// checkpoint actions, a continuation shown as part of the reply it continues, and the footer's rounds, cost and pause.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { CompactionView, MeterView, TurnView } from '../../../src/shared/protocol';

describe('webview: long-session widgets', () => {
  const g = globalThis as unknown as Record<string, unknown>;
  let dom: JSDOM;
  let mod: {
    meter: typeof import('../../../src/webview/chat/meter');
    dividers: typeof import('../../../src/webview/chat/dividers');
    actions: typeof import('../../../src/webview/chat/turnActions');
    transcript: typeof import('../../../src/webview/chat/transcript');
  };

  before(async () => {
    dom = new JSDOM('<!doctype html><html><body></body></html>');
    dom.window.HTMLElement.prototype.scrollIntoView = () => {};
    g.document = dom.window.document;
    g.CSS = { escape: (s: string) => s.replace(/["\\]/g, '\\$&') };
    mod = {
      meter: await import('../../../src/webview/chat/meter'),
      dividers: await import('../../../src/webview/chat/dividers'),
      actions: await import('../../../src/webview/chat/turnActions'),
      transcript: await import('../../../src/webview/chat/transcript'),
    };
  });
  after(() => {
    delete g.document;
    delete g.CSS;
  });

  const METER: MeterView = { model: 'claude-sonnet-5-5', tokens: 50_000, window: 200_000, exact: true, parts: { system: 5000, context: 20_000, history: 15_000, tools: 10_000 }, warnAt: 0.7, compactAt: 0.8 };
  const turn = (id: string, extra: Partial<TurnView> = {}): TurnView => ({ id, userText: `question ${id}`, blocks: [{ id: `${id}b0`, kind: 'text', text: `answer ${id}` }], status: 'complete', model: 'm', ...extra });

  function mount(turns: TurnView[], continued: (id: string) => boolean = () => false) {
    const root = dom.window.document.createElement('div');
    dom.window.document.body.append(root);
    const actions: string[] = [];
    const t = new mod.transcript.Transcript(root as unknown as HTMLElement, {
      onAction: (a) => actions.push(a),
      onLink() {},
      onCodeBlockAction() {},
      onCancelRetry() {},
      onOpenAttachment() {},
      onOpenCitation() {},
      onRevealRef() {},
      onToolDecision() {},
      announce() {},
      turn: (id) => turns.find((x) => x.id === id),
      continued,
    });
    t.showAll(turns);
    return { root, t, actions };
  }

  it('the meter is a meter: value, max, and the breakdown as text for hover and screen readers; its colour follows the thresholds', () => {
    const m = new mod.meter.ContextMeter();
    assert.equal(m.root.hidden, true, 'hidden until there is something to show');
    m.update(METER);
    assert.equal(m.root.getAttribute('role'), 'meter');
    assert.equal(m.root.getAttribute('aria-valuenow'), '50000');
    assert.equal(m.root.getAttribute('aria-valuemax'), '200000');
    assert.match(m.root.getAttribute('aria-valuetext')!, /^50,000 of 200,000 tokens in the context \(25%\).*System and tools: 5,000; Attached context: 20,000; History: 15,000; Tool results: 10,000/);
    assert.match(m.root.title, /Tool results: 10,000\nCounted by the API\.\nColour changes at 70%; compacts at 80%\./);
    assert.equal(m.root.textContent, '50k / 200k · 25%');
    assert.equal(m.root.dataset.level, 'ok');
    const widths = [...m.root.querySelectorAll('.meter-seg')].map((s) => (s as HTMLElement).style.width);
    assert.deepEqual(widths, ['2.5%', '10%', '7.5%', '5%']);
    m.update({ ...METER, tokens: 150_000 });
    assert.equal(m.root.dataset.level, 'warn');
    m.update({ ...METER, tokens: 170_000 });
    assert.equal(m.root.dataset.level, 'high');
    m.update({ ...METER, tokens: 170_000, compactAt: undefined, exact: false });
    assert.equal(m.root.dataset.level, 'warn', 'with compaction off, only the user threshold');
    assert.match(m.root.title, /automatic compaction is off/);
    assert.match(m.root.textContent!, /^≈ /, 'an estimate says so');
    m.update({ ...METER, tokens: 1_000_000, window: 1_000_000 });
    assert.equal(m.root.textContent, '1M / 1M · 100%');
  });

  it('a divider sits before the first kept turn and expands to the summary, as text only', () => {
    const { root } = mount([turn('t1'), turn('t2'), turn('t3')]);
    const d = new mod.dividers.Dividers(root as unknown as HTMLElement);
    const c: CompactionView = { id: 'k1', turnId: 't3', blockIndex: 0, summary: '<img src=x onerror=alert(1)> - the user wants X', turns: 2, reason: 'threshold', model: 'claude-haiku-5-5', server: false, cost: 0.0012, at: 1 };
    d.sync([c]);
    d.sync([c]);
    const dividers = root.querySelectorAll('details.compaction-divider');
    assert.equal(dividers.length, 1, 'idempotent');
    assert.equal(dividers[0].nextElementSibling?.getAttribute('data-turn'), 't3');
    assert.equal(dividers[0].querySelector('summary')!.textContent, 'Summary of 2 earlier turns · haiku-5-5 · $0.0012');
    assert.equal(root.querySelector('img'), null, 'the summary is text, never markup');
    assert.equal(dividers[0].querySelector('.compaction-summary')!.textContent, c.summary);
    d.sync([{ ...c, turnId: 't2' }]);
    assert.equal(root.querySelector('details.compaction-divider')!.nextElementSibling?.getAttribute('data-turn'), 't2', 'moves with its turn');
    d.sync([]);
    assert.equal(root.querySelectorAll('details.compaction-divider').length, 0);
  });

  it('Edit opens an inline editor; Enter resends the edited text, Escape cancels; Restore checkpoint appears with a checkpoint', () => {
    const views = [turn('t1'), turn('t2', { checkpoint: { paths: ['src/a.ts', 'src/b.ts'], available: true } }), turn('t3', { checkpoint: { paths: ['x.ts'], available: false } })];
    const { root } = mount(views);
    const sent: string[] = [];
    const a = new mod.actions.TurnActions(root as unknown as HTMLElement, { editResend: (id, text) => sent.push(`${id}:${text}`), restore: (id) => sent.push(`restore:${id}`), busy: () => false });
    for (const v of views) {
      a.decorate(v);
      a.decorate(v);
    }
    assert.equal(root.querySelectorAll('[data-action="edit"]').length, 3, 'one Edit per user message, idempotent');
    const edit = root.querySelector<HTMLButtonElement>('section[data-turn="t1"] [data-action="edit"]')!;
    assert.equal(edit.getAttribute('aria-label'), 'Edit and resend this message');
    edit.click();
    const input = root.querySelector<HTMLTextAreaElement>('section[data-turn="t1"] .edit-input')!;
    assert.equal(input.value, 'question t1');
    input.value = 'question t1, better';
    input.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: 'Enter' }));
    assert.deepEqual(sent, ['t1:question t1, better']);
    assert.equal(root.querySelector('.edit-box'), null);
    root.querySelector<HTMLButtonElement>('section[data-turn="t2"] [data-action="edit"]')!.click();
    root.querySelector('section[data-turn="t2"] .edit-input')!.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: 'Escape' }));
    assert.equal(root.querySelector('.edit-box'), null);
    assert.equal(root.querySelector<HTMLElement>('section[data-turn="t2"] .user-text')!.hidden, false, 'cancel shows the message again');
    assert.equal(root.querySelector('section[data-turn="t1"] [data-action="restore"]'), null, 'no checkpoint, no button');
    const restore = root.querySelector<HTMLButtonElement>('section[data-turn="t2"] [data-action="restore"]')!;
    assert.match(restore.title, /put back 2 files this turn changed \(src\/a\.ts, src\/b\.ts\)/);
    restore.click();
    assert.deepEqual(sent.at(-1), 'restore:t2');
    assert.equal(root.querySelector<HTMLButtonElement>('section[data-turn="t3"] [data-action="restore"]')!.disabled, true, 'a pruned checkpoint is shown but unavailable');
  });

  it('a continuation reads as part of the reply: no instruction, no Continue on the cut turn; the footer shows rounds, cost and a pause', () => {
    const cut = turn('t1', { stopReason: 'max_tokens', usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 } });
    const next = turn('t2', { continues: 't1', userText: 'Continue exactly where your last reply stopped.' });
    const { root } = mount([cut, next], (id) => id === 't1');
    const a = new mod.actions.TurnActions(root as unknown as HTMLElement, { editResend() {}, restore() {}, busy: () => false });
    a.decorate(cut);
    a.decorate(next);
    assert.equal(root.querySelector('section[data-turn="t2"]')!.classList.contains('continuation'), true);
    assert.equal(root.querySelector('section[data-turn="t2"] [data-action="edit"]'), null, 'the instruction is not an editable message');
    assert.equal(root.querySelector('section[data-turn="t1"] [data-action="continue"]'), null, 'the Continue button is gone');
    assert.doesNotMatch(root.querySelector('section[data-turn="t1"] .turn-footer')!.textContent!, /max tokens/);
    const { root: r2, actions } = mount([turn('t9', { rounds: 3, cost: 0.0123, costPaused: 250_000, usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 50, cacheWriteTokens: 0 } })]);
    const footer = r2.querySelector('section[data-turn="t9"] .turn-footer')!;
    assert.match(footer.textContent!, /Paused: the next request would send about 250,000 input tokens/);
    assert.match(footer.querySelector('.usage')!.textContent!, /^3 requests · 150 in · 20 out · 50 cached · \$0\.012$/);
    footer.querySelector<HTMLButtonElement>('[data-action="continueTools"]')!.click();
    assert.deepEqual(actions, ['continueTools']);
    const { root: r3 } = mount([turn('t8', { stopReason: 'max_tokens' })]);
    assert.ok(r3.querySelector('[data-action="continue"]'), 'without a continuation, Continue is offered');
  });
});
