import * as assert from 'node:assert/strict';
import { cacheHitShare, cacheSavings, costOf, recordCost, Tokens } from '../../../src/core/usage/cost';
import { formatCostSum, formatPercent, formatShare, formatTokens, formatUsd } from '../../../src/shared/format';
import { PriceBook } from '../../../src/core/usage/priceBook';
import type { UsageRecord } from '../../../src/shared/usage';

const book = PriceBook.builtIn();
const near = (a: number | undefined, b: number, what: string) => {
  assert.ok(a !== undefined, `${what}: cost is known`);
  assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);
  assert.equal(a.toFixed(2), b.toFixed(2), `${what} to the cent`);
};
const tok = (t: Partial<Tokens>): Tokens => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, ...t });

describe('usage: cost to the cent, per price class, against hand-computed values', () => {
  // Each row: model, tokens of one class, batch, dollars worked out by hand from the spec's $/MTok.
  const cases: [string, Partial<Tokens>, boolean, number][] = [
    // Claude Sonnet 4.5: $3 in, $15 out, $3.75 5m write, $6 1h write, $0.30 read.
    ['claude-sonnet-4-5', { inputTokens: 1_234 }, false, 0.003702],
    ['claude-sonnet-4-5', { outputTokens: 789 }, false, 0.011835],
    ['claude-sonnet-4-5', { cacheWrite5mTokens: 10_000 }, false, 0.0375],
    ['claude-sonnet-4-5', { cacheWrite1hTokens: 2_000 }, false, 0.012],
    ['claude-sonnet-4-5', { cacheReadTokens: 50_000 }, false, 0.015],
    // Claude Opus 4.1: $15 / $75 / $18.75 / $30 / $1.50.
    ['claude-opus-4-1', { inputTokens: 100_000 }, false, 1.5],
    ['claude-opus-4-1', { outputTokens: 20_000 }, false, 1.5],
    ['claude-opus-4-1', { cacheWrite5mTokens: 40_000 }, false, 0.75],
    ['claude-opus-4-1', { cacheWrite1hTokens: 10_000 }, false, 0.3],
    ['claude-opus-4-1', { cacheReadTokens: 200_000 }, false, 0.3],
    // Claude Haiku 4.5: $1 / $5 / $1.25 / $2 / $0.10, a million tokens each.
    ['claude-haiku-4-5', { inputTokens: 1e6 }, false, 1],
    ['claude-haiku-4-5', { outputTokens: 1e6 }, false, 5],
    ['claude-haiku-4-5', { cacheWrite5mTokens: 1e6 }, false, 1.25],
    ['claude-haiku-4-5', { cacheWrite1hTokens: 1e6 }, false, 2],
    ['claude-haiku-4-5', { cacheReadTokens: 1e6 }, false, 0.1],
    // Batch: 50% of every class.
    ['claude-haiku-4-5', { inputTokens: 1e6 }, true, 0.5],
    ['claude-haiku-4-5', { outputTokens: 1e6 }, true, 2.5],
    ['claude-haiku-4-5', { cacheWrite5mTokens: 1e6 }, true, 0.625],
    ['claude-haiku-4-5', { cacheWrite1hTokens: 1e6 }, true, 1],
    ['claude-haiku-4-5', { cacheReadTokens: 1e6 }, true, 0.05],
    ['claude-opus-4-1', { inputTokens: 100_000, outputTokens: 20_000 }, true, 1.5],
    // Per-model cache-read exceptions (§6.7): Fable 5.1 0.025x of $10, Sonnet 5.5 0.05x of $2, Opus 5.5 0.05x of $4.
    ['claude-fable-5-1', { cacheReadTokens: 4_000_000 }, false, 1],
    ['claude-sonnet-5-5', { cacheReadTokens: 3_000_000 }, false, 0.3],
    ['claude-opus-5-5', { cacheReadTokens: 2_500_000 }, false, 0.5],
    ['claude-fable-5-2', { cacheReadTokens: 2_500_000 }, false, 2],
    // Haiku 5.5's base band: $0.10 / $0.50.
    ['claude-haiku-5-5', { inputTokens: 2e6, outputTokens: 3e6 }, false, 1.7],
  ];
  for (const [model, t, batch, usd] of cases) {
    it(`${model} ${Object.entries(t).map(([k, v]) => `${v} ${k}`).join(' + ')}${batch ? ' (batch)' : ''} = $${usd}`, () => {
      near(costOf(model, tok(t), batch, book)?.total, usd, model);
    });
  }

  it('adds the classes of one response: Sonnet 4.5, all five at once, standard and batch', () => {
    const t = tok({ inputTokens: 1_234, outputTokens: 789, cacheWrite5mTokens: 10_000, cacheWrite1hTokens: 2_000, cacheReadTokens: 50_000 });
    const c = costOf('claude-sonnet-4-5-20250929', t, false, book)!;
    near(c.total, 0.080037, 'total');
    near(c.input + c.output + c.cacheWrite5m + c.cacheWrite1h + c.cacheRead, 0.080037, 'parts');
    near(costOf('claude-sonnet-4-5', t, true, book)?.total, 0.0400185, 'batch');
  });

  it('prices a UsageRecord with its own batch flag', () => {
    const r: UsageRecord = { model: 'claude-haiku-4-5', ...tok({ inputTokens: 1e6 }), batch: true, at: 0, kind: 'batch', exact: true };
    near(recordCost(r, book)?.total, 0.5, 'batch record');
  });

  it('gives no cost for an unknown model, shown as "cost unknown"', () => {
    assert.equal(costOf('claude-mythos-5-2', tok({ inputTokens: 1000 }), false, book), undefined);
    assert.equal(cacheSavings('claude-mythos-5-2', tok({ cacheReadTokens: 1000 }), false, book), undefined);
    assert.equal(formatUsd(undefined), 'cost unknown');
    assert.equal(formatCostSum({ known: 0, unknownTokens: 500, unknownModels: ['x'] }), 'cost unknown');
    assert.equal(formatCostSum({ known: 0.042, unknownTokens: 500, unknownModels: ['x'] }), '$0.042 + unknown');
  });

  it('computes cache savings as the uncached price of the same tokens minus the actual cost', () => {
    // Sonnet 4.5: 100k read + 1k input + 500 out. Uncached: 101k * $3 + 500 * $15 = 0.303 + 0.0075; actual 0.03 + 0.003 + 0.0075.
    near(cacheSavings('claude-sonnet-4-5', tok({ cacheReadTokens: 100_000, inputTokens: 1000, outputTokens: 500 }), false, book), 0.27, 'read saves');
    // A 5m write costs 0.25x more than input: 10k written = -$0.0075.
    near(cacheSavings('claude-sonnet-4-5', tok({ cacheWrite5mTokens: 10_000 }), false, book), -0.0075, 'write costs');
    near(cacheSavings('claude-sonnet-4-5', tok({ cacheReadTokens: 100_000 }), true, book), 0.135, 'batch halves savings');
  });

  it('cache hit share = read / (input + read + writes)', () => {
    assert.equal(cacheHitShare(tok({ inputTokens: 50, cacheReadTokens: 910, cacheWrite5mTokens: 30, cacheWrite1hTokens: 10 })), 0.91);
    assert.equal(cacheHitShare(tok({ outputTokens: 10 })), undefined);
  });
});

