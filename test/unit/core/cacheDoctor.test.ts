// The cache doctor: per request, whether the prefix was read from the cache and, when not, why. Directly (times and
// usage given) for expiry and the fingerprint, and through the chat engine against the fake API (its real cache
// accounting and cache diagnostics) for the reasons a user causes: an attached file edited, the model switched, the
// system prompt changed, a prompt under the minimum; the session's tally by reason.
import * as assert from 'node:assert/strict';
import { CacheDoctor, fingerprint, RequestShape } from '../../../src/core/cacheDoctor';
import { CapabilityTable } from '../../../src/core/capabilities';
import { FakeApi, startFakeApi } from '../../fake-api/server';
import { chatHarness } from '../chat/fakes';

const LONG = 'You are a careful assistant. '.repeat(200); // ~1,400 tokens: over Sonnet 5.5's 512
const shape = (over: Partial<RequestShape['params']> = {}, labels: string[] = []): RequestShape => ({
  params: {
    model: 'claude-sonnet-5-5',
    system: [{ type: 'text', text: LONG, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] }],
    ...over,
  },
  contextLabels: labels,
});
const MIN = () => 512;

describe('cache doctor', () => {
  it('keeps hashes, never the text, and a prefix hash per block', () => {
    const f = fingerprint(shape(), 0);
    assert.ok(!JSON.stringify(f).includes('careful assistant'));
    assert.equal(f.positions.length, 2);
    assert.notEqual(f.positions[0].hash, f.positions[1].hash);
  });

  it('first write, then a read; an unchanged prefix not read after the TTL is "expired"', () => {
    const d = new CacheDoctor(MIN);
    const t0 = 1_000_000;
    const first = d.diagnose(shape(), t0, { read: 0, written: 1500, prompt: 1510 });
    assert.equal(first.state, 'written');
    assert.match(first.detail, /the next request reads it/);
    assert.equal(d.diagnose(shape(), t0 + 60_000, { read: 1500, written: 20, prompt: 1530 }).state, 'read');
    const late = d.diagnose(shape(), t0 + 60_000 + 7 * 60_000, { read: 0, written: 1520, prompt: 1530 });
    assert.deepEqual([late.state, late.reason], ['miss', 'expired']);
    assert.match(late.detail, /idle 7 minutes, longer than its 5-minute lifetime/);
    assert.equal(late.missedTokens, 1520);
  });

  it('names the first divergence: tools, system, an attached file by name, tool choice/effort, earlier messages', () => {
    const base = shape({ messages: [{ role: 'user', content: [{ type: 'text', text: '<document path="a.ts">A</document>' }, { type: 'text', text: 'q', cache_control: { type: 'ephemeral' } }] }] }, ['a.ts']);
    const miss = (next: RequestShape) => {
      const d = new CacheDoctor(MIN);
      d.diagnose(base, 0, { read: 0, written: 1500, prompt: 1500 });
      return d.diagnose(next, 1000, { read: 0, written: 1500, prompt: 1500 });
    };
    const tools = miss({ ...base, params: { ...base.params, tools: [{ name: 't', input_schema: { type: 'object' } }] } });
    assert.equal(tools.reason, 'tools');
    assert.equal(miss({ ...base, params: { ...base.params, system: 'other' } }).reason, 'system');
    const edited = miss({ ...base, params: { ...base.params, messages: [{ role: 'user', content: [{ type: 'text', text: '<document path="a.ts">A2</document>' }, { type: 'text', text: 'q' }] }] } });
    assert.equal(edited.reason, 'context');
    assert.match(edited.detail, /attached file a\.ts was edited/);
    assert.equal(miss({ ...base, params: { ...base.params, output_config: { effort: 'low' } } }).reason, 'settings');
    assert.equal(miss({ ...base, params: { ...base.params, model: 'claude-opus-5-5' } }).reason, 'model');
  });

  it('a change announced with expectChange (compaction) is named as such; API diagnostics win over a guess', () => {
    const d = new CacheDoctor(MIN);
    d.diagnose(shape(), 0, { read: 0, written: 1500, prompt: 1500 });
    d.expectChange('the conversation was compacted');
    const v = d.diagnose(shape({ messages: [{ role: 'user', content: 'summary' }] }), 1000, { read: 0, written: 900, prompt: 900 });
    assert.deepEqual([v.reason, v.detail], ['compacted', 'Cache miss: the conversation was compacted.']);
    const api = d.diagnose(shape(), 2000, { read: 0, written: 1500, prompt: 1500 }, { cache_miss_reason: { type: 'system_changed', cache_missed_input_tokens: 1234 } });
    assert.deepEqual([api.reason, api.missedTokens], ['system', 1234]);
  });

  it('a prompt under the minimum is "not cached", not a miss', () => {
    const d = new CacheDoctor(() => 4096);
    const v = d.diagnose(shape(), 0, { read: 0, written: 0, prompt: 1500 });
    assert.deepEqual([v.state, v.reason], ['uncached', 'short']);
    assert.match(v.detail, /under claude-sonnet-5-5's minimum cacheable length \(4,096 tokens\)/);
  });
});

describe('cache doctor through the chat engine (fake API)', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());
  const table = new CapabilityTable();

  it('footer verdicts: written, read, attached file edited, model switched; the tally by reason', async () => {
    const h = await chatHarness(api, { capabilities: (m) => table.get(m), settings: { systemPrompt: LONG, cacheDiagnostics: true } });
    const send = async (text: string) => {
      api.queue({ kind: 'text', text: 'ok' });
      await h.app.handle({ type: 'send', text });
      return h.app.session.history.at(-1)!;
    };
    assert.equal((await send('one')).cache?.state, 'written');
    const read = await send('two');
    assert.equal(read.cache?.state, 'read');
    assert.equal(h.of('turnEnd').at(-1)!.outcome.cache?.state, 'read', 'the footer gets it with the turn end');
    h.app.attachContext([{ id: 'f', label: 'src/big.ts', kind: 'file', text: 'export const x = 1;\n'.repeat(300) }]);
    // Attaching a file puts a block before the earlier turns: the system prompt is still read, the turns are not.
    const attached = await send('three');
    assert.deepEqual([attached.cache?.state, attached.cache?.reason], ['partial', 'context']);
    assert.match(attached.cache?.detail ?? '', /^Partly read from the cache \([\d,]+ tokens\); [\d,]+ written again because attached files were added, removed or reordered\.$/);
    h.app.attachContext([{ id: 'f', label: 'src/big.ts', kind: 'file', text: 'export const x = 2;\n'.repeat(300) }]);
    const edited = await send('four');
    assert.equal(edited.cache?.reason, 'context');
    assert.match(edited.cache?.detail ?? '', /attached file src\/big\.ts was edited/);
    h.fake.answers.push('Change Anyway');
    await h.app.handle({ type: 'setModel', model: 'claude-opus-5-5' });
    assert.match(String(h.fake.named('warn').at(-1)?.[1]), /^Switching to claude-opus-5-5 mid-conversation makes the next message write/);
    const switched = await send('five');
    assert.deepEqual([switched.cache?.state, switched.cache?.reason], ['miss', 'model']);
    const sent = api.messageRequests.at(-1)!.body as { diagnostics?: { previous_message_id: string } };
    assert.match(sent.diagnostics?.previous_message_id ?? '', /^msg_01/, 'asks the API why (cache diagnostics)');
    assert.deepEqual(h.usage.misses.map((m) => m.reason), ['context', 'context', 'model']);
    assert.ok(h.usage.misses.every((m) => m.missedTokens > 0));
  });

  it('declining the model switch keeps the model and says nothing else', async () => {
    const h = await chatHarness(api, { capabilities: (m) => table.get(m), settings: { systemPrompt: LONG } });
    api.queue({ kind: 'text', text: 'ok' });
    await h.app.handle({ type: 'send', text: 'one' });
    h.fake.answers.push(undefined);
    await h.app.handle({ type: 'setModel', model: 'claude-haiku-5-5' });
    assert.equal(h.app.model(), 'claude-sonnet-5-5');
    assert.equal(h.of('model').at(-1)!.model, 'claude-sonnet-5-5', 'the picker snaps back');
  });
});
