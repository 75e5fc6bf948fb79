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

  it('a tool of another extension or an MCP server names its source, offers "in this workspace", and marks its result untrusted', () => {
    const decided: [string, ToolDecision][] = [];
    const card = new ToolCard('mcp_calc_add', 'toolu_3', (id, d) => decided.push([id, d]));
    card.setSource('MCP server "calc" <b>bold</b>');
    card.setStatus('pending-approval', 'mcp_calc_add');
    assert.equal(card.root.querySelector('.tool-source')!.textContent, 'From MCP server "calc" <b>bold</b>');
    assert.equal(card.root.querySelector('.tool-source b'), null, 'the label is text, not markup');
    assert.equal(card.root.getAttribute('aria-label'), 'Tool call mcp_calc_add from MCP server "calc" <b>bold</b>');
    assert.deepEqual(decisions(card), ['approve', 'always', 'workspace', 'reject']);
    card.root.querySelector<HTMLButtonElement>('[data-decision="workspace"]')!.click();
    assert.deepEqual(decided, [['toolu_3', 'workspace']]);
    card.setResult('Output of the tool ...', false, true);
    assert.ok(card.root.querySelector('.tool-result.is-untrusted .untrusted-badge'), 'the result carries the Untrusted badge');
    const own = new ToolCard('read_file', 'toolu_4', () => {});
    own.setResult('text', false);
    assert.equal(own.root.querySelector('.untrusted-badge'), null);
    assert.equal(own.root.querySelector<HTMLElement>('.tool-source')!.hidden, true);
  });
});
