// The chat card of a protected edit: the reason is shown, and "allow for this conversation" is not offered.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { ToolDecision } from '../../../src/shared/protocol';
import { ToolCard } from '../../../src/webview/chat/toolCard';

describe('webview: tool card approval', () => {
  const g = globalThis as { document?: Document };
  let saved: Document | undefined;
  before(() => {
    saved = g.document;
    g.document = new JSDOM('<!doctype html><body></body>').window.document; // dom.ts creates elements on `document`
  });
  after(() => {
    if (saved === undefined) delete g.document;
    else g.document = saved;
  });

  const decisions = (card: ToolCard) => [...card.root.querySelectorAll<HTMLButtonElement>('.tool-actions button')].map((b) => b.dataset.decision);

  it('a protected edit shows its reason and only Approve / Reject; the reason goes when the status moves on', () => {
    const decided: [string, ToolDecision][] = [];
    const card = new ToolCard('propose_edit', 'toolu_1', (id, d) => decided.push([id, d]));
    const reason = '.vscode holds VS Code settings, tasks and launch configurations, which can run commands. <img src=x onerror=alert(1)>';
    card.setStatus('pending-approval', 'Rewrite .vscode/tasks.json (1 line -> 3 lines)', reason);
    const note = card.root.querySelector<HTMLElement>('.tool-protected')!;
    assert.equal(note.hidden, false);
    assert.equal(note.textContent, `Always asked: ${reason}`);
    assert.equal(note.querySelector('img'), null, 'the reason is text, not markup');
    assert.deepEqual(decisions(card), ['approve', 'reject']);
    card.root.querySelector<HTMLButtonElement>('[data-decision="approve"]')!.click();
    assert.deepEqual(decided, [['toolu_1', 'approve']]);
    card.setStatus('running', 'Rewrite .vscode/tasks.json');
    assert.equal(note.hidden, true);
    assert.equal(note.textContent, '');
  });

  it('an ordinary edit keeps all three choices and shows no note', () => {
    const card = new ToolCard('propose_edit', 'toolu_2', () => {});
    card.setStatus('pending-approval', 'Edit a.txt: replace 1 line with 1 line');
    assert.deepEqual(decisions(card), ['approve', 'always', 'reject']);
    assert.equal(card.root.querySelector<HTMLElement>('.tool-protected')!.hidden, true);
  });
});
