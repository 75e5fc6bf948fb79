// The provider engine against the fake API through the real SDK: what the API receives (cache breakpoints,
// thinking), what the caller gets back, the cache read of a second request, usage marked with the caller, the
// caller gate, and the errors a caller can show.
import * as assert from 'node:assert/strict';
import { CallerConsent, type ConsentAnswer, MapConsentStore, type Remembered } from '../../../src/core/lm/consent';
import type { LmMessage, LmResponsePart } from '../../../src/core/lm/parts';
import { ClaudeProviderEngine, ProviderError, type ProviderSettings } from '../../../src/core/lm/provider';
import { createClient } from '../../../src/core/sdk';
import { systemClock } from '../../../src/core/ports';
import type { UsageRecord } from '../../../src/shared/usage';
import { DEFAULT_TEST_KEY, FakeApi, reply, startFakeApi } from '../../fake-api/server';

const CALLER = { id: 'someone.consumer', label: 'Consumer (someone.consumer)' };
const user = (value: string): LmMessage => ({ role: 1, content: [{ kind: 'text', value }] });
const LONG = 'The quick brown fox jumps over the lazy dog. '.repeat(120);
const TOOLS = [{ name: 'get_weather', description: 'Weather for a city.', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

interface Harness {
  engine: ClaudeProviderEngine;
  usage: UsageRecord[];
  asked: string[];
  answer: ConsentAnswer | undefined;
  key: string | undefined;
  allowSpend: boolean;
  settings: ProviderSettings;
  ask(messages: LmMessage[], opts?: { tools?: typeof TOOLS; mode?: 1 | 2; signal?: AbortSignal; model?: string }): Promise<LmResponsePart[]>;
}

function harness(api: FakeApi): Harness {
  const saved: Record<string, Remembered> = {};
  const h: Harness = {
    usage: [],
    asked: [],
    answer: 'allow',
    key: DEFAULT_TEST_KEY,
    allowSpend: true,
    settings: { enabled: true, maxOutputTokens: 16000, thinking: 'auto', thinkingBudget: 4096 },
    engine: undefined as unknown as ClaudeProviderEngine,
    ask: async (messages, opts = {}) => {
      const parts: LmResponsePart[] = [];
      await h.engine.respond(opts.model ?? 'claude-sonnet-5-5', messages, opts.tools ?? [], opts.mode ?? 1, CALLER, (p) => parts.push(p), opts.signal ?? new AbortController().signal);
      return parts;
    },
  };
  const consent = new CallerConsent(
    new MapConsentStore(() => saved, async (v) => {
      for (const k of Object.keys(saved)) delete saved[k];
      Object.assign(saved, v);
    }),
    { ask: async (c) => (h.asked.push(c.id), h.answer) },
    'claude-api-chat.claude-api-chat',
  );
  h.engine = new ClaudeProviderEngine({
    settings: () => h.settings,
    apiKey: async () => h.key,
    connect: (key) => createClient({ apiKey: key, baseURL: api.url }),
    model: (id) => (id === 'claude-sonnet-5-5' ? { id, maxOutput: 128_000, caps: { thinkingAdaptive: true, thinkingEnabled: true, imageInput: true } } : undefined),
    consent,
    mayRequest: async () => h.allowSpend,
    usage: { record: (r) => h.usage.push(r) },
    clock: systemClock,
    logger: { info() {}, warn() {}, error() {} },
  });
  return h;
}

/** Consecutive text parts joined (the fake streams text in small deltas). */
function joined(parts: LmResponsePart[]): LmResponsePart[] {
  const out: LmResponsePart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind: 'text', value: last.value + p.value };
    else out.push(p);
  }
  return out;
}

const body = (api: FakeApi, i: number) => api.messageRequests[i].body as Record<string, unknown>;

