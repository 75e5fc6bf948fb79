// The transcript builds DOM only for a window of turns (turnWindow.ts): a 2,500-turn conversation opens with the
// last INITIAL_TURNS built, through the same per-turn render function, with a spacer for the rest; new turns append;
// progress for a turn without DOM is a no-op (the model holds it; the turn is built from the model when it comes
// into view). jsdom does no layout, so scrolling itself is measured in the browser benchmark (bench/chat).
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { TurnView } from '../../../src/shared/protocol';

describe('webview transcript: turns built only near the viewport', () => {
  const g = globalThis as unknown as Record<string, unknown>;
  let dom: JSDOM;
  let Transcript: typeof import('../../../src/webview/chat/transcript').Transcript;
  let INITIAL_TURNS: number;

  before(async () => {
    dom = new JSDOM('<!doctype html><html><body></body></html>');
    dom.window.HTMLElement.prototype.scrollIntoView = () => {};
    g.document = dom.window.document;
    ({ Transcript } = await import('../../../src/webview/chat/transcript'));
    ({ INITIAL_TURNS } = await import('../../../src/webview/chat/turnWindow'));
  });
  after(() => delete g.document);

  const turn = (i: number, status: TurnView['status'] = 'complete'): TurnView => ({
    id: `t${i}`, userText: `question ${i}`, status, model: 'm',
    blocks: [{ id: `t${i}b0`, kind: 'text', text: `Answer **${i}**.` }],
  });

  function mount(turns: TurnView[]) {
    const root = dom.window.document.createElement('div');
    dom.window.document.body.append(root);
    const t = new Transcript(root as unknown as HTMLElement, {
      onAction() {}, onLink() {}, onCodeBlockAction() {}, onCancelRetry() {}, onRevealRef() {}, onToolDecision() {}, onOpenAttachment() {}, onOpenCitation() {}, announce() {},
      turn: (id) => turns.find((x) => x.id === id),
    });
    return { t, root };
  }

  it('opens a 2,500-turn conversation with only the last turns built, each through the one render function', () => {
    const turns = Array.from({ length: 2500 }, (_, i) => turn(i));
    const { t, root } = mount(turns);
    t.showAll(turns);
    const built = [...root.querySelectorAll('.turn')];
    assert.equal(built.length, INITIAL_TURNS);
    assert.deepEqual(built.map((e) => e.getAttribute('data-turn')), turns.slice(-INITIAL_TURNS).map((x) => x.id));
    assert.equal(built.at(-1)!.querySelector('.reply-body strong')?.textContent, '2499', 'rendered as markdown');
    const spacers = root.querySelectorAll('.turn-spacer[aria-hidden="true"]');
    assert.equal(spacers.length, 2);
    assert.ok(parseInt((spacers[0] as HTMLElement).style.height, 10) > 10_000, 'the turns above have their height');
    assert.ok(root.querySelectorAll('*').length < 40 * INITIAL_TURNS, `${root.querySelectorAll('*').length} elements`);
  });

  it('appends a new turn, streams into it, and ignores progress for turns without DOM', () => {
    const turns = Array.from({ length: 200 }, (_, i) => turn(i));
    const { t, root } = mount(turns);
    t.showAll(turns);
    turns.push(turn(200, 'streaming'));
    t.addTurn(turns[200]);
    t.startBlock('t200', { id: 't200b0', kind: 'text', text: '' });
    t.appendDelta('t200', 't200b0', 'Hello');
    assert.equal(root.querySelector('.turn:last-of-type')?.getAttribute('data-turn'), 't200');
    assert.equal(root.querySelectorAll('.turn').length, INITIAL_TURNS + 1);
    t.appendDelta('t3', 't3b0', 'more'); // t3 has no DOM
    t.endTurn(turns[3]);
    assert.equal(root.querySelector('[data-turn="t3"]'), null);
    t.clear();
    assert.equal(root.childElementCount, 0);
  });

  it('opens at the very end of the page, so the last turn is not left behind the sticky composer', () => {
    // jsdom has no layout and no scrollingElement: a stand-in with a page 5,000 px tall.
    const page = { scrollHeight: 5000, clientHeight: 900, scrollTop: 0 };
    Object.defineProperty(dom.window.document, 'scrollingElement', { configurable: true, get: () => page });
    try {
      const { t } = mount(Array.from({ length: 30 }, (_, i) => turn(i)));
      t.showAll(Array.from({ length: 30 }, (_, i) => turn(i)));
      assert.equal(page.scrollTop, 5000, 'scrolled to the end of the page, not to the end of the last turn');
    } finally {
      delete (dom.window.document as unknown as Record<string, unknown>).scrollingElement;
    }
  });

  it('tells the page about each turn it builds, once the turn is in the page (to decorate it: Edit, Restore, dividers)', async () => {
    const turns = Array.from({ length: 30 }, (_, i) => turn(i));
    const root = dom.window.document.createElement('div');
    dom.window.document.body.append(root);
    const seen: string[] = [];
    const t = new Transcript(root as unknown as HTMLElement, {
      onAction() {}, onLink() {}, onCodeBlockAction() {}, onCancelRetry() {}, onRevealRef() {}, onToolDecision() {}, onOpenAttachment() {}, onOpenCitation() {}, announce() {},
      turn: (id) => turns.find((x) => x.id === id),
      built: (id) => seen.push(`${id}:${root.querySelector(`[data-turn="${id}"]`) ? 'in page' : 'missing'}`),
    });
    t.showAll(turns);
    await Promise.resolve();
    assert.deepEqual([...seen].sort(), turns.slice(-INITIAL_TURNS).map((x) => `${x.id}:in page`).sort(), 'each built turn, once, in the page when announced');
    t.clear();
  });
});
