// A long conversation in the webview holds only its newest turns; older ones come a page at a time as the view
// scrolls up (turnWindow.ts asks, main.ts posts loadOlder, model.ts takes the answer, the transcript prepends it).
// jsdom does no layout: a small stand-in lays the transcript's children out one under the other (turns 100 px, the
// spacers their CSS height) under a scrolling element, so the anchor and the "near the top" check can be measured.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { HostToWebview, TurnView } from '../../../src/shared/protocol';

const TURN_PX = 100;

describe('webview: older turns of a long conversation, a page at a time', () => {
  const g = globalThis as unknown as Record<string, unknown>;
  let dom: JSDOM;
  let win: typeof import('../../../src/webview/chat/turnWindow');
  let model: typeof import('../../../src/webview/chat/model');
  let Transcript: typeof import('../../../src/webview/chat/transcript').Transcript;
  let TurnActions: typeof import('../../../src/webview/chat/turnActions').TurnActions;
  /** The page's scroll position (document.scrollingElement) and the root the stand-in lays out. */
  const page = { scrollTop: 0, scrollHeight: 0, clientHeight: 768 };
  let laidOut: HTMLElement | undefined;

  before(async () => {
    dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
    dom.window.HTMLElement.prototype.scrollIntoView = () => {};
    Object.defineProperty(dom.window.document, 'scrollingElement', { configurable: true, get: () => page });
    dom.window.HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement) {
      let y = 0;
      let height = 0;
      for (const c of Array.from(laidOut?.children ?? []) as HTMLElement[]) {
        height = c.classList.contains('turn-spacer') ? parseInt(c.style.height || '0', 10) : TURN_PX;
        if (c === this) break;
        y += height;
      }
      const top = y - page.scrollTop;
      return { top, bottom: top + height, height, left: 0, right: 0, width: 0, x: 0, y: top, toJSON() {} } as DOMRect;
    };
    g.document = dom.window.document;
    g.CSS = { escape: (s: string) => s.replace(/["\\]/g, '\\$&') };
    win = await import('../../../src/webview/chat/turnWindow');
    model = await import('../../../src/webview/chat/model');
    ({ Transcript } = await import('../../../src/webview/chat/transcript'));
    ({ TurnActions } = await import('../../../src/webview/chat/turnActions'));
  });
  after(() => {
    delete g.document;
    delete g.CSS;
    dom.window.close();
  });

  function rootEl(): HTMLElement {
    const root = dom.window.document.createElement('div') as unknown as HTMLElement;
    dom.window.document.body.replaceChildren(root as unknown as Node);
    laidOut = root;
    return root;
  }

  const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `t${from + i}`);
  const turn = (i: number): TurnView => ({ id: `tb${i}`, userText: `question ${i}`, status: 'complete', model: 'm', blocks: [{ id: `tb${i}b0`, kind: 'text', text: `answer ${i}` }] });

  function bareWindow(root: HTMLElement, older: string[]) {
    return new win.TurnWindow(root, {
      render: (id) => {
        const e = dom.window.document.createElement('section');
        e.className = 'turn';
        e.dataset.turn = id;
        return e as unknown as HTMLElement;
      },
      drop() {},
      estimate: () => TURN_PX,
      pinned: () => false,
      older: () => older.push('asked'),
    });
  }

  it('prepending older turns keeps what is on screen where it was (the first turn held stays put)', () => {
    const root = rootEl();
    const w = bareWindow(root, []);
    w.reset(ids(100, 110));
    page.scrollTop = 0; // the user is at the very top of what the view has
    const anchor = () => root.querySelector('[data-turn="t100"]')!.getBoundingClientRect().top;
    const before = anchor();
    w.prepend(ids(0, 100));
    assert.equal(anchor(), before, 'the turn the user was looking at did not move');
    assert.equal(page.scrollTop, 100 * TURN_PX, 'the page scrolled by the height of what came above');
    assert.equal(w.size, 110);
    assert.deepEqual(w.built, ids(100, 110), 'the older turns wait above, in the spacer, until scrolled to');
  });

  it('asks for older turns only once the first turn held is built and near the viewport', () => {
    const root = rootEl();
    const older: string[] = [];
    const w = bareWindow(root, older);
    w.reset(ids(0, 300));
    page.scrollTop = 300 * TURN_PX - page.clientHeight; // at the end
    w.update();
    assert.deepEqual(older, [], 'the first turn is far above: nothing asked');
    assert.ok(w.built.length < 60 && w.built[0] !== 't0', `${w.built.length} built`);
    page.scrollTop = 0;
    for (let i = 0; i < 10 && older.length === 0; i++) w.update();
    assert.equal(w.built[0], 't0');
    assert.ok(older.length >= 1, 'asked once the top came near');
  });

  it('model: takes a page only where it fits (its conversation, before its first turn), and keeps the snapshot bounded', () => {
    const state = (first: number, older: number): HostToWebview => ({
      type: 'state', state: { hasApiKey: true, keySource: 'secret', model: 'm', conversationId: 'c1', turns: Array.from({ length: 300 - first }, (_, i) => turn(first + i)), olderTurns: older },
    });
    const page = (from: number, to: number, older: number, extra: Partial<Extract<HostToWebview, { type: 'olderTurns' }>> = {}): HostToWebview => ({
      type: 'olderTurns', conversationId: 'c1', before: `tb${to}`, turns: Array.from({ length: to - from }, (_, i) => turn(from + i)), olderTurns: older, ...extra,
    });
    const m = model.reduce(model.EMPTY_MODEL, state(260, 260));
    assert.equal(m.olderTurns, 260);
    const more = model.reduce(m, page(160, 260, 160));
    assert.deepEqual(more.turns.map((t) => t.id), Array.from({ length: 140 }, (_, i) => `tb${160 + i}`));
    assert.equal(more.olderTurns, 160);
    assert.equal(model.turnOf(more, 'tb170')?.userText, 'question 170');
    assert.equal(model.reduce(m, page(160, 260, 160, { conversationId: 'c2' })), m, 'another conversation');
    assert.equal(model.reduce(more, page(160, 260, 160)), more, 'a repeat: its place is taken');
    assert.equal(model.reduce(m, page(150, 250, 150)), m, 'not before the first turn held');
    assert.equal(model.reduce(m, page(255, 260, 0, { turns: [turn(280)] })), m, 'a turn it already holds');
    assert.equal(model.reduce(model.fromSnapshot(model.toSnapshot(m)), page(160, 260, 160)).turns.length, 40, 'not before the host\'s state');
    const last = model.reduce(more, page(0, 160, 0));
    assert.equal(last.turns.length, 300);
    assert.equal(last.olderTurns, undefined);
    // A streamed delta finds the last turn by id, through the index the older page did not break.
    const streamed = model.reduce(last, { type: 'blockDelta', turnId: 'tb299', blockId: 'tb299b0', text: '!' });
    assert.equal(model.turnOf(streamed, 'tb299')?.blocks[0].text, 'answer 299!');
    // getState keeps the newest SNAPSHOT_TURNS: a reload asks for the rest again.
    const snap = model.toSnapshot(last);
    assert.equal(snap.turns.length, model.SNAPSHOT_TURNS);
    assert.equal(snap.turns.at(-1)!.id, 'tb299');
    assert.equal(snap.olderTurns, 300 - model.SNAPSHOT_TURNS);
    assert.deepEqual(model.toSnapshot(m).turns.length, 40);
    // A long conversation's meter follows its state: the same conversation's meter stays until it comes, another's goes.
    const meter = { model: 'm', tokens: 5, exact: false, parts: { system: 1, context: 1, history: 2, tools: 1 }, warnAt: 0.7 };
    const metered = model.reduce(m, { type: 'meter', meter });
    assert.equal(model.reduce(metered, state(260, 260)).meter, meter);
    const other = state(260, 260) as Extract<HostToWebview, { type: 'state' }>;
    assert.equal(model.reduce(metered, { type: 'state', state: { ...other.state, conversationId: 'c2' } }).meter, undefined);
    assert.equal(model.reduce(metered, state(0, 0)).meter, undefined, 'a conversation sent whole brings its own (here none)');
  });

  it('an older turn, loaded and scrolled to, gets its Edit, which resends that turn', async () => {
    const root = rootEl();
    let m = model.reduce(model.EMPTY_MODEL, {
      type: 'state', state: { hasApiKey: true, keySource: 'secret', model: 'm', conversationId: 'c1', turns: Array.from({ length: 40 }, (_, i) => turn(260 + i)), olderTurns: 260 },
    });
    const asked: string[] = [];
    const sent: string[] = [];
    const actions = new TurnActions(root, { editResend: (id, text) => sent.push(`${id}:${text}`), restore() {}, busy: () => false });
    const t = new Transcript(root, {
      onAction() {}, onLink() {}, onCodeBlockAction() {}, onCancelRetry() {}, onRevealRef() {}, onToolDecision() {}, onOpenAttachment() {}, onOpenCitation() {}, announce() {},
      turn: (id) => model.turnOf(m, id),
      built: (id) => actions.decorate(model.turnOf(m, id)!),
      older: () => asked.push(m.turns[0].id),
    });
    const frame = () => new Promise((r) => dom.window.requestAnimationFrame(() => r(undefined)));
    t.showAll(m.turns);
    page.scrollTop = 0;
    dom.window.dispatchEvent(new dom.window.Event('scroll'));
    for (let i = 0; i < 20 && asked.length === 0; i++) await frame();
    assert.equal(asked[0], 'tb260', 'asked for the turns before the first one held');
    const older: HostToWebview = { type: 'olderTurns', conversationId: 'c1', before: 'tb260', turns: Array.from({ length: 100 }, (_, i) => turn(160 + i)), olderTurns: 160 };
    m = model.reduce(m, older);
    t.prependTurns((older as Extract<HostToWebview, { type: 'olderTurns' }>).turns);
    for (let i = 0; i < 40 && !root.querySelector('[data-turn="tb200"] [data-action="edit"]'); i++) {
      page.scrollTop = Math.max(0, page.scrollTop - 600);
      dom.window.dispatchEvent(new dom.window.Event('scroll'));
      await frame();
      await Promise.resolve();
    }
    const edit = root.querySelector<HTMLButtonElement>('[data-turn="tb200"] [data-action="edit"]');
    assert.ok(edit, 'the older turn was built and decorated');
    edit.click();
    const input = root.querySelector<HTMLTextAreaElement>('[data-turn="tb200"] .edit-input')!;
    assert.equal(input.value, 'question 200');
    input.value = 'question 200, shorter';
    input.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: 'Enter' }));
    assert.deepEqual(sent, ['tb200:question 200, shorter']);
    t.clear();
  });
});
