// Web search and web fetch through the real chat engine against the fake API: a server-tool stream with citations
// (blocks, the citations event, usage and cost), results sent back unchanged on the next turn (the fake refuses
// modified encrypted_content), pause_turn continued automatically within the tool-round cap, and the estimate
// (count_tokens refuses server tools).
import * as assert from 'node:assert/strict';
import { CapabilityTable } from '../../../src/core/capabilities';
import { FakeApi, reply, startFakeApi } from '../../fake-api/server';
import { chatHarness, Harness, HarnessOptions, until } from './fakes';

const WEB = { search: true, fetch: true, allowedDomains: [], blockedDomains: [], maxUses: 5 };
const table = new CapabilityTable();
const RESULTS = [{ url: 'https://code.visualstudio.com/api', title: 'VS Code API', page_age: 'May 1, 2026' }, { url: 'https://example.org/guide', title: 'A guide' }];
const CITED = { text: 'The extension API is documented on the VS Code site.', citations: [{ url: RESULTS[0].url, title: 'VS Code API', cited_text: 'Extension API' }] };
type Msg = { role: string; content: { type: string; encrypted_content?: string; content?: unknown }[] };

describe('chat: web search and fetch (server tools)', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  const web = (opts: HarnessOptions = {}): Promise<Harness> =>
    chatHarness(api, { capabilities: (m) => table.get(m), ...opts, settings: { web: WEB, webDefault: true, ...opts.settings } });

  it('a search with a cited answer: blocks, citations, usage and its cost on the turn', async () => {
    const h = await web();
    h.usage.pricePerToken = 0.000001;
    api.queue(reply.webSearch('vs code extension api', RESULTS, [{ text: 'Here is what I found.\n\n' }, CITED], { chunkSize: 11 }));
    await h.app.handle({ type: 'send', text: 'Where is the VS Code API documented?' });
    const turn = h.app.session.history[0];
    assert.equal(turn.status, 'complete');
    assert.deepEqual(turn.blocks.map((b) => b.kind), ['server_tool_use', 'web_search_tool_result', 'text', 'text']);
    assert.deepEqual(turn.blocks[0].input, { query: 'vs code extension api' });
    assert.deepEqual(turn.blocks[1].sources, [{ url: RESULTS[0].url, title: 'VS Code API', pageAge: 'May 1, 2026' }, { url: RESULTS[1].url, title: 'A guide' }]);
    assert.deepEqual(turn.blocks[3].webCitations, [{ url: RESULTS[0].url, title: 'VS Code API', citedText: 'Extension API' }]);
    const cites = h.of('blockCitations');
    assert.equal(cites.length, 1);
    assert.equal(cites[0].blockId, turn.blocks[3].id);
    assert.equal(turn.usage?.webSearchRequests, 1);
    assert.equal(h.usage.records[0].webSearchRequests, 1);
    const expected = h.usage.costOf(h.usage.records[0])!;
    assert.ok(Math.abs((turn.usage?.costUsd ?? 0) - expected) < 1e-12 && expected >= 0.01, 'the footer cost includes the search');
    // What the webview gets for the blocks: sources and citations, never the raw result (encrypted content).
    const views = h.of('blockStart').map((m) => m.block);
    assert.ok(views.every((b) => !('raw' in b)));
    assert.ok(!JSON.stringify(h.posted).includes('encrypted_content'));
  });

  it('the next turn sends the results back unchanged (the fake refuses modified encrypted_content) and the call with them', async () => {
    const h = await web();
    api.queue(reply.webSearch('q', RESULTS, [CITED]));
    await h.app.handle({ type: 'send', text: 'search' });
    api.queue(reply.text('Follow-up answer.'));
    await h.app.handle({ type: 'send', text: 'and then?' });
    assert.equal(h.app.session.history[1].status, 'complete', h.app.session.history[1].error?.message);
    const msgs = (api.messageRequests[1].body as { messages: Msg[] }).messages;
    assert.deepEqual(msgs[1].content.map((b) => b.type), ['server_tool_use', 'web_search_tool_result', 'text']);
    // Tampering is caught by the fake: prove the check is live.
    const h2 = await web();
    api.queue(reply.webSearch('q', RESULTS, [CITED]));
    await h2.app.handle({ type: 'send', text: 'search' });
    const raw = h2.app.session.history[0].blocks[1].raw as { content: { encrypted_content: string }[] };
    raw.content[0].encrypted_content = 'forged';
    api.queue(reply.text('never'));
    await h2.app.handle({ type: 'send', text: 'again' });
    assert.match(h2.app.session.history[1].error?.message ?? '', /encrypted_content/);
  });

  it('pause_turn: the paused turn is sent back as-is (no "Continue" message) and finishes in the same turn', async () => {
    const h = await web();
    api.features.serverIterations = 0;
    api.queue(reply.message([{ type: 'text', text: 'Let me look that up.' }, { type: 'server_tool_use', name: 'web_search', input: { query: 'pause' } }]));
    api.setResponder(() => {
      api.features.serverIterations = 10;
      return reply.message([{ type: 'web_search_tool_result', results: RESULTS }, { type: 'text', ...CITED }]);
    });
    await h.app.handle({ type: 'send', text: 'look it up' });
    const turn = h.app.session.history[0];
    assert.equal(turn.status, 'complete', turn.error?.message);
    assert.equal(api.messageRequests.length, 2);
    const second = (api.messageRequests[1].body as { messages: Msg[] }).messages;
    assert.equal(second.length, 2, 'user, then the paused assistant content: no extra user message');
    assert.equal(second[1].role, 'assistant');
    assert.deepEqual(second[1].content.map((b) => b.type), ['text', 'server_tool_use']);
    assert.deepEqual(turn.blocks.map((b) => b.kind), ['text', 'server_tool_use', 'web_search_tool_result', 'text']);
    assert.equal(turn.blocks[2].toolId, turn.blocks[1].toolId, 'the result answers the paused call');
    assert.equal(turn.stopReason, 'end_turn');
  });

  it('pause_turn counts toward the tool-round cap: at the cap the turn stops and offers Continue', async () => {
    const h = await web({ settings: { maxToolRounds: 1 } });
    api.features.serverIterations = 0;
    api.queue(reply.message([{ type: 'server_tool_use', name: 'web_search', input: { query: 'a' } }]));
    await h.app.handle({ type: 'send', text: 'look' });
    const turn = h.app.session.history[0];
    assert.equal(turn.toolCapReached, true);
    assert.equal(api.messageRequests.length, 1);
    api.features.serverIterations = 10;
    api.queue(reply.message([{ type: 'web_search_tool_result', results: [] }, { type: 'text', text: 'Nothing found.' }]));
    await h.app.handle({ type: 'continueTools' });
    assert.equal(h.app.session.history[0].status, 'complete');
    assert.equal(api.messageRequests.length, 2);
  });

  it('the estimate leaves the server tools out (count_tokens refuses them) and still counts', async () => {
    const h = await web();
    await h.app.handle({ type: 'draft', text: 'how big is this?' });
    await until('an estimate', () => h.of('estimate').length > 0);
    const e = h.of('estimate')[0];
    assert.equal(e.error, undefined);
    assert.ok((e.tokens ?? 0) > 0);
    const counted = api.requests.find((r) => r.path === '/v1/messages/count_tokens')!.body as { tools?: unknown[] };
    assert.equal(counted.tools, undefined);
  });
});
