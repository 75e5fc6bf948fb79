// The agentic loop against the fake API (which validates tool_use/tool_result pairing) with a scripted runner.
import * as assert from 'node:assert/strict';
import type { ToolCall, ToolResult, ToolRunContext, ToolRunner } from '../../../src/core/tools/types';
import { clampInt, MAX_RETRIES, MAX_TOOL_TURNS } from '../../../src/core/settingRanges';
import { MAX_CALLS_PER_ROUND, MAX_PARALLEL_CALLS } from '../../../src/core/tools/limits';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';
import { CountingPort } from '../tools/countingPort';
import { harness, makeWorkspace } from '../tools/nodePort';
import { FakeClock, lastTurnEnd, recordedSession } from './helpers';

type Msg = { role: string; content: { type: string; id?: string; tool_use_id?: string; content?: string; is_error?: boolean; thinking?: string; signature?: string }[] };
type Body = { messages: Msg[]; tools?: unknown[] };

class ScriptedRunner implements ToolRunner {
  readonly rounds: ToolCall[][] = [];
  constructor(private readonly answer: (c: ToolCall, ctx: ToolRunContext) => Promise<ToolResult> | ToolResult) {}
  definitions() {
    return [
      { name: 'read_file', description: 'Read a file', input_schema: { type: 'object' as const, properties: { path: { type: 'string' } }, required: ['path'] } },
      { name: 'search_text', description: 'Search', input_schema: { type: 'object' as const, properties: { query: { type: 'string' } }, required: ['query'] } },
    ];
  }
  async run(calls: ToolCall[], ctx: ToolRunContext): Promise<ToolResult[]> {
    this.rounds.push(calls);
    return Promise.all(calls.map(async (c) => {
      ctx.onStatus(c.id, 'running');
      const r = await this.answer(c, ctx);
      ctx.onStatus(c.id, r.isError ? 'error' : 'done');
      return r;
    }));
  }
}

const ok = (c: ToolCall): ToolResult => ({ toolUseId: c.id, content: `result of ${c.name} ${JSON.stringify(c.input)}`, isError: false });
const toolReply = (...calls: { name: string; input: Record<string, unknown> }[]) => ({ kind: 'message' as const, blocks: calls.map((c) => ({ type: 'tool_use' as const, ...c })), stopReason: 'tool_use' as const });

function session(api: FakeApi, runner: ToolRunner, maxToolRounds: unknown = 10, maxAttempts: unknown = 1) {
  const { session: s, rec } = recordedSession({
    apiKey: async () => DEFAULT_TEST_KEY,
    // The cost guard (its own tests: test/unit/session/) would pause the 2,000-call round's follow-up (~200k tokens).
    settings: () => ({ model: 'claude-sonnet-5-5', maxTokens: 1024, baseURL: api.url, maxToolRounds: maxToolRounds as number, maxAttempts: maxAttempts as number, session: { maxRequestTokens: 0 } }),
    clock: new FakeClock(),
    tools: runner,
  });
  return { s, rec };
}

