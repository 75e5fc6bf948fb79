import * as assert from 'node:assert/strict';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { MODEL_ALIASES, MODEL_PRICES, READ_MULTIPLIER_EXCEPTIONS } from '../../../src/core/usage/prices';

const close = (a: number | undefined, b: number, what = '') => assert.ok(a !== undefined && Math.abs(a - b) < 1e-12, `${what}: ${a} != ${b}`);

describe('usage: the price list (spec §6.7, §10)', () => {
  const book = PriceBook.builtIn();

  it('has every model of spec §10.1 and §10.2 with its input/output price and context window', () => {
    // [id, input, output, context] copied by hand from the spec's tables.
    const spec: [string, number, number, number | undefined][] = [
      ['claude-opus-4-8', 5, 25, 1e6], ['claude-opus-4-7', 5, 25, 1e6], ['claude-opus-4-6', 5, 25, 1e6], ['claude-opus-4-5', 5, 25, 200e3],
      ['claude-opus-4-1', 15, 75, undefined], ['claude-opus-4-0', 15, 75, undefined], ['claude-sonnet-4-6', 3, 15, 1e6],
      ['claude-sonnet-4-5', 3, 15, 200e3], ['claude-sonnet-4-0', 3, 15, undefined], ['claude-haiku-4-5', 1, 5, 200e3],
      ['claude-fable-5-2', 8, 40, 1e6], ['claude-fable-5-1', 10, 50, 1e6], ['claude-opus-5-5', 4, 20, 1e6], ['claude-sonnet-5-5', 2, 10, 1e6],
      ['claude-haiku-5-5', 0.1, 0.5, 1e6], ['claude-opus-5', 5, 25, 1e6], ['claude-sonnet-5', 2, 10, 1e6], ['claude-fable-5', 10, 50, 1e6],
      ['claude-mythos-5', 10, 50, 1e6],
    ];
    for (const [id, input, output, ctx] of spec) {
      const p = book.price(id);
      assert.ok(p, `${id} is priced`);
      assert.equal(p.input, input, `${id} input`);
      assert.equal(p.output, output, `${id} output`);
      assert.equal(p.contextWindow, ctx, `${id} context window`);
    }
    assert.equal(Object.keys(MODEL_PRICES).length, spec.length, 'no model beyond the spec');
  });

  it('matches the spec table\'s cache columns for the 4.x family', () => {
    const cols: [string, number, number, number][] = [
      ['claude-opus-4-8', 6.25, 10, 0.5], ['claude-opus-4-1', 18.75, 30, 1.5], ['claude-sonnet-4-6', 3.75, 6, 0.3], ['claude-haiku-4-5', 1.25, 2, 0.1],
    ];
    for (const [id, w5, w1, r] of cols) {
      const p = book.price(id)!;
      assert.deepEqual([p.cacheWrite5m, p.cacheWrite1h, p.cacheRead], [w5, w1, r], id);
    }
  });

  it('follows the multipliers: 5m write 1.25x, 1h write 2x, read 0.1x input, except the listed models', () => {
    for (const [id, p] of Object.entries(MODEL_PRICES)) {
      close(p.cacheWrite5m, p.input * 1.25, `${id} 5m write`);
      close(p.cacheWrite1h, p.input * 2, `${id} 1h write`);
      close(p.cacheRead, p.input * (READ_MULTIPLIER_EXCEPTIONS[id] ?? 0.1), `${id} read`);
    }
  });

  it('prices cache reads on Fable 5.1 at 0.025x and on Sonnet 5.5 / Opus 5.5 at 0.05x; Fable 5.2 and Sonnet 5 at 0.1x', () => {
    assert.equal(book.price('claude-fable-5-1')!.cacheRead, 0.25);
    assert.equal(book.price('claude-sonnet-5-5')!.cacheRead, 0.1);
    assert.equal(book.price('claude-opus-5-5')!.cacheRead, 0.2);
    assert.equal(book.price('claude-fable-5-2')!.cacheRead, 0.8);
    assert.equal(book.price('claude-sonnet-5')!.cacheRead, 0.2);
    assert.equal(READ_MULTIPLIER_EXCEPTIONS['claude-mythos-5-1'], 0.025);
  });

  it('maps snapshot, Bedrock and Vertex ids to the alias', () => {
    for (const [snap, alias] of Object.entries(MODEL_ALIASES)) assert.equal(book.canonical(snap), alias, snap);
    assert.equal(book.canonical('claude-sonnet-4-5-20250929'), 'claude-sonnet-4-5');
    assert.equal(book.canonical('claude-opus-4-20250514'), 'claude-opus-4-0');
    assert.equal(book.canonical('us.anthropic.claude-sonnet-4-5-20250929-v1:0'), 'claude-sonnet-4-5');
    assert.equal(book.canonical('claude-haiku-4-5@20251001'), 'claude-haiku-4-5');
    assert.equal(book.canonical('Claude-Sonnet-5-5'), 'claude-sonnet-5-5');
    assert.equal(book.canonical('claude-sonnet-5-5-20261001'), 'claude-sonnet-5-5', 'a future snapshot of a known alias');
  });

  it('has no price for a model the spec does not price', () => {
    for (const id of ['claude-mythos-5-1', 'claude-mythos-5-2', 'claude-mythos-preview', 'gpt-4o', 'claude-sonnet-9', '']) {
      assert.equal(book.price(id), undefined, id);
      assert.equal(book.canonical(id), undefined, id);
    }
  });
});

