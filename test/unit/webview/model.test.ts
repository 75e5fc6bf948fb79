// The webview's one model: a reducer over the host's messages. Replaying what a real ChatApp posted must give the
// host's own conversation, turn for turn: one authoritative copy in the host, one view model in the webview.
import * as assert from 'node:assert/strict';
import type { ToolCall, ToolResult, ToolRunContext } from '../../../src/core/tools/types';
import type { HostToWebview, ViewState } from '../../../src/shared/protocol';
import { ChatModel, EMPTY_MODEL, fromSnapshot, isBusy, reduce, toSnapshot } from '../../../src/webview/chat/model';
import { FakeApi, startFakeApi } from '../../fake-api/server';
import { newConversation } from '../../../src/core/conversation';
import { bigTurns, chatHarness } from '../chat/fakes';

const replay = (messages: HostToWebview[], from: ChatModel = EMPTY_MODEL) => messages.reduce(reduce, from);

const tools = {
  definitions: () => [{ name: 'read_file', description: 'Read a file.', input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } } }],
  run: async (calls: ToolCall[], ctx: ToolRunContext): Promise<ToolResult[]> =>
    calls.map((c) => {
      ctx.onStatus?.(c.id, 'running');
      ctx.onStatus?.(c.id, 'done');
      return { toolUseId: c.id, content: 'file text', isError: false, ...(c.name.startsWith('mcp_') ? { untrusted: true } : {}) };
    }),
  /** An MCP server's tool: its source rides on the status events and its result is untrusted. */
  sourceOf: (name: string) => (name.startsWith('mcp_') ? 'MCP server "calc"' : undefined),
};

