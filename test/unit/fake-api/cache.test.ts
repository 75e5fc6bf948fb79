// Prompt-cache accounting against hand-computed numbers, and count_tokens agreeing with usage.
// Token rule (test/fake-api/tokenizer.ts): ceil(chars/4) per element + 3, + 4 on a message's first element.
import Anthropic, { BadRequestError } from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { reply, startFakeApi } from '../../fake-api/server';
import { assistant, MODEL, rejectsWith, sdk, useFakeApi, user } from './helpers';
import { makePng } from '../../support/media';

const cc5m = { type: 'ephemeral' as const };
const cc1h = { type: 'ephemeral' as const, ttl: '1h' as const };
const MIN = 60_000;

// 4000 chars -> 1000 tokens + 3 = 1003: above Sonnet 5.5's 512-token minimum.
const SYS_TEXT = 'a'.repeat(4000);
const SYS = 1003;
const sys = (cache?: typeof cc5m | typeof cc1h): Anthropic.TextBlockParam[] => [{ type: 'text', text: SYS_TEXT, ...(cache ? { cache_control: cache } : {}) }];

type Usage = Pick<Anthropic.Usage, 'input_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'> & { w5m: number; w1h: number };

function usageOf(m: Anthropic.Message): Usage {
  const u = m.usage;
  assert.equal(u.cache_creation_input_tokens, (u.cache_creation?.ephemeral_5m_input_tokens ?? 0) + (u.cache_creation?.ephemeral_1h_input_tokens ?? 0), 'creation = sum of the split');
  return {
    input_tokens: u.input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens,
    w5m: u.cache_creation?.ephemeral_5m_input_tokens ?? -1,
    w1h: u.cache_creation?.ephemeral_1h_input_tokens ?? -1,
  };
}

const expectUsage = (input: number, w5m: number, w1h: number, read: number): Usage => ({
  input_tokens: input, cache_creation_input_tokens: w5m + w1h, cache_read_input_tokens: read, w5m, w1h,
});