describe('usage: formatting', () => {
  it('formats dollars, rounding only for display', () => {
    assert.equal(formatUsd(0.042), '$0.042');
    assert.equal(formatUsd(0.0421999), '$0.042');
    assert.equal(formatUsd(0.0031), '$0.0031');
    assert.equal(formatUsd(0.5), '$0.50');
    assert.equal(formatUsd(0.005), '$0.005');
    assert.equal(formatUsd(0.12), '$0.12');
    assert.equal(formatUsd(0.00042), '$0.00042');
    assert.equal(formatUsd(12.345), '$12.35');
    assert.equal(formatUsd(1204.4), '$1,204');
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(-0.0075), '-$0.0075');
    assert.equal(formatUsd(1e-9), '<$0.000001');
  });

  it('formats token counts and shares', () => {
    assert.equal(formatTokens(123), '123');
    assert.equal(formatTokens(18_204), '18.2k');
    assert.equal(formatTokens(18_000), '18k');
    assert.equal(formatTokens(999_960), '1M');
    assert.equal(formatTokens(1_250_000), '1.25M');
    assert.equal(formatTokens(12_345_678), '12.3M');
    assert.equal(formatShare(0.912), '91% cached');
    assert.equal(formatShare(undefined), undefined);
    assert.equal(formatPercent(0.004), '<1%');
    assert.equal(formatPercent(0.999), '>99%');
    assert.equal(formatPercent(1), '100%');
  });
});
