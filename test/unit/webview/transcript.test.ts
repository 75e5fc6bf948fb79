// The transcript in jsdom: it paints from the model and owns its timers. The chat code builds elements with the
// page's `document`, so this file lends jsdom's to the global object for its own tests and takes it back after.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { TurnView } from '../../../src/shared/protocol';

describe('webview transcript', () => {
  const g = globalThis as unknown as Record<string, unknown>;
  let dom: JSDOM;
  let Transcript: typeof import('../../../src/webview/chat/transcript').Transcript;
  const active = new Set<unknown>();
  const realSet = setInterval;
  const realClear = clearInterval;

  before(async () => {
    dom = new JSDOM('<!doctype html><html><body></body></html>');
    dom.window.HTMLElement.prototype.scrollIntoView = () => {}; // jsdom does no layout
    g.document = dom.window.document;
    g.setInterval = (fn: () => void, ms: number) => {
      const id = realSet(fn, ms);
      active.add(id);
      return id;
    };
    g.clearInterval = (id: ReturnType<typeof setInterval>) => {
      active.delete(id);
      realClear(id);
    };
    ({ Transcript } = await import('../../../src/webview/chat/transcript'));
  });
  after(() => {
    for (const id of active) realClear(id as ReturnType<typeof setInterval>);
    delete g.document;
    g.setInterval = realSet;
    g.clearInterval = realClear;
  });

  const turn = (id: string, status: TurnView['status'] = 'streaming'): TurnView => ({ id, userText: `question ${id}`, blocks: [], status, model: 'm' });

  function mount(turns: TurnView[]) {
    const root = dom.window.document.createElement('div');
    dom.window.document.body.append(root);
    const said: string[] = [];
    const t = new Transcript(root as unknown as HTMLElement, {
      onAction() {},
      onLink() {},
      onCodeBlockAction() {},
      onCancelRetry() {},
      onRevealRef() {},
      onToolDecision() {},
      onOpenAttachment() {},
      onOpenCitation() {},
      announce: (text) => said.push(text),
      turn: (id) => turns.find((x) => x.id === id),
    });
    return { t, root, said };
  }

  it('clear() stops the retry countdown it started (it used to keep ticking)', () => {
    const turns = [turn('t1')];
    const { t, root } = mount(turns);
    t.showAll(turns);
    t.retryWait('t1', { attempt: 1, maxAttempts: 3, delayMs: 10_000, until: Date.now() + 10_000, reason: 'Overloaded.' });
    assert.equal(active.size, 1, 'the countdown ticks');
    assert.match(root.textContent ?? '', /Retrying in 10 s \(attempt 2 of 3\)/);
    t.clear();
    assert.equal(active.size, 0, 'no timer outlives the transcript');
    assert.equal(root.childElementCount, 0);
  });

  it('a new conversation (showAll) and the end of the turn stop a countdown too', () => {
    const turns = [turn('t1')];
    const { t } = mount(turns);
    t.showAll(turns);
    t.retryWait('t1', { attempt: 1, maxAttempts: 3, delayMs: 5000, until: Date.now() + 5000, reason: 'Busy.' });
    t.showAll([]);
    assert.equal(active.size, 0);
    t.showAll(turns);
    t.retryWait('t1', { attempt: 1, maxAttempts: 3, delayMs: 5000, until: Date.now() + 5000, reason: 'Busy.' });
    turns[0] = { ...turns[0], status: 'complete' };
    t.endTurn(turns[0]);
    assert.equal(active.size, 0);
  });

  it('a user message shows its markdown, and an Explain command a card: no raw ``` fences in the bubble (they used to show)', () => {
    const explain: TurnView = {
      ...turn('t1', 'complete'),
      userText: 'Explain lines 1–2 of a.ts:\n```ts\nconst x = 1;\n```',
      command: { name: 'explain', args: '' },
    };
    const plain: TurnView = { ...turn('t2', 'complete'), userText: 'Is `x` **used**?\n```\nx\n```' };
    const { t, root } = mount([explain, plain]);
    t.showAll([explain, plain]);
    const users = root.querySelectorAll('.msg.user');
    assert.equal(users[0].querySelector('.command-name')?.textContent, '/explain');
    assert.equal(users[0].querySelector('pre code')?.textContent, 'const x = 1;\n');
    assert.equal(users[1].querySelector('strong')?.textContent, 'used');
    for (const u of users) assert.ok(!(u.textContent ?? '').includes('```'), u.textContent ?? '');
  });

  it('paints the footer from the model\'s turn and announces the end', () => {
    const turns = [turn('t1')];
    const { t, root, said } = mount(turns);
    t.showAll(turns);
    assert.match(root.querySelector('.turn-footer')?.textContent ?? '', /Replying/);
    turns[0] = { ...turns[0], status: 'error', error: { message: 'Overloaded.', action: 'retry' } };
    t.endTurn(turns[0]);
    assert.equal(root.querySelector('.turn')?.getAttribute('data-status'), 'error');
    assert.equal(root.querySelector('button[data-action="retry"]')?.textContent, 'Retry');
    assert.deepEqual(said, ['Error: Overloaded.']);
  });
});