describe('Agentic loop', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());
  const body = (i: number) => api.messageRequests[i].body as Body;

  it('runs a 3-round read/search conversation to the final answer', async () => {
    api.queue(toolReply({ name: 'read_file', input: { path: 'a.ts' } }), toolReply({ name: 'search_text', input: { query: 'greet' } }), { kind: 'text', text: 'All done.' });
    const runner = new ScriptedRunner(ok);
    const { s, rec } = session(api, runner);
    await s.send('Look around');
    const turn = lastTurnEnd(rec);
    assert.equal(turn.status, 'complete');
    assert.equal(api.messageRequests.length, 3);
    assert.deepEqual(runner.rounds.map((r) => r.map((c) => c.name)), [['read_file'], ['search_text']]);
    assert.deepEqual(runner.rounds[0][0].input, { path: 'a.ts' }, 'the streamed input JSON is parsed');
    const last = body(2).messages;
    assert.deepEqual(last.map((m) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    assert.equal(last[2].content[0].type, 'tool_result');
    assert.ok(Array.isArray(body(0).tools) && body(0).tools!.length === 2);
    assert.equal(JSON.stringify(body(0).tools), JSON.stringify(body(2).tools), 'byte-identical tool definitions every round');
    assert.equal(JSON.stringify(body(1).messages[2]), JSON.stringify(last[2]), 'earlier tool results stay byte-identical');
    assert.equal(turn.blocks.at(-1)?.text, 'All done.');
  });

  it('answers parallel tool calls in one user turn', async () => {
    api.queue(toolReply({ name: 'read_file', input: { path: 'a.ts' } }, { name: 'read_file', input: { path: 'b.ts' } }), { kind: 'text', text: 'ok' });
    const runner = new ScriptedRunner(ok);
    const { s } = session(api, runner);
    await s.send('read both');
    assert.equal(runner.rounds.length, 1);
    assert.equal(runner.rounds[0].length, 2);
    const results = body(1).messages[2].content;
    assert.deepEqual(results.map((b) => b.type), ['tool_result', 'tool_result']);
  });

  it('a failing tool is answered with is_error and the loop goes on', async () => {
    api.queue(toolReply({ name: 'read_file', input: { path: 'missing.ts' } }), { kind: 'text', text: 'That file does not exist.' });
    const runner = new ScriptedRunner((c) => ({ toolUseId: c.id, content: 'File not found: missing.ts', isError: true }));
    const { s, rec } = session(api, runner);
    await s.send('read it');
    assert.equal(lastTurnEnd(rec).status, 'complete');
    const r = body(1).messages[2].content[0];
    assert.equal(r.is_error, true);
    assert.equal(r.content, 'File not found: missing.ts');
  });

  it('stops at the round cap, keeps the history valid, and Continue goes on', async () => {
    api.queue(toolReply({ name: 'read_file', input: { path: '1' } }), toolReply({ name: 'read_file', input: { path: '2' } }), { kind: 'text', text: 'finished' });
    const runner = new ScriptedRunner(ok);
    const { s, rec } = session(api, runner, 2);
    await s.send('loop');
    const capped = lastTurnEnd(rec);
    assert.equal(capped.toolCapReached, true);
    assert.equal(runner.rounds.length, 1, 'the second round of calls waits for the user');
    await s.resumeTools();
    assert.equal(runner.rounds.length, 2);
    assert.equal(lastTurnEnd(rec).status, 'complete');
    assert.equal(lastTurnEnd(rec).blocks.at(-1)?.text, 'finished');
  });

  it('a new message after the cap drops the unanswered calls and stays valid', async () => {
    api.queue(toolReply({ name: 'read_file', input: { path: '1' } }), toolReply({ name: 'read_file', input: { path: '2' } }), { kind: 'text', text: 'fine' });
    const { s, rec } = session(api, new ScriptedRunner(ok), 2);
    await s.send('loop');
    await s.send('never mind');
    assert.equal(lastTurnEnd(rec).status, 'complete', 'the fake API accepted the history');
  });

  it('Stop mid-loop cancels the running tool and answers every call', async () => {
    api.queue(toolReply({ name: 'read_file', input: { path: 'slow' } }));
    const runner = new ScriptedRunner((c, ctx) => new Promise<ToolResult>((resolve) => {
      ctx.signal.addEventListener('abort', () => resolve({ toolUseId: c.id, content: 'cancelled by user', isError: true }));
    }));
    const { s, rec } = session(api, runner);
    const done = s.send('go');
    while (runner.rounds.length === 0) await new Promise((r) => setTimeout(r, 5));
    s.stop();
    await done;
    assert.equal(lastTurnEnd(rec).status, 'stopped');
    api.queue({ kind: 'text', text: 'ok' });
    await s.send('next');
    const msgs = body(1).messages;
    assert.equal(msgs[2].content[0].type, 'tool_result');
    assert.equal(msgs[2].content[0].content, 'cancelled by user');
    assert.equal(lastTurnEnd(rec).status, 'complete');
  });

  it('thinking between tool calls goes back unmodified', async () => {
    api.queue(
      { kind: 'message', blocks: [{ type: 'thinking', thinking: 'I should read a.ts first.' }, { type: 'tool_use', name: 'read_file', input: { path: 'a.ts' } }], stopReason: 'tool_use' },
      { kind: 'text', text: 'done' },
    );
    const { s, rec } = session(api, new ScriptedRunner(ok));
    await s.send('think and read');
    assert.equal(lastTurnEnd(rec).status, 'complete', 'the fake API validated the thinking signature');
    const assistant = body(1).messages[1].content;
    assert.equal(assistant[0].type, 'thinking');
    assert.equal(assistant[0].thinking, 'I should read a.ts first.');
  });

  it('a reply with 2,000 tool calls: bounded concurrency, one result per call, the rest is_error, history stays valid', async () => {
    const w = makeWorkspace();
    try {
      const port = CountingPort.single(w.ws);
      port.readDelay.set('a.txt', 5);
      const { runner } = harness(port);
      const n = 2000;
      api.queue(toolReply(...Array.from({ length: n }, (_, i) => ({ name: 'read_file', input: { path: i % 2 ? 'a.txt' : 'src/main.ts' } }))), { kind: 'text', text: 'read them' });
      const { s, rec } = session(api, runner);
      await s.send('read everything');
      assert.equal(lastTurnEnd(rec).status, 'complete', 'the fake API accepted the 2,000 tool_results');
      assert.ok(port.maxInFlight <= MAX_PARALLEL_CALLS, `max in flight ${port.maxInFlight}`);
      const uses = body(1).messages[1].content;
      const results = body(1).messages[2].content;
      assert.equal(results.length, n);
      assert.deepEqual(results.map((b) => b.tool_use_id), uses.map((b) => b.id));
      assert.equal(results.filter((b) => b.is_error).length, n - MAX_CALLS_PER_ROUND);
      assert.ok(results.slice(0, MAX_CALLS_PER_ROUND).every((b) => !b.is_error));
      assert.match(results[n - 1].content!, /^Not run: this reply asked for 2000 tool calls and at most 64 run per reply/);
      api.queue({ kind: 'text', text: 'still fine' });
      await s.send('and now?');
      assert.equal(lastTurnEnd(rec).status, 'complete', 'the next request is valid too');
      assert.equal(api.messageRequests.length, 3);
    } finally {
      w.cleanup();
    }
  });

  describe('numeric settings out of range are clamped where they are used', () => {
    it('clampInt: the schema range for numbers, the fallback for anything else', () => {
      assert.deepEqual([1e9, -5, 'abc', NaN, 2.7, Infinity, -Infinity, null, undefined, '5'].map((v) => clampInt(v, MAX_RETRIES)), [10, 0, 3, 3, 2, 10, 0, 3, 3, 3]);
      assert.deepEqual([1e9, -5, 0, 'abc'].map((v) => clampInt(v, MAX_TOOL_TURNS)), [100, 1, 1, 10]);
    });

    for (const [value, rounds] of [[1e9, 100], [-5, 1], ['abc', 10]] as const) {
      it(`maxToolRounds ${JSON.stringify(value)} stops after ${rounds} round(s)`, async () => {
        api.queue(...Array.from({ length: 105 }, (_, i) => toolReply({ name: 'read_file', input: { path: String(i) } })));
        const runner = new ScriptedRunner(ok);
        const { s, rec } = session(api, runner, value);
        await s.send('loop');
        assert.equal(lastTurnEnd(rec).toolCapReached, true);
        assert.equal(api.messageRequests.length, rounds);
      });
    }

    for (const [value, attempts] of [[1e9, 11], [-5, 1], ['abc', 4]] as const) {
      it(`maxAttempts ${JSON.stringify(value)} gives up after ${attempts} attempt(s)`, async () => {
        api.queue(...Array.from({ length: 15 }, () => ({ kind: 'error' as const, status: 529, errorType: 'overloaded_error', message: 'Overloaded' })));
        const { s, rec } = session(api, new ScriptedRunner(ok), 10, value);
        await s.send('hello');
        assert.equal(lastTurnEnd(rec).status, 'error');
        assert.equal(api.messageRequests.length, attempts);
      });
    }
  });
});
