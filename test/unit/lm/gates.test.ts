// The small parts around the provider and the tools: the token counter (estimate now, count_tokens later,
// debounced and cached), the caller consent, and the schema check against hostile schemas and inputs.
import * as assert from 'node:assert/strict';
import { CallerConsent, MapConsentStore, type ConsentAnswer, type Remembered } from '../../../src/core/lm/consent';
import { checkInput } from '../../../src/core/lm/schema';
import { TokenCounter } from '../../../src/core/lm/tokenCounter';
import { createClient } from '../../../src/core/sdk';
import { DEFAULT_TEST_KEY, startFakeApi } from '../../fake-api/server';

describe('provideTokenCount: an estimate at once, refined by count_tokens', () => {
  it('answers from the estimate, counts a burst of requests once after a pause, then answers exactly from the cache', async () => {
    const api = await startFakeApi();
    try {
      const client = await createClient({ apiKey: DEFAULT_TEST_KEY, baseURL: api.url });
      let allowed = true;
      const counter = new TokenCounter({
        count: async (model, text) => (await client.messages.countTokens({ model, messages: [{ role: 'user', content: text }] })).input_tokens,
        mayRefine: () => allowed,
        debounceMs: 30,
      });
      const text = 'function add(a, b) { return a + b; }\n'.repeat(40);
      const first = counter.count('claude-sonnet-5-5', text);
      assert.equal(first, Math.ceil(text.length / 4), 'the first answer is the estimate, without waiting for the API');
      for (let i = 0; i < 20; i++) counter.count('claude-sonnet-5-5', text);
      await counter.settled();
      const counted = api.requests.filter((r) => r.path === '/v1/messages/count_tokens').length;
      assert.equal(counted, 2, 'one framing measurement and one count for 21 asks');
      const exact = counter.count('claude-sonnet-5-5', text);
      const framing = (await client.messages.countTokens({ model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: '.' }] })).input_tokens - 1;
      const full = (await client.messages.countTokens({ model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: text }] })).input_tokens;
      assert.equal(exact, full - framing, 'later answers are the API count of the text');
      allowed = false;
      counter.count('claude-sonnet-5-5', `${text} and more`);
      await counter.settled();
      assert.equal(api.requests.filter((r) => r.path === '/v1/messages/count_tokens').length, counted + 2, 'nothing is sent while refining is not allowed');
      counter.dispose();
    } finally {
      await api.close();
    }
  });
});

describe('caller consent', () => {
  function consent(answers: (ConsentAnswer | undefined)[]) {
    const saved: Record<string, Remembered> = {};
    const asked: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const c = new CallerConsent(new MapConsentStore(() => ({ ...saved }), async (v) => {
      for (const k of Object.keys(saved)) delete saved[k];
      Object.assign(saved, v);
    }), { ask: async (x) => (asked.push(x.id), await gate, answers.shift()) }, 'me.self');
    return { c, asked, saved, release };
  }

  it('never asks about the extension itself; concurrent first requests share one question; allow is remembered and revocable', async () => {
    const { c, asked, saved, release } = consent(['allow', 'deny']);
    assert.equal(await c.check({ id: 'me.self', label: 'me' }), true);
    const both = Promise.all([c.check({ id: 'x.y', label: 'X' }), c.check({ id: 'x.y', label: 'X' })]);
    release();
    assert.deepEqual(await both, [true, true]);
    assert.deepEqual(asked, ['x.y']);
    assert.deepEqual(saved, { 'x.y': 'allow' });
    await c.revoke('x.y');
    assert.equal(await c.check({ id: 'x.y', label: 'X' }), false, 'asked again after revoking; this time denied');
    assert.deepEqual(asked, ['x.y', 'x.y']);
  });

  it('a dismissed question refuses this request and is not remembered; a stored value that is not allow/deny is ignored', async () => {
    const { c, asked, saved, release } = consent([undefined, 'once']);
    release();
    assert.equal(await c.check({ id: 'a.b', label: 'A' }), false);
    assert.equal(await c.check({ id: 'a.b', label: 'A' }), true);
    assert.deepEqual([asked.length, saved], [2, {}]);
    const store = new MapConsentStore(() => ({ 'a.b': 'yes', '__proto__': 'allow' }), async () => {});
    assert.equal(store.get('a.b'), undefined);
    assert.equal(store.get('constructor'), undefined);
  });
});

describe('schema check of external tool input', () => {
  const schema = { type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' }, n: { type: 'integer', minimum: 1 } }, required: ['n'] };

  it('does not run a schema regex on model text (a catastrophic pattern returns at once)', () => {
    const started = Date.now();
    assert.deepEqual(checkInput(schema, { name: `${'a'.repeat(5000)}!`, n: 2 }), { ok: true });
    assert.ok(Date.now() - started < 5000, 'returned'); // a hang guard, not a timing assertion
  });

  it('refuses inputs that are not objects, too deep or too large, and schemas it cannot evaluate', () => {
    assert.equal(checkInput(schema, ['x']).ok, false);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { d: deep };
    assert.match((checkInput(undefined, { deep }) as { reason: string }).reason, /nested too deeply/);
    assert.match((checkInput(undefined, { s: 'x'.repeat(1_100_000) }) as { reason: string }).reason, /too large/);
    assert.match((checkInput({ $ref: '#' }, { a: 1 }) as { reason: string }).reason, /could not be evaluated/);
    assert.match((checkInput('not a schema', { a: 1 }) as { reason: string }).reason, /not a JSON object/);
    assert.match((checkInput(schema, { n: 0 }) as { reason: string }).reason, /input\/n: .*1/);
    assert.deepEqual(checkInput(undefined, { anything: true }), { ok: true });
  });

  it('does not let patternProperties turn a valid key into a refusal', () => {
    const s = { type: 'object', patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false };
    assert.deepEqual(checkInput(s, { 'x-a': 'v' }), { ok: true });
  });
});
