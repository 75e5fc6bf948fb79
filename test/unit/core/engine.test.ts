// The engine's failure handling, request options and history validity, against the fake API through the real SDK.
import * as assert from 'node:assert/strict';
import { CONTINUE_PROMPT } from '../../../src/core/chatSession';
import { abortError, Clock } from '../../../src/core/ports';
import { FakeApi, startFakeApi } from '../../fake-api/server';
import { FakeClock, lastTurnEnd, Recorded, sessionFor, withoutCache } from './helpers';

type Body = { messages: { role: string; content: { type: string; text?: string; signature?: string; thinking?: string }[] }[]; [k: string]: unknown };
const bodyOf = (api: FakeApi, i: number) => api.messageRequests[i].body as Body;
const retryWaits = (events: Recorded[]) => events.filter((e) => e.type === 'retryWait');

describe('Engine: visible retries', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('waits as retry-after-ms / retry-after say, shows each wait, then succeeds', async () => {
    api.queue(
      { kind: 'error', status: 429, headers: { 'retry-after-ms': '1234' } },
      { kind: 'error', status: 529, headers: { 'retry-after': '2' } },
      { kind: 'text', text: 'finally' },
    );
    const clock = new FakeClock();
    const { session, rec } = sessionFor(api, { clock });
    await session.send('hi');
    assert.deepEqual(clock.sleeps, [1234, 2000]);
    const waits = retryWaits(rec.events).map((e) => (e.type === 'retryWait' ? [e.retry.attempt, e.retry.delayMs] : []));
    assert.deepEqual(waits, [[1, 1234], [2, 2000]]);
    assert.equal(lastTurnEnd(rec).status, 'complete');
    assert.equal(api.messageRequests.length, 3);
    assert.deepEqual(api.messageRequests.map((r) => r.headers['x-stainless-retry-count']), ['0', '0', '0'], 'SDK retries are off');
  });

  it('backs off exponentially with jitter when no header says how long', async () => {
    api.queue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 }, { kind: 'text', text: 'ok' });
    const clock = new FakeClock();
    const { session } = sessionFor(api, { clock });
    await session.send('hi');
    const plain = api.requests.length; // both 500s without retry-after?
    assert.equal(plain, 3);
    assert.ok(clock.sleeps[0] >= 750 && clock.sleeps[0] <= 1000, `first wait ${clock.sleeps[0]}`);
    assert.ok(clock.sleeps[1] >= 1500 && clock.sleeps[1] <= 2000, `second wait ${clock.sleeps[1]}`);
  });

  it('gives up after maxAttempts with a Retry action, and Retry then works', async () => {
    for (let i = 0; i < 3; i++) api.queue({ kind: 'error', status: 529 });
    const { session, rec } = sessionFor(api, { settings: { maxAttempts: 3 } });
    await session.send('hi');
    const turn = lastTurnEnd(rec);
    assert.equal(turn.status, 'error');
    assert.equal(turn.error?.action, 'retry');
    assert.match(turn.error!.message, /gave up after 3 tries/);
    assert.equal(api.messageRequests.length, 3);
    await session.retry();
    assert.equal(lastTurnEnd(rec).status, 'complete');
    assert.equal(session.history.length, 1);
  });

  for (const status of [400, 401, 403, 404, 413]) {
    it(`does not retry a ${status}`, async () => {
      api.queue({ kind: 'error', status });
      const clock = new FakeClock();
      const { session, rec } = sessionFor(api, { clock });
      await session.send('hi');
      assert.equal(api.messageRequests.length, 1);
      assert.deepEqual(clock.sleeps, []);
      assert.equal(lastTurnEnd(rec).status, 'error');
      if (status === 401 || status === 403) assert.equal(lastTurnEnd(rec).error?.action, 'setApiKey');
    });
  }

  it('Stop during the countdown cancels the retry', async () => {
    api.queue({ kind: 'error', status: 529, headers: { 'retry-after': '30' } });
    const waiting: Clock = {
      now: () => Date.now(),
      sleep: (_ms, signal) => new Promise((_r, reject) => signal?.addEventListener('abort', () => reject(abortError()))),
    };
    const { session, rec } = sessionFor(api, { clock: waiting });
    const done = session.send('hi');
    while (retryWaits(rec.events).length === 0) await new Promise((r) => setTimeout(r, 5));
    session.stop();
    await done;
    assert.equal(lastTurnEnd(rec).status, 'stopped');
    assert.equal(api.messageRequests.length, 1);
  });
});