describe('usage: the claudeChat.prices override', () => {
  it('merges a partial override over a known model; cache prices follow a new input price', () => {
    const { book, problems } = PriceBook.withOverrides({ 'claude-sonnet-5-5': { input: 3 }, 'claude-haiku-4-5': { output: 6 } });
    assert.deepEqual(problems, []);
    const s = book.price('claude-sonnet-5-5')!;
    assert.equal(s.input, 3);
    assert.equal(s.output, 10, 'output kept');
    close(s.cacheWrite5m, 3.75, '5m');
    close(s.cacheWrite1h, 6, '1h');
    close(s.cacheRead, 0.15, 'read keeps Sonnet 5.5\'s 0.05x');
    assert.equal(s.contextWindow, 1e6);
    assert.deepEqual(book.price('claude-haiku-4-5'), { ...MODEL_PRICES['claude-haiku-4-5'], output: 6 });
    assert.equal(PriceBook.builtIn().price('claude-sonnet-5-5')!.input, 2, 'the built-in table is not mutated');
  });

  it('adds a new model, derives its cache prices, and applies an override given by snapshot id to the alias', () => {
    const { book, problems } = PriceBook.withOverrides({
      'my-gateway-model': { input: 4, output: 12, contextWindow: 300000 },
      'claude-mythos-5-1': { input: 10, output: 50 },
      'claude-sonnet-4-5-20250929': { cacheRead: 0.25 },
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(book.price('my-gateway-model'), { input: 4, output: 12, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.4, contextWindow: 300000 });
    assert.equal(book.price('claude-mythos-5-1')!.cacheRead, 0.25, 'Mythos 5.1 reads at 0.025x');
    assert.equal(book.price('claude-sonnet-4-5')!.cacheRead, 0.25);
  });

  it('rejects bad entries with a reason and keeps the good ones', () => {
    const { book, problems } = PriceBook.withOverrides({
      good: { input: 1, output: 2 },
      'claude-opus-5': { input: '5' },
      negative: { input: -1, output: 2 },
      typo: { inptu: 1, output: 2 },
      half: { input: 1 },
      notObject: 3,
      ctx: { input: 1, output: 1, contextWindow: 1.5 },
    });
    assert.equal(book.price('good')!.input, 1);
    assert.equal(book.price('claude-opus-5')!.input, 5, 'the bad override did not replace the built-in price');
    for (const id of ['negative', 'typo', 'half', 'notObject', 'ctx']) assert.equal(book.price(id), undefined, id);
    assert.equal(problems.length, 6);
    assert.match(problems.join('\n'), /claudeChat\.prices\["claude-opus-5"\]: "input" must be a number >= 0 .*got "5"/);
    assert.match(problems.join('\n'), /\["typo"\]: unknown field "inptu"/);
    assert.match(problems.join('\n'), /\["half"\]: .*needs both "input" and "output"/);
    assert.match(problems.join('\n'), /\["ctx"\]: "contextWindow" must be a whole number/);
  });

  it('ignores a setting that is not an object, and says so', () => {
    for (const raw of [[], 'x', 5]) {
      const { book, problems } = PriceBook.withOverrides(raw);
      assert.equal(problems.length, 1);
      assert.equal(book.price('claude-sonnet-5-5')!.input, 2);
    }
    assert.deepEqual(PriceBook.withOverrides(undefined).problems, []);
    assert.deepEqual(PriceBook.withOverrides({}).problems, []);
  });
});
