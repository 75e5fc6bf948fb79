// Real numbers: requests through the real SDK to the fake API, usage converted with usageFromApi, fed to the
// tracker; the totals must equal the sum of what the server reported, to the token.
import Anthropic from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { costOf, Tokens } from '../../../src/core/usage/cost';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { UsageTracker } from '../../../src/core/usage/tracker';
import { usageFromApi, UsageRecord } from '../../../src/shared/usage';
import { DEFAULT_TEST_KEY, FakeApi, reply, startFakeApi } from '../../fake-api/server';

const MODEL = 'claude-sonnet-5-5';
const SYSTEM = 'You are a careful reviewer of TypeScript code. '.repeat(120);

describe('usage: accounting against the fake API through the real SDK', () => {
  let api: FakeApi;
  let client: Anthropic;
  before(async () => {
    api = await startFakeApi();
    client = new Anthropic({ apiKey: DEFAULT_TEST_KEY, baseURL: api.url, maxRetries: 2 });
  });
  after(() => api.close());

  it('tracker totals equal the sum of the usage the server reported (cache write, read, tool round, retry)', async () => {
    api.reset();
    const tracker = new UsageTracker(PriceBook.builtIn());
    const feed = (u: Anthropic.Messages.Usage, kind: UsageRecord['kind']) =>
      tracker.record(usageFromApi(u, { model: MODEL, batch: false, at: Date.now(), kind, conversationId: 'c1' }));
    const system: Anthropic.Messages.TextBlockParam[] = [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }];
    const user = (text: string): Anthropic.Messages.MessageParam => ({ role: 'user', content: text });

    // 1. Non-streaming: writes the cached system prompt.
    const first = await client.messages.create({ model: MODEL, max_tokens: 200, system, messages: [user('Review a.ts')] });
    feed(first.usage, 'chat');
    // 2. Streaming, same prefix: reads it back; the model asks for a tool.
    api.queue(reply.toolUse('read_file', { path: 'a.ts' }, { preamble: 'Let me look.' }));
    const history = [user('Review a.ts'), { role: 'assistant' as const, content: first.content }, user('And b.ts?')];
    const second = await client.messages.stream({ model: MODEL, max_tokens: 200, system, messages: history }).finalMessage();
    feed(second.usage, 'chat');
    const tool = second.content.find((b): b is Anthropic.Messages.ToolUseBlock => b.type === 'tool_use')!;
    assert.ok(tool, 'the scripted tool call arrived');
    // 3. The tool round, after one overloaded answer the SDK retries: only the successful attempt has usage.
    api.queue({ kind: 'error', status: 529, headers: { 'retry-after-ms': '5' } }, reply.text('b.ts looks fine.'));
    const third = await client.messages.stream({
      model: MODEL, max_tokens: 200, system,
      tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
      messages: [...history, { role: 'assistant', content: second.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: tool.id, content: 'export const b = 1;' }] }],
    }).finalMessage();
    feed(third.usage, 'tool');

    const served = api.messageRequests;
    assert.equal(served.length, 4, 'three calls, one of them retried once');
    assert.equal(served[2].usage, undefined, 'the 529 reported no usage');
    const reported = served.filter((r) => r.usage).map((r) => r.usage!);
    assert.equal(reported.length, 3);
    const sum: Tokens = {
      inputTokens: reported.reduce((a, u) => a + u.input_tokens, 0),
      outputTokens: reported.reduce((a, u) => a + u.output_tokens, 0),
      cacheReadTokens: reported.reduce((a, u) => a + u.cache_read_input_tokens, 0),
      cacheWrite5mTokens: reported.reduce((a, u) => a + u.cache_creation.ephemeral_5m_input_tokens, 0),
      cacheWrite1hTokens: reported.reduce((a, u) => a + u.cache_creation.ephemeral_1h_input_tokens, 0),
    };
    assert.ok(sum.cacheWrite5mTokens > 0 && sum.cacheReadTokens > 0, `the cache was written and read: ${JSON.stringify(sum)}`);
    assert.deepEqual(tracker.totals(), sum);
    assert.equal(tracker.lines.length, 3);
    const expected = costOf(MODEL, sum, false, PriceBook.builtIn())!.total;
    assert.ok(Math.abs(tracker.cost().known - expected) < 1e-12);
    // By hand from the reported counts: Sonnet 5.5 is $2 in, $10 out, $2.50 5m write, $0.10 read per million.
    const byHand = (sum.inputTokens * 2 + sum.outputTokens * 10 + sum.cacheWrite5mTokens * 2.5 + sum.cacheReadTokens * 0.1) / 1e6;
    assert.ok(Math.abs(tracker.cost().known - byHand) < 1e-12, `${tracker.cost().known} vs ${byHand}`);
  });

  it('a stopped stream: the live estimate is replaced by the usage the client actually received', async () => {
    api.reset();
    const tracker = new UsageTracker(PriceBook.builtIn());
    api.queue(reply.text('word '.repeat(400), { chunkSize: 5, delayMs: 5 }));
    const stream = client.messages.stream({ model: MODEL, max_tokens: 2000, messages: [{ role: 'user', content: 'Long story' }] });
    let startUsage: Anthropic.Messages.Usage | undefined;
    let chars = 0;
    for await (const ev of stream) {
      if (ev.type === 'message_start') startUsage = ev.message.usage;
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') {
        chars += ev.delta.text.length;
        tracker.streaming('c1', Math.ceil(chars / 4));
        if (chars >= 50) break; // the user pressed Stop
      }
    }
    assert.ok(tracker.live && tracker.live.outputTokens > 0);
    assert.ok(startUsage);
    // The engine records what it has: message_start's exact input side, the output as estimated.
    tracker.record({ ...usageFromApi(startUsage, { model: MODEL, batch: false, at: Date.now(), kind: 'chat', conversationId: 'c1' }), outputTokens: tracker.live.outputTokens, exact: false });
    tracker.streamEnded();
    assert.equal(tracker.live, undefined);
    const served = api.messageRequests[0].usage!;
    assert.equal(tracker.totals().inputTokens, served.input_tokens, 'input side is exact');
    assert.equal(tracker.totals().outputTokens, 13, 'output: the estimate at the moment of Stop');
    assert.equal(tracker.lines[0].exact, false);
  });
});