describe('Engine: faults mid-stream keep the partial reply and a valid history', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  async function partialThenNext(fault: object, settings = {}) {
    api.queue({ kind: 'text', text: 'abcdefghijklmnopqrstuvwxyz', chunkSize: 4, fault } as never);
    const { session, rec } = sessionFor(api, { settings });
    await session.send('first');
    const turn = lastTurnEnd(rec);
    await session.send('second');
    return { turn, next: bodyOf(api, api.messageRequests.length - 1) };
  }

  it('an `event: error` after HTTP 200', async () => {
    const { turn, next } = await partialThenNext({ type: 'error', at: 3, errorType: 'overloaded_error', message: 'Overloaded' });
    assert.equal(turn.status, 'error');
    assert.equal(turn.error?.action, 'retry');
    assert.equal(turn.blocks[0].text, 'abcdefghijkl', 'the three deltas before the error are kept');
    assert.equal(api.messageRequests.length, 2, 'no automatic retry once content has arrived');
    assert.deepEqual((withoutCache(next.messages) as unknown[])[1], { role: 'assistant', content: [{ type: 'text', text: 'abcdefghijkl' }] });
  });

  it('a dropped connection', async () => {
    const { turn, next } = await partialThenNext({ type: 'drop', at: 2 });
    assert.equal(turn.status, 'error');
    assert.equal(turn.blocks[0].text, 'abcdefgh');
    assert.equal((withoutCache(next.messages) as Body['messages']).length, 3);
  });

  it('a stall past the timeout', async () => {
    const { turn, next } = await partialThenNext({ type: 'stall', at: 2 }, { stallTimeoutMs: 300 });
    assert.equal(turn.status, 'error');
    assert.match(turn.error!.message, /No data from the API/);
    assert.equal(turn.blocks[0].text, 'abcdefgh');
    assert.equal((withoutCache(next.messages) as Body['messages'])[1].content[0].text, 'abcdefgh');
  });

  it('a tool call the chat did not ask for is dropped from history (no dangling tool_use)', async () => {
    api.queue({ kind: 'message', blocks: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', name: 'read_file', input: { path: 'a.ts' } }], stopReason: 'tool_use' });
    const { session, rec } = sessionFor(api);
    await session.send('first');
    await session.send('second');
    assert.equal(lastTurnEnd(rec).status, 'complete', 'the fake API accepted the next request');
    assert.deepEqual((withoutCache(bodyOf(api, 1).messages) as unknown[])[1], { role: 'assistant', content: [{ type: 'text', text: 'Let me look.' }] });
  });
});

describe('Engine: request options', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('thinking is requested, streamed as its own block, and sent back unmodified with its signature', async () => {
    api.queue({ kind: 'message', blocks: [{ type: 'thinking', thinking: 'Let me think about 27 * 453.' }, { type: 'text', text: '12,231' }] });
    const { session, rec } = sessionFor(api, { settings: { thinking: 'enabled', thinkingBudget: 2048, maxTokens: 4096 } });
    await session.send('27 * 453?');
    const first = bodyOf(api, 0);
    assert.deepEqual(first.thinking, { type: 'enabled', budget_tokens: 2048 });
    const turn = lastTurnEnd(rec);
    assert.equal(turn.blocks[0].kind, 'thinking');
    assert.ok(turn.blocks[0].signature, 'signature captured from signature_delta');
    await session.send('and 28 * 453?');
    assert.equal(lastTurnEnd(rec).status, 'complete', 'the fake accepted the unmodified thinking block');
    const sentBack = bodyOf(api, 1).messages[1].content[0];
    assert.deepEqual({ ...sentBack }, { type: 'thinking', thinking: 'Let me think about 27 * 453.', signature: turn.blocks[0].signature });
  });

  it('adaptive thinking', async () => {
    const { session } = sessionFor(api, { settings: { thinking: 'adaptive' } });
    await session.send('hi');
    assert.deepEqual(bodyOf(api, 0).thinking, { type: 'adaptive' });
  });

  it('a thinking budget that is not below max_tokens is refused before sending', async () => {
    const { session, rec } = sessionFor(api, { settings: { thinking: 'enabled', thinkingBudget: 4096, maxTokens: 4096 } });
    await session.send('hi');
    assert.equal(api.requests.length, 0);
    assert.equal(lastTurnEnd(rec).error?.action, 'openSettings');
  });

  it('stop sequences are sent and a match is reported', async () => {
    api.queue({ kind: 'text', text: 'one two END three' });
    const { session, rec } = sessionFor(api, { settings: { stopSequences: ['END', ''] } });
    await session.send('count');
    assert.deepEqual(bodyOf(api, 0).stop_sequences, ['END']);
    const turn = lastTurnEnd(rec);
    assert.equal(turn.stopReason, 'stop_sequence');
    assert.equal(turn.stopSequence, 'END');
  });

  it('max_tokens offers Continue, which asks the model to go on with a valid history', async () => {
    api.queue({ kind: 'text', text: 'a long answer', stopReason: 'max_tokens' }, { kind: 'text', text: ' that goes on' });
    const { session, rec } = sessionFor(api);
    await session.send('write a lot');
    assert.equal(lastTurnEnd(rec).stopReason, 'max_tokens');
    await session.continueReply();
    const msgs = withoutCache(bodyOf(api, 1).messages) as Body['messages'];
    assert.equal(msgs.length, 3);
    assert.equal(msgs[2].content[0].text, CONTINUE_PROMPT);
    assert.equal(lastTurnEnd(rec).status, 'complete');
  });

  it('a refusal is reported as such', async () => {
    api.queue({ kind: 'text', text: 'I can’t help with that.', stopReason: 'refusal' });
    const { session, rec } = sessionFor(api);
    await session.send('something bad');
    assert.equal(lastTurnEnd(rec).stopReason, 'refusal');
  });

  it('the system prompt is a cached block; at most 4 breakpoints roll over the newest user turns', async () => {
    const system = 'You are terse and precise. '.repeat(100); // ~675 tokens: above Sonnet 5.5's 512 minimum
    const { session } = sessionFor(api, { settings: { systemPrompt: system } });
    for (const q of ['q1', 'q2', 'q3', 'q4']) await session.send(q);
    const body = bodyOf(api, 3);
    assert.deepEqual(body.system, [{ type: 'text', text: system.trim(), cache_control: { type: 'ephemeral' } }]);
    const marked = body.messages.map((m) => m.content.some((b) => 'cache_control' in b));
    assert.deepEqual(marked, [false, false, true, false, true, false, true], 'three newest user turns with system: 4 in all');
    const count = JSON.stringify(body).split('cache_control').length - 1;
    assert.equal(count, 4);
  });

  it('a system prompt below the model minimum does not waste a breakpoint on it', async () => {
    const { session } = sessionFor(api, { settings: { systemPrompt: 'You are terse.' } });
    for (const q of ['q1', 'q2', 'q3', 'q4', 'q5']) await session.send(q);
    const body = bodyOf(api, 4);
    assert.equal(JSON.stringify(body.system).includes('cache_control'), false);
    const marked = body.messages.map((m) => m.content.some((b) => 'cache_control' in b));
    assert.deepEqual(marked, [false, false, true, false, true, false, true, false, true], 'the slot goes to a fourth user turn');
  });

  it('reports exact usage per response, equal to what the API sent', async () => {
    const { session, rec } = sessionFor(api);
    await session.send('count my tokens please');
    const usage = rec.events.filter((e) => e.type === 'usage');
    assert.equal(usage.length, 1);
    const u = usage[0].type === 'usage' ? usage[0].record : undefined;
    const turn = lastTurnEnd(rec);
    assert.equal(u?.inputTokens, turn.usage?.inputTokens);
    assert.equal(u?.outputTokens, turn.usage?.outputTokens);
    assert.ok((u?.inputTokens ?? 0) + (u?.cacheReadTokens ?? 0) + (u?.cacheWrite5mTokens ?? 0) > 0);
    assert.equal(u?.model, 'claude-sonnet-5-5');
  });

  it('attached context documents are their own cached blocks; adding one keeps the earlier prefix readable', async () => {
    const { session } = sessionFor(api, { settings: { systemPrompt: 'You review code carefully and kindly. '.repeat(60) } });
    const big = (n: string) => `// ${n}\n` + 'export const x = 1;\n'.repeat(400);
    session.attach({ id: 'a', label: 'src/a.ts', text: big('a'), kind: 'file' });
    await session.send('What does a.ts do?');
    const first = bodyOf(api, 0);
    const firstMsg = first.messages[0].content as { type: string; text: string; cache_control?: unknown }[];
    assert.match(firstMsg[0].text, /^<document path="src\/a.ts">/);
    assert.ok(firstMsg[0].cache_control, 'the context block is a breakpoint (slot 2)');
    session.attach({ id: 'b', label: 'src/b.ts', text: big('b'), kind: 'file' });
    await session.send('And b.ts?');
    const second = bodyOf(api, 1);
    const docs = second.messages[0].content.slice(0, 2) as { text: string; cache_control?: unknown }[];
    assert.deepEqual(docs.map((d) => d.text.slice(0, 26)), ['<document path="src/a.ts">', '<document path="src/b.ts">'], 'stable order');
    assert.equal(docs[0].cache_control, undefined);
    assert.ok(docs[1].cache_control);
    const count = JSON.stringify(second).split('cache_control').length - 1;
    assert.equal(count, 4, 'system, context, previous and newest user turns');
    const usage = api.messageRequests[1].usage as { cache_read_input_tokens: number } | undefined;
    assert.ok(usage && usage.cache_read_input_tokens > 0, 'the second request reads the cached system prompt + a.ts');
  });
});

describe('Engine: usage of a stopped reply', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());

  it('is still reported: exact input from message_start, estimated output, marked not exact', async () => {
    api.queue({ kind: 'text', text: 'x'.repeat(400), chunkSize: 4, delayMs: 15 });
    const { session, rec } = sessionFor(api);
    let n = 0;
    rec.onDelta = () => {
      if (++n === 5) session.stop();
    };
    await session.send('long please');
    const usage = rec.events.filter((e) => e.type === 'usage').map((e) => (e.type === 'usage' ? e.record : undefined))[0];
    assert.ok(usage, 'a usage record for the stopped stream');
    assert.equal(usage!.exact, false);
    const reported = api.messageRequests[0].usage as { input_tokens: number } | undefined;
    assert.equal(usage!.inputTokens, reported?.input_tokens, 'input as the API reported at message_start');
    assert.equal(usage!.outputTokens, 5, '20 characters received ≈ 5 tokens');
  });
});
