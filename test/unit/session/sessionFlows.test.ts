// The chat's long-session flows through the ChatApp in plain node against the fake API: edit and resend (a fork that
// offers to restore that point's files), Continue as one reply, the cost guard of the tool loop with the turn's
// rounds and cost, and the context meter.
import * as assert from 'node:assert/strict';
import { CONTINUE_PROMPT } from '../../../src/core/chatSession';
import { RESTORE } from '../../../src/core/session/restore';
import type { ToolCall, ToolResult } from '../../../src/core/tools/types';
import { reduce, EMPTY_MODEL, isContinued, ChatModel } from '../../../src/webview/chat/model';
import { FakeApi, startFakeApi } from '../../fake-api/server';
import { chatHarness } from '../chat/fakes';
import { agentWorkspace, FsRestorePort, promptOf, scripted } from './helpers';

describe('Long-session flows in the ChatApp', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('edit and resend forks before the turn, offers to restore the files changed from there on, then sends', async () => {
    const w = agentWorkspace({ 'a.ts': 'let a = 1;\n' });
    try {
      const restore = new FsRestorePort();
      const h = await chatHarness(api, { tools: w.runner, checkpoints: { workspace: w.port, restore } });
      api.queue({ kind: 'text', text: 'Hi.' });
      await h.app.handle({ type: 'send', text: 'hello' });
      api.queue({ kind: 'message', blocks: [{ type: 'tool_use', name: 'propose_edit', input: { path: 'a.ts', old_string: 'a = 1', new_string: 'a = 2' } }] }, { kind: 'text', text: 'Set to 2.' });
      await h.app.handle({ type: 'send', text: 'set a to 2' });
      api.queue({ kind: 'text', text: 'It is 2.' });
      await h.app.handle({ type: 'send', text: 'what is a?' });
      assert.equal(await w.read('a.ts'), 'let a = 2;\n');
      const old = h.app.session.conversation;
      restore.answers.push(RESTORE, RESTORE);
      api.queue({ kind: 'text', text: 'Set to 5.' });
      await h.app.handle({ type: 'editResend', turnId: old.turns[1].id, text: 'set a to 5 instead' });
      assert.match(restore.questions[0].message, /Restore the files Claude changed from that message on\?/);
      assert.equal(await w.read('a.ts'), 'let a = 1;\n', 'restored before the edited message went out');
      const fork = h.app.session.conversation;
      assert.deepEqual(fork.turns.map((t) => t.userText), ['hello', 'set a to 5 instead']);
      assert.deepEqual(fork.forkOf, { conversationId: old.id, turnId: old.turns[1].id });
      assert.match(fork.title, /\(edited\)$/);
      const saved = await h.store.load(old.id);
      assert.deepEqual(saved?.turns.map((t) => t.userText), ['hello', 'set a to 2', 'what is a?'], 'the old branch is whole in the history');
      assert.ok(saved?.turns[1].checkpoint, 'with its checkpoint');
      const sent = api.messageRequests.at(-1)!.body as { messages: { role: string }[] };
      assert.equal(sent.messages.length, 3, 'hello, its answer, the edited message');
      const state = h.of('state').at(-1)!.state;
      assert.equal(state.conversationId, fork.id);
    } finally {
      w.cleanup();
    }
  });

  it('a summary of exactly the turns before the edited one carries over to the fork', async () => {
    const h = await chatHarness(api, { contextWindow: 200_000 });
    const s = scripted(api);
    for (const q of ['one', 'two', 'three']) await h.app.handle({ type: 'send', text: q });
    await h.app.handle({ type: 'compact' });
    const c = h.app.session.conversation.compactions![0];
    const anchored = h.app.session.history.findIndex((t) => t.id === c.turnId);
    s.chat.push({ kind: 'text', text: 'edited answer' });
    await h.app.handle({ type: 'editResend', turnId: c.turnId, text: 'three, edited' });
    const fork = h.app.session.conversation;
    assert.equal(fork.turns.length, anchored + 1);
    assert.equal(fork.compactions?.[0].turnId, fork.turns.at(-1)!.id, 'the summary moved to the resent turn');
    assert.match(JSON.stringify(api.messageRequests.at(-1)!.body), /conversation-summary/);
    assert.doesNotMatch(JSON.stringify(api.messageRequests.at(-1)!.body), /"one"/);
  });

  it('Continue reads as one reply: the new turn continues the cut one, whose notice and button go', async () => {
    const h = await chatHarness(api, { settings: { maxTokens: 5 } });
    api.queue({ kind: 'text', text: 'a long answer that will not fit in five tokens' });
    await h.app.handle({ type: 'send', text: 'go' });
    const cut = h.app.session.history[0];
    assert.equal(cut.stopReason, 'max_tokens');
    api.queue({ kind: 'text', text: 'rest' });
    await h.app.handle({ type: 'continue' });
    const next = h.app.session.history[1];
    assert.equal(next.continues, cut.id);
    assert.equal(next.userText, CONTINUE_PROMPT, 'sent to the API as the instruction');
    const started = h.of('turnStart').at(-1)!.turn;
    assert.equal(started.continues, cut.id, 'the view learns it at once');
    let m: ChatModel = EMPTY_MODEL;
    for (const msg of h.posted) m = reduce(m, msg);
    assert.equal(isContinued(m, cut.id), true);
    api.queue({ kind: 'text', text: 'ok' });
    await h.app.handle({ type: 'send', text: 'thanks' });
    assert.equal(h.app.session.history[2].continues, undefined, 'a plain message is not a continuation');
  });

  it('the cost guard pauses the tool loop before a request past the limit; Continue sends it; the turn shows rounds and cost', async () => {
    const big = (calls: ToolCall[]): ToolResult[] => calls.map((c) => ({ toolUseId: c.id, content: 'x'.repeat(20_000), isError: false }));
    const tools = { definitions: () => [{ name: 'read_file', description: 'r', input_schema: { type: 'object' as const } }], run: async (calls: ToolCall[]) => big(calls) };
    const h = await chatHarness(api, { tools, settings: { session: { maxRequestTokens: 8000, editing: 'off' } } });
    const call = (p: string) => ({ kind: 'message' as const, blocks: [{ type: 'tool_use' as const, name: 'read_file', input: { path: p } }] });
    api.queue(call('a'), call('b'), { kind: 'text', text: 'done' });
    await h.app.handle({ type: 'send', text: 'read a and b' });
    const paused = h.of('turnEnd').at(-1)!.outcome;
    assert.ok(paused.costPaused !== undefined && paused.costPaused > 8000, `paused at ${paused.costPaused}`);
    assert.equal(api.messageRequests.length, 2, 'the request past the limit was not sent');
    assert.equal(paused.rounds, 2);
    assert.ok(paused.cost !== undefined && paused.cost > 0, 'priced (claude-sonnet-5-5 has a price)');
    await h.app.handle({ type: 'continueTools' });
    assert.equal(api.messageRequests.length, 3, 'Continue sends it (once: the next one is asked again)');
    assert.ok(promptOf(api.messageRequests[2]) > 8000);
    const end = h.of('turnEnd').at(-1)!.outcome;
    assert.equal(end.costPaused, undefined);
    assert.equal(end.status, 'complete');
    assert.equal(end.rounds, 3);
    assert.ok(end.cost! > paused.cost!);
  });

  it('the meter: exact after every reply, from count_tokens with the draft, split into parts that add up', async () => {
    const h = await chatHarness(api, { contextWindow: 200_000, settings: { systemPrompt: 'Be brief. '.repeat(50) } });
    h.app.attachContext([{ id: 'd', label: 'a.md', kind: 'file', text: 'Doc. '.repeat(400) }]);
    api.queue({ kind: 'text', text: 'Answer.' });
    await h.app.handle({ type: 'send', text: 'question' });
    const after = h.of('meter').at(-1)!.meter;
    const u = api.messageRequests[0].usage!;
    assert.equal(after.tokens, promptOf(api.messageRequests[0]) + u.output_tokens);
    assert.equal(after.exact, true);
    assert.equal(after.window, 200_000);
    assert.equal(after.compactAt, 0.8);
    const p = after.parts;
    assert.equal(p.system + p.context + p.history + p.tools, after.tokens);
    assert.ok(p.context > p.history && p.system > 0, JSON.stringify(p));
    await h.app.handle({ type: 'draft', text: 'a much longer draft '.repeat(40) });
    await new Promise((r) => setTimeout(r, 50));
    const counted = api.requests.filter((r) => r.path === '/v1/messages/count_tokens');
    assert.equal(counted.length, 1);
    const est = h.of('meter').at(-1)!.meter;
    assert.equal(est.exact, true);
    assert.equal(est.tokens, h.of('estimate').at(-1)!.tokens);
    assert.ok(est.tokens > after.tokens);
    const state = await h.app.state();
    assert.ok(state.meter && state.meter.tokens > 0, 'the state carries the meter');
  });
});
