// The view sink's fast path (redactDeep checks one JSON text before walking): it must find every secret the walk
// finds, wherever it sits in a large message, and leave a clean message untouched (same object, no copy).
import * as assert from 'assert';
import { forgetSecretsForTest, redactDeep, rememberSecret } from '../../../src/core/redact';

const TEST_KEY = 'test-key-0123456789abcdefghij';

function bigState(turns: number, text: (i: number) => string): unknown {
  return {
    type: 'state',
    state: {
      hasApiKey: true, keySource: 'secret', model: 'm',
      turns: Array.from({ length: turns }, (_, i) => ({ id: `t${i}`, userText: `q${i}`, status: 'complete', model: 'm', blocks: [{ id: `t${i}b0`, kind: 'text', text: text(i) }] })),
    },
  };
}

describe('redact: the view sink fast path', () => {
  afterEach(() => forgetSecretsForTest());

  it('returns a clean 5,000-turn state as the same object', () => {
    rememberSecret(TEST_KEY);
    const m = bigState(5000, (i) => `Answer ${i} with some words.`);
    assert.strictEqual(redactDeep(m), m);
  });

  it('finds a remembered key in one string deep in a 5,000-turn state, and a key-shaped token', () => {
    rememberSecret(TEST_KEY);
    const m = bigState(5000, (i) => (i === 4321 ? `the key is ${TEST_KEY}!` : `Answer ${i}`)) as { state: { turns: { blocks: { text: string }[] }[] } };
    const out = redactDeep(m);
    assert.notStrictEqual(out, m);
    assert.strictEqual(out.state.turns[4321].blocks[0].text, 'the key is [redacted]!');
    assert.ok(!JSON.stringify(out).includes(TEST_KEY));
    const shaped = `sk-ant-${'api03'}-${'x'.repeat(20)}`;
    const out2 = redactDeep(bigState(10, (i) => (i === 7 ? shaped : 'a'))) as typeof m;
    assert.strictEqual(out2.state.turns[7].blocks[0].text, 'sk-ant-[redacted]');
  });

  it('finds a remembered secret that JSON would escape, and one in an object key', () => {
    const odd = 'abc"def\\ghi\nj';
    rememberSecret(odd);
    const out = redactDeep({ a: [{ b: `x${odd}y` }] });
    assert.deepStrictEqual(out, { a: [{ b: 'x[redacted]y' }] });
    forgetSecretsForTest();
    rememberSecret(TEST_KEY);
    const keyed = redactDeep({ [TEST_KEY]: 1 } as Record<string, number>);
    assert.deepStrictEqual(Object.keys(keyed), ['[redacted]']);
  });
});
