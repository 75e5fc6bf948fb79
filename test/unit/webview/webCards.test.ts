// Web search cards and citations in the transcript (jsdom): hostile titles and URLs from the web render as inert text,
// only http(s) become links, a click asks the host (never navigates), citations are numbered per turn; the footer
// shows the searches, the cost, the effort and the cache verdict.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { TurnView } from '../../../src/shared/protocol';

describe('webview: web search cards and citations', () => {
  const g = globalThis as unknown as Record<string, unknown>;
  let dom: JSDOM;
  let Transcript: typeof import('../../../src/webview/chat/transcript').Transcript;

  before(async () => {
    dom = new JSDOM('<!doctype html><html><body></body></html>');
    dom.window.HTMLElement.prototype.scrollIntoView = () => {};
    g.document = dom.window.document;
    ({ Transcript } = await import('../../../src/webview/chat/transcript'));
  });
  after(() => {
    delete g.document;
  });

  const EVIL = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
  const turnWithSearch = (): TurnView => ({
    id: 't1', userText: 'q', status: 'complete', model: 'm', effort: 'low',
    usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, webSearchRequests: 1, costUsd: 0.0104 },
    cache: { state: 'miss', reason: 'context', detail: 'Cache miss: attached file src/a.ts was edited.', readTokens: 0, missedTokens: 900 },
    blocks: [
      { id: 'b0', kind: 'server_tool_use', text: JSON.stringify({ query: `vs code ${EVIL}` }), toolName: 'web_search', toolId: 'srv1' },
      {
        id: 'b1', kind: 'web_search_tool_result', text: '', toolId: 'srv1',
        sources: [
          { url: 'https://code.visualstudio.com/api', title: `VS Code API ${EVIL}`, pageAge: 'May 1, 2026' },
          { url: 'javascript:alert(1)', title: 'evil link' },
          { url: 'command:workbench.action.terminal.new', title: 'command link' },
        ],
      },
      { id: 'b2', kind: 'text', text: 'The API is documented.', webCitations: [{ url: 'https://code.visualstudio.com/api', title: 'VS Code API', citedText: 'Extension API' }, { url: 'https://code.visualstudio.com/api', title: 'dup', citedText: 'x' }] },
      { id: 'b3', kind: 'text', text: 'Also here.', webCitations: [{ url: 'https://example.org/g', citedText: 'guide' }, { url: 'https://code.visualstudio.com/api', citedText: 'again' }] },
    ],
  });

  function mount(turns: TurnView[]) {
    const root = dom.window.document.createElement('div');
    dom.window.document.body.append(root);
    const links: string[] = [];
    const t = new Transcript(root as unknown as HTMLElement, {
      onAction() {}, onLink: (h) => links.push(h), onCodeBlockAction() {}, onCancelRetry() {}, onRevealRef() {}, onToolDecision() {}, announce() {}, onOpenAttachment() {}, onOpenCitation() {},
      turn: (id) => turns.find((x) => x.id === id),
    });
    t.showAll(turns);
    return { root, links };
  }

  it('renders the search and its sources as text; only http(s) sources are links', () => {
    const { root } = mount([turnWithSearch()]);
    const card = root.querySelector('.web-card')!;
    assert.match(card.querySelector('.web-head')!.textContent ?? '', /Searched the web for “vs code <img src=x onerror=/);
    assert.equal(card.querySelector('img, script'), null, 'no element from the title or query');
    assert.equal((dom.window as unknown as { pwned?: number }).pwned, undefined);
    const anchors = [...card.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    assert.deepEqual(anchors, ['https://code.visualstudio.com/api']);
    assert.match(card.textContent ?? '', /evil link/);
    assert.match(card.textContent ?? '', /command link/);
    assert.match(card.textContent ?? '', /code\.visualstudio\.com/);
  });

  it('a click asks the host to open the link and never navigates the page', () => {
    const { root, links } = mount([turnWithSearch()]);
    const a = root.querySelector('.web-card a')!;
    const click = new dom.window.MouseEvent('click', { bubbles: true, cancelable: true });
    a.dispatchEvent(click);
    assert.equal(click.defaultPrevented, true);
    assert.deepEqual(links, ['https://code.visualstudio.com/api']);
  });

  it('citations: numbered per turn by source, after the text they support, linking to it', () => {
    const { root, links } = mount([turnWithSearch()]);
    const blocks = [...root.querySelectorAll('.web-citations')];
    assert.equal(blocks.length, 2);
    assert.deepEqual([...blocks[0].querySelectorAll('a')].map((a) => a.textContent), ['[1] VS Code API'], 'the same source once per block');
    assert.deepEqual([...blocks[1].querySelectorAll('a')].map((a) => a.textContent), ['[2] example.org', '[1] code.visualstudio.com'], 'the same number for the same source');
    assert.match(blocks[0].querySelector('a')!.getAttribute('title') ?? '', /“Extension API”/);
    blocks[1].querySelector('a')!.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true, cancelable: true }));
    assert.deepEqual(links, ['https://example.org/g']);
  });

  it('the footer shows the search, the effort, the cost and the cache verdict', () => {
    const { root } = mount([turnWithSearch()]);
    const footer = root.querySelector('.turn-footer')!;
    assert.match(footer.querySelector('.usage')!.textContent ?? '', /^100 in · 20 out · 1 web search · effort low · \$0\.01$/);
    const cache = footer.querySelector('.cache-verdict')!;
    assert.equal(cache.getAttribute('data-reason'), 'context');
    assert.equal(cache.textContent, 'Cache miss: attached file src/a.ts was edited.');
  });
});
