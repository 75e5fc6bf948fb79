// Web searches priced per 1,000 (status bar, tooltip, report) and a first cache write shown as an investment with its
// break-even instead of a negative "saved by caching"; the cache doctor's misses summed by reason in the tooltip.
import * as assert from 'node:assert/strict';
import { costOf, readsToBreakEven } from '../../../src/core/usage/cost';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { buildReport } from '../../../src/core/usage/reportData';
import { statusText, tooltipMarkdown } from '../../../src/core/usage/summary';
import { UsageTracker } from '../../../src/core/usage/tracker';
import { usageFromApi } from '../../../src/shared/usage';
import { rec } from './helpers';

describe('usage: web searches and first cache writes', () => {
  it('reads usage.server_tool_use and prices searches at $10 per 1,000 (overridable per model)', () => {
    const r = usageFromApi({ input_tokens: 100, output_tokens: 10, server_tool_use: { web_search_requests: 3, web_fetch_requests: 1 } }, { model: 'claude-sonnet-5-5', batch: false, at: 0, kind: 'chat' });
    assert.deepEqual([r.webSearchRequests, r.webFetchRequests], [3, 1]);
    const c = costOf(r.model, r, false, PriceBook.builtIn())!;
    assert.ok(Math.abs(c.webSearch - 0.03) < 1e-12);
    assert.ok(Math.abs(c.total - (0.03 + (100 * 2 + 10 * 10) / 1e6)) < 1e-12);
    const { book, problems } = PriceBook.withOverrides({ 'claude-sonnet-5-5': { webSearchPer1000: 5 } });
    assert.deepEqual(problems, []);
    assert.ok(Math.abs(costOf(r.model, r, false, book)!.webSearch - 0.015) < 1e-12);
  });

  it('the status bar and tooltip count the session\'s searches and their cost; the report has them per day', () => {
    const t = new UsageTracker(PriceBook.builtIn());
    t.record(rec({ inputTokens: 1000, outputTokens: 100, webSearchRequests: 2 }));
    assert.equal(statusText(t), '$0.023 · 1.1k tok · 0% cached');
    assert.match(tooltipMarkdown(t), /Web searches: \*\*2\*\* \(\$0\.02, billed per 1,000\)/);
    const data = buildReport([{ day: '2026-11-22', workspace: 'w', model: 'claude-sonnet-5-5', batch: false, requests: 1, inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, webSearchRequests: 2 }], t, { now: Date.UTC(2026, 10, 22, 12), workspace: 'w', problems: [] });
    assert.ok(Math.abs(data.days.at(-1)!.tools - 0.02) < 1e-12);
    assert.equal(data.session.webSearches, 2);
  });

  it('one short message: the first cache write is an investment repaid by the next read, not a negative saving', () => {
    const t = new UsageTracker(PriceBook.builtIn());
    // The case: tools + system written (Sonnet 5.5: write $2.50/M vs input $2/M), nothing read yet.
    t.record(rec({ inputTokens: 12, cacheWrite5mTokens: 1460, outputTokens: 20 }));
    assert.ok(t.savings() < 0);
    const inv = t.cacheInvestment()!;
    assert.ok(Math.abs(inv.invested - 1460 * 0.5 / 1e6) < 1e-12);
    assert.equal(inv.reads, 1, 'one read saves 1460 x (2 - 0.1): more than the 1460 x 0.5 premium');
    const tip = tooltipMarkdown(t);
    assert.doesNotMatch(tip, /Saved by caching: \*\*-/);
    assert.match(tip, /Cache writes: \*\*\$0\.00073\*\* invested, repaid after the next read of the cached prefix/);
    const data = buildReport([], t, { now: Date.UTC(2026, 10, 22, 12), workspace: 'w', problems: [] });
    assert.deepEqual(data.session.investment, { invested: inv.invested, reads: 1 });
    // The next read repays it: back to "saved".
    t.record(rec({ inputTokens: 15, cacheReadTokens: 1460, outputTokens: 20 }));
    assert.equal(t.cacheInvestment(), undefined);
    assert.match(tooltipMarkdown(t), /Saved by caching: \*\*\$0\.002/);
    // 1-hour writes (2x input) take two reads.
    const h = new UsageTracker(PriceBook.builtIn());
    h.record(rec({ cacheWrite1hTokens: 10_000 }));
    assert.equal(h.cacheInvestment()?.reads, 2);
    assert.equal(readsToBreakEven(0, 1), undefined);
  });

  it('sums the cache doctor\'s misses by reason with their cost in the tooltip', () => {
    const t = new UsageTracker(PriceBook.builtIn());
    t.record(rec({ inputTokens: 10, outputTokens: 5 }));
    t.cacheMiss({ model: 'claude-sonnet-5-5', reason: 'context', missedTokens: 10_000, at: 0 });
    t.cacheMiss({ model: 'claude-sonnet-5-5', reason: 'context', missedTokens: 5_000, at: 0 });
    t.cacheMiss({ model: 'claude-sonnet-5-5', reason: 'expired', missedTokens: 1_000, at: 0 });
    assert.deepEqual(t.missesByReason().map((m) => [m.reason, m.count, m.tokens]), [['context', 2, 15_000], ['expired', 1, 1_000]]);
    assert.match(tooltipMarkdown(t), /Cache misses: 2 × attached file edited \(15,000 tok, ~\$0\.028\); 1 × entry expired \(idle longer than the TTL\) \(1,000 tok, ~\$0\.0019\)/);
  });
});