describe('webview model: one reducer over the host\'s messages', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('replaying everything a ChatApp posted gives exactly the session\'s turns (text, thinking, tools, stop, retry, errors)', async () => {
    const h = await chatHarness(api, { tools, settings: { maxAttempts: 2 } });
    api.queue(
      { kind: 'message', blocks: [{ type: 'thinking', thinking: 'Let me think.' }, { type: 'text', text: 'Reading it.' }, { type: 'tool_use', name: 'read_file', input: { path: 'a.ts' } }, { type: 'tool_use', name: 'mcp_calc_add', input: { a: 1, b: 2 } }], stopReason: 'tool_use', chunkSize: 3 },
      { kind: 'text', text: 'It says **file text**.', chunkSize: 2 },
      { kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded' },
      { kind: 'text', text: 'after a retry' },
      { kind: 'error', status: 400, message: 'bad request here' },
    );
    await h.app.handle({ type: 'send', text: 'read a.ts' });
    await h.app.handle({ type: 'send', text: 'again' });
    await h.app.handle({ type: 'send', text: 'fails' });
    assert.ok(h.of('retryWait').length === 1 && h.of('toolStatus').length === 4, 'the run covered a retry wait and tool statuses');
    const model = replay(h.posted);
    assert.deepEqual(model.turns, h.app.session.views());
    const blocks = model.turns[0].blocks;
    assert.deepEqual(blocks.filter((b) => b.kind === 'tool_use').map((b) => b.toolSource), [undefined, 'MCP server "calc"'], 'the source reached the view');
    assert.deepEqual(blocks.filter((b) => b.kind === 'tool_result').map((b) => b.untrusted), [undefined, true]);
    assert.equal(model.turns.length, 3);
    assert.deepEqual(model.turns.map((t) => t.status), ['complete', 'complete', 'error']);
    assert.equal(isBusy(model), false);
  });

  it('a stopped reply and a resumed tool loop replay to the session\'s turns too', async () => {
    const h = await chatHarness(api, { tools, settings: { maxToolRounds: 1 } });
    api.queue({ kind: 'message', blocks: [{ type: 'tool_use', name: 'read_file', input: { path: 'b' } }], stopReason: 'tool_use' }, { kind: 'text', text: 'done now' });
    await h.app.handle({ type: 'send', text: 'capped' });
    assert.equal(isBusy(replay(h.posted)), false);
    await h.app.handle({ type: 'continueTools' });
    api.queue({ kind: 'text', text: 'w'.repeat(300), chunkSize: 3, delayMs: 5 });
    const done = h.app.handle({ type: 'send', text: 'stop me' });
    const streaming = () => h.app.session.history[1] && h.of('blockDelta').filter((d) => d.turnId === h.app.session.history[1].id).length >= 3;
    for (let i = 0; i < 1000 && !streaming(); i++) await new Promise((r) => setTimeout(r, 5));
    const during = replay(h.posted);
    assert.equal(isBusy(during), true, 'busy while the last turn streams');
    await h.app.handle({ type: 'stop' });
    await done;
    assert.deepEqual(replay(h.posted).turns, h.app.session.views());
  });

  it('turn progress before the first state is ignored (the state brings it); after it, it applies', () => {
    const snapshot: ViewState = { hasApiKey: true, keySource: 'secret', model: 'm', turns: [{ id: 't1', userText: 'hi', blocks: [{ id: 'b1', kind: 'text', text: 'Hel' }], status: 'streaming', model: 'm' }] };
    const restored = fromSnapshot(snapshot);
    assert.equal(restored.synced, false);
    assert.equal(isBusy(restored), true, 'busy is derived from the turns');
    const delta: HostToWebview = { type: 'blockDelta', turnId: 't1', blockId: 'b1', text: 'lo' };
    assert.equal(reduce(restored, delta), restored, 'not applied to a stale snapshot');
    const fresh = reduce(restored, { type: 'state', state: { ...snapshot, turns: [{ ...snapshot.turns[0], blocks: [{ id: 'b1', kind: 'text', text: 'Hello' }] }] } });
    assert.equal(fresh.synced, true);
    assert.equal(reduce(fresh, delta).turns[0].blocks[0].text, 'Hellolo');
    assert.deepEqual(toSnapshot(fresh), { ...snapshot, turns: fresh.turns, conversationId: undefined, title: undefined, toolsNote: undefined, compactions: undefined, meter: undefined });
  });

  it('a message about an unknown turn or block, or a duplicate, leaves the model as it is', () => {
    const m = reduce(EMPTY_MODEL, { type: 'state', state: { hasApiKey: true, keySource: 'secret', model: 'm', turns: [] } });
    const turn = { id: 't1', userText: 'q', blocks: [], status: 'streaming' as const, model: 'm' };
    const started = reduce(m, { type: 'turnStart', turn });
    assert.equal(reduce(started, { type: 'turnStart', turn }), started);
    assert.equal(reduce(started, { type: 'blockDelta', turnId: 'nope', blockId: 'b', text: 'x' }), started);
    assert.equal(reduce(started, { type: 'blockDelta', turnId: 't1', blockId: 'nope', text: 'x' }), started);
    assert.equal(reduce(started, { type: 'toolStatus', turnId: 't1', toolId: 'nope', status: 'done' }), started);
    assert.equal(reduce(started, { type: 'notice', message: 'n' }), started);
    const ended = reduce(started, { type: 'turnEnd', turnId: 't1', outcome: { status: 'stopped' } });
    assert.equal(isBusy(ended), false);
    assert.equal(started.turns[0].status, 'streaming', 'the previous model is never mutated');
  });

  it('a 1,200-turn conversation: the state, then loadOlder page by page (as the view asks), gives exactly the session\'s turns; a reply streams meanwhile', async () => {
    const h = await chatHarness(api);
    const conv = { ...newConversation(), title: 'long', turns: bigTurns(1200) };
    await h.store.save(conv, false);
    await h.app.handle({ type: 'openConversation', id: conv.id });
    let m = replay(h.posted);
    assert.ok(m.turns.length < 100 && m.olderTurns === 1200 - m.turns.length, `${m.turns.length} turns held`);
    let requests = 0;
    for (; m.olderTurns && requests < 100; requests++) {
      if (requests === 3) {
        api.queue({ kind: 'text', text: 'a new reply' });
        await h.app.handle({ type: 'send', text: 'while scrolling up' });
      }
      const from = h.posted.length;
      await h.app.handle({ type: 'loadOlder', conversationId: m.conversationId!, before: m.turns[0].id });
      m = replay(h.posted.slice(from), replay(h.posted.slice(0, from)));
    }
    assert.ok(requests >= 12 && requests < 20, `${requests} requests`);
    assert.equal(m.olderTurns, undefined);
    assert.deepEqual(m.turns, h.app.session.views());
    assert.equal(m.turns.length, 1201);
  });
});