describe('fake API: prompt caching and token counting', () => {
  const api = useFakeApi();
  const send = async (params: Partial<Anthropic.MessageCreateParamsNonStreaming>, stream = false): Promise<Usage> => {
    const p = { model: MODEL, max_tokens: 256, messages: [user('Hello')], ...params };
    const client = sdk(api());
    return usageOf(stream ? await client.messages.stream(p).finalMessage() : await client.messages.create(p));
  };

  it('writes, then reads, then misses after the 5-minute TTL on the fake clock', async () => {
    // "Hello": 2 tokens + 3 + 4 = 9 after the breakpoint.
    assert.deepEqual(await send({ system: sys(cc5m) }), expectUsage(9, SYS, 0, 0));
    assert.deepEqual(await send({ system: sys(cc5m) }, true), expectUsage(9, 0, 0, SYS));
    api().clock.advance(4 * MIN); // a hit refreshes the entry: still alive 4 minutes after the last read
    assert.deepEqual(await send({ system: sys(cc5m) }), expectUsage(9, 0, 0, SYS));
    api().clock.advance(5 * MIN + 1_000);
    assert.deepEqual(await send({ system: sys(cc5m) }), expectUsage(9, SYS, 0, 0));
  });

  it('a hit found by walking back refreshes that entry too', async () => {
    const q = (text: string) => user([{ type: 'text', text, cache_control: cc5m }]);
    // t=0: entry at the first user block (1003 + "Question" 2 + 3 + 4 = 1012).
    assert.deepEqual(await send({ system: sys(), messages: [q('Question')] }), expectUsage(0, 1012, 0, 0));
    api().clock.advance(4 * MIN);
    // t=4: a continuation finds it 2 blocks back ("Answer A." 3 -> 10; "Next?" 2 -> 9) and refreshes it.
    assert.deepEqual(await send({ system: sys(), messages: [user('Question'), assistant('Answer A.'), q('Next?')] }), expectUsage(0, 19, 0, 1012));
    api().clock.advance(4 * MIN);
    // t=8: a different continuation still finds it: its 5 minutes now run from t=4.
    assert.deepEqual(await send({ system: sys(), messages: [user('Question'), assistant('Answer B.'), q('Other?')] }), expectUsage(0, 10 + 9, 0, 1012));
  });

  it('a multi-turn conversation with a rolling breakpoint reads the previous turn', async () => {
    const u1 = 'What is a monad?'; // 4 tokens -> 11 as a message
    const a1 = 'x'.repeat(400); // 100 -> 107
    const u2 = 'Give an example.'; // 4 -> 11
    const r1 = await send({ system: sys(cc5m), messages: [user([{ type: 'text', text: u1, cache_control: cc5m }])] });
    assert.deepEqual(r1, expectUsage(0, SYS + 11, 0, 0));
    const r2 = await send({ system: sys(cc5m), messages: [user(u1), assistant(a1), user([{ type: 'text', text: u2, cache_control: cc5m }])] });
    // Read up to u1 (1014, found by walking back from u2), write a1 + u2 (118), nothing after the breakpoint.
    assert.deepEqual(r2, expectUsage(0, 107 + 11, 0, SYS + 11));
    // A third turn with the breakpoint moved on: reads turn two's entry.
    const r3 = await send({ system: sys(cc5m), messages: [user(u1), assistant(a1), user(u2), assistant('Maybe.'), user([{ type: 'text', text: 'More?', cache_control: cc5m }])] });
    // "Maybe." 2 -> 9 ; "More?" 2 -> 9
    assert.deepEqual(r3, expectUsage(0, 9 + 9, 0, SYS + 11 + 107 + 11));
  });

  it('the lookback window is 20 blocks: 19 back hits, 20 back misses', async () => {
    const blk = (i: number, cache = false): Anthropic.TextBlockParam => ({ type: 'text', text: `block-${String(i).padStart(2, '0')}`, ...(cache ? { cache_control: cc5m } : {}) });
    // One entry at position 1 (system is position 0): 1003 + (2 + 3 + 4) = 1012.
    assert.deepEqual(await send({ system: sys(), messages: [user([blk(0, true)])] }), expectUsage(0, 1012, 0, 0));
    // Breakpoint at position 21: checks positions 21..2, never reaching 1.
    const far = [blk(0), ...Array.from({ length: 20 }, (_, i) => blk(i + 1, i === 19))];
    assert.deepEqual(await send({ system: sys(), messages: [user(far)] }), expectUsage(0, 1012 + 20 * 5, 0, 0));
    // Breakpoint at position 20: position 1 is the 20th checked, so it hits.
    const near = [blk(0), ...Array.from({ length: 19 }, (_, i) => blk(i + 1, i === 18))];
    assert.deepEqual(await send({ system: sys(), messages: [user(near)] }), expectUsage(0, 19 * 5, 0, 1012));
  });

  it('does not cache below the model minimum, which is configurable', async () => {
    // "Be brief." 9 chars -> 3 + 3 = 6; + "Hello" 9 = 15 < 512: nothing cached, no error.
    const small = { system: [{ type: 'text' as const, text: 'Be brief.', cache_control: cc5m }] };
    assert.deepEqual(await send(small), expectUsage(15, 0, 0, 0));
    assert.deepEqual(await send(small), expectUsage(15, 0, 0, 0));
    // Opus 4.6 needs 4096 tokens (spec §6.5): the 1003-token system prompt is not cached there.
    assert.deepEqual(await send({ model: 'claude-opus-4-6', system: sys(cc5m) }), expectUsage(SYS + 9, 0, 0, 0));
    const strict = await startFakeApi({ minCacheTokens: { [MODEL]: 2000 } });
    try {
      const m = await sdk(strict).messages.create({ model: MODEL, max_tokens: 10, system: sys(cc5m), messages: [user('Hello')] });
      assert.deepEqual(usageOf(m), expectUsage(SYS + 9, 0, 0, 0));
    } finally {
      await strict.close();
    }
  });

  it('splits 1h and 5m writes, the 1h entry outliving the 5m one', async () => {
    const desc = 'd'.repeat(2988);
    const tool = { name: 'read_file', description: desc, input_schema: { type: 'object' as const } };
    // canonical JSON: {"description":"ddd…","input_schema":{"type":"object"},"name":"read_file"}
    const TOOL = Math.ceil(`{"description":"${desc}","input_schema":{"type":"object"},"name":"read_file"}`.length / 4) + 3;
    assert.equal(TOOL, 768); // 3058 chars -> 765 + 3
    const req = { tools: [{ ...tool, cache_control: cc1h }], system: sys(cc5m) };
    assert.deepEqual(await send(req), expectUsage(9, SYS, TOOL, 0));
    api().clock.advance(10 * MIN);
    assert.deepEqual(await send(req), expectUsage(9, SYS, 0, TOOL));
    api().clock.advance(61 * MIN);
    assert.deepEqual(await send(req), expectUsage(9, SYS, TOOL, 0));
    // 1h after 5m is refused.
    await rejectsWith(sdk(api()).messages.create({ model: MODEL, max_tokens: 10, tools: [{ ...tool, cache_control: cc5m }], system: sys(cc1h), messages: [user('x')] }), BadRequestError);
  });

  it('automatic caching moves the breakpoint to the last block as the conversation grows', async () => {
    const big = 'q'.repeat(3000); // 750 -> 757 as a message
    const r1 = await send({ cache_control: cc5m, messages: [user(big)] });
    assert.deepEqual(r1, expectUsage(0, 757, 0, 0));
    const r2 = await send({ cache_control: cc5m, messages: [user(big), assistant('Sure.'), user('Go on.')] });
    // "Sure." 2 -> 9, "Go on." 2 -> 9
    assert.deepEqual(r2, expectUsage(0, 18, 0, 757));
  });

  it('caches are per model, and tool_choice invalidates only the messages part', async () => {
    const req = { system: sys(cc5m), messages: [user([{ type: 'text' as const, text: 'Hello', cache_control: cc5m }])] };
    assert.deepEqual(await send(req), expectUsage(0, SYS + 9, 0, 0));
    assert.deepEqual(await send({ ...req, model: 'claude-opus-5-5' }), expectUsage(0, SYS + 9, 0, 0));
    assert.deepEqual(await send({ ...req, tool_choice: { type: 'none' } }), expectUsage(0, 9, 0, SYS));
    assert.deepEqual(await send(req), expectUsage(0, 0, 0, SYS + 9));
  });

  it('count_tokens equals the usage sum of the same prompt, for every block kind', async () => {
    const client = sdk(api());
    const docs = await client.messages.countTokens({ model: MODEL, system: 'You are a scientist', messages: [user('Hello, Claude')] });
    assert.equal(docs.input_tokens, 8 + 11); // (5 + 3) + (4 + 3 + 4)
    api().queue(reply.thinking('Let me look.', 'Checking.'));
    const first = await client.messages.create({ model: MODEL, max_tokens: 256, messages: [user('Read it')] });
    const prompt = {
      model: MODEL,
      tools: [{ name: 'read_file', input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } }, cache_control: cc5m }],
      system: sys(cc5m),
      messages: [
        user([{ type: 'text', text: 'Read it' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: makePng(300, 200).toString('base64') } }]),
        assistant([...(first.content as Anthropic.ContentBlockParam[]), { type: 'tool_use', id: 'toolu_01Q', name: 'read_file', input: { path: 'a.ts' } }]),
        user([{ type: 'tool_result', tool_use_id: 'toolu_01Q', content: [{ type: 'text', text: 'export const a = 1;' }] }]),
      ],
    };
    const counted = (await client.messages.countTokens(prompt)).input_tokens;
    for (let i = 0; i < 2; i++) {
      const m = await client.messages.create({ ...prompt, max_tokens: 256 });
      const u = m.usage;
      assert.equal(u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0), counted, `round ${i}`);
      // The tool alone (93 chars of canonical JSON -> 24 + 3 = 27) is under the minimum; tool + system is not.
      assert.equal(u.cache_read_input_tokens, i === 0 ? 0 : 27 + SYS);
    }
  });
});