describe('provider: Claude for other extensions, against the fake API', () => {
  let api: FakeApi;
  let h: Harness;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => {
    api.reset();
    h = harness(api);
  });

  it('sends a well-formed request with cache breakpoints and adaptive thinking, streams text and a tool call back, and a second request reads the cache', async () => {
    api.queue(reply.message([{ type: 'thinking', thinking: 'Which city?' }, { type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_w1', name: 'get_weather', input: { city: 'Oslo' } }]));
    const first = [{ role: 3 as const, content: [{ kind: 'text' as const, value: `You answer weather questions. ${LONG}` }] }, user(`Weather in Oslo? ${LONG}`)];
    const parts = await h.ask(first, { tools: TOOLS });
    assert.deepEqual(joined(parts.filter((p) => p.kind !== 'thinking')), [{ kind: 'text', value: 'Let me check.' }, { kind: 'toolCall', callId: 'toolu_w1', name: 'get_weather', input: { city: 'Oslo' } }]);
    assert.ok(parts.some((p) => p.kind === 'thinking'), 'thinking reaches the caller as thinking parts');
    const b0 = body(api, 0);
    console.log(`      request 1 as the fake received it: ${JSON.stringify(summarize(b0))}`);
    assert.deepEqual(b0.thinking, { type: 'adaptive' });
    assert.deepEqual((b0.tools as { cache_control?: unknown }[]).at(-1)?.cache_control ?? (b0.system as { cache_control?: unknown }[]).at(-1)?.cache_control, { type: 'ephemeral' });
    assert.equal((b0.messages as { content: { cache_control?: unknown }[] }[])[0].content.at(-1)?.cache_control !== undefined, true);

    api.queue(reply.text('It is sunny in Oslo.'));
    const second = [
      ...first,
      { role: 2 as const, content: [{ kind: 'text' as const, value: 'Let me check.' }, { kind: 'toolCall' as const, callId: 'toolu_w1', name: 'get_weather', input: { city: 'Oslo' } }] },
      { role: 1 as const, content: [{ kind: 'toolResult' as const, callId: 'toolu_w1', content: [{ kind: 'text' as const, value: 'sunny, 18 C' }] }] },
    ];
    const parts2 = await h.ask(second, { tools: TOOLS });
    assert.deepEqual(joined(parts2), [{ kind: 'text', value: 'It is sunny in Oslo.' }]);
    const b1 = body(api, 1);
    const assistantTurn = (b1.messages as { role: string; content: { type: string }[] }[])[1];
    assert.deepEqual(assistantTurn.content.map((b) => b.type), ['thinking', 'text', 'tool_use'], 'the thinking of the tool-use turn went back, unmodified (the fake checks the signature)');
    const u = api.messageRequests[1].usage!;
    const prompt = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;
    const share = u.cache_read_input_tokens / prompt;
    console.log(`      second request: ${u.cache_read_input_tokens} of ${prompt} prompt tokens read from the cache (${(share * 100).toFixed(1)}%)`);
    assert.ok(u.cache_read_input_tokens > 0, 'the second request read the prefix from the cache');
    assert.ok(share > 0.8, `cache-read share ${share}`);
    assert.deepEqual(h.usage.map((r) => [r.kind, r.caller, r.exact]), [['provider', CALLER.id, true], ['provider', CALLER.id, true]]);
    assert.equal(h.usage[1].cacheReadTokens, u.cache_read_input_tokens);
  });

  it('asks each calling extension once: Deny is remembered and sends nothing; Allow once asks again next time', async () => {
    h.answer = 'deny';
    await assert.rejects(h.ask([user('hi')]), (e: unknown) => e instanceof ProviderError && e.code === 'NoPermissions' && /may not use Claude/.test(e.message));
    await assert.rejects(h.ask([user('hi')]), ProviderError);
    assert.deepEqual(h.asked, [CALLER.id], 'asked once; the denial was remembered');
    assert.equal(api.messageRequests.length, 0, 'nothing reached the API');

    const h2 = harness(api);
    h2.answer = 'once';
    await h2.ask([user('hi')]);
    await h2.ask([user('hi')]);
    assert.deepEqual(h2.asked, [CALLER.id, CALLER.id], '"Allow once" is not remembered');
    assert.equal(api.messageRequests.length, 2);
  });

  it('the setting turns it off; a missing key, the spend guard and a bad key give messages the caller can show', async () => {
    h.settings = { ...h.settings, enabled: false };
    await assert.rejects(h.ask([user('x')]), /turned off/);
    h.settings = { ...h.settings, enabled: true };
    h.key = undefined;
    await assert.rejects(h.ask([user('x')]), /no API key is set\. Run "Claude: Set API Key"/);
    h.key = DEFAULT_TEST_KEY;
    h.allowSpend = false;
    await assert.rejects(h.ask([user('x')]), /spend limit/);
    assert.equal(api.messageRequests.length, 0);
    h.allowSpend = true;
    h.key = 'sk-ant-test.wrong-key-0000000000000000';
    await assert.rejects(h.ask([user('x')]), (e: unknown) => e instanceof ProviderError && e.code === 'NoPermissions' && /rejected your API key/.test(e.message) && !e.message.includes(h.key!));
  });

  it('a 429 says when to retry', async () => {
    api.queue(reply.rateLimited({ retryAfter: 17 }));
    await assert.rejects(h.ask([user('x')]), (e: unknown) => e instanceof Error && /Rate limited/.test(e.message) && /retry after 17 s/.test(e.message));
    assert.equal(api.messageRequests.length, 1, 'the provider does not retry on its own: the caller decides');
  });

  it('cancellation aborts the HTTP request, ends quietly, and still counts the input it was billed for', async () => {
    api.queue({ kind: 'text', text: 'x'.repeat(4000), chunkSize: 10, delayMs: 20 });
    const ac = new AbortController();
    const got: LmResponsePart[] = [];
    const run = h.engine.respond('claude-sonnet-5-5', [user('long answer please')], [], 1, CALLER, (p) => {
      got.push(p);
      if (got.length === 3) ac.abort();
    }, ac.signal);
    await run;
    assert.ok(got.length >= 3 && got.length < 50, `stopped early (${got.length} parts)`);
    assert.equal(h.usage.length, 1);
    assert.equal(h.usage[0].exact, false, 'the partial reply is counted as an estimate');
    assert.ok(h.usage[0].inputTokens > 0);
  });
});

function summarize(b: Record<string, unknown>): unknown {
  const cc = (x: unknown) => (x as { cache_control?: unknown }).cache_control;
  return {
    model: b.model,
    max_tokens: b.max_tokens,
    thinking: b.thinking,
    tools: (b.tools as { name: string }[] | undefined)?.map((t) => ({ name: t.name, cache_control: cc(t) })),
    system: (b.system as unknown[] | undefined)?.map((s) => ({ chars: String((s as { text: string }).text).length, cache_control: cc(s) })),
    messages: (b.messages as { role: string; content: unknown[] }[]).map((m) => ({ role: m.role, blocks: m.content.map((c) => `${(c as { type: string }).type}${cc(c) ? '+cache_control' : ''}`) })),
  };
}
