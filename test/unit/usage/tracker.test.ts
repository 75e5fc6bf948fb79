import * as assert from 'node:assert/strict';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { statusText, tooltipMarkdown, warnings } from '../../../src/core/usage/summary';
import { UsageTracker } from '../../../src/core/usage/tracker';
import { rec } from './helpers';

describe('usage: session tracker', () => {
  it('sums a session with a tool round, a retry and a cancelled stream to the token', () => {
    const t = new UsageTracker(PriceBook.builtIn());
    const events: boolean[] = [];
    t.onDidChange((e) => events.push(e.live));
    // 1. A chat turn that writes the cache.
    t.record(rec({ inputTokens: 20, cacheWrite5mTokens: 3_000, outputTokens: 150 }));
    // 2. The same turn's tool round reads it.
    t.record(rec({ kind: 'tool', inputTokens: 40, cacheReadTokens: 3_000, cacheWrite5mTokens: 200, outputTokens: 80 }));
    // 3. A retry: the 529 has no usage; only the successful attempt is recorded.
    t.record(rec({ inputTokens: 30, cacheReadTokens: 3_200, cacheWrite1hTokens: 64, outputTokens: 60 }));
    // 4. A stream the user stopped: live estimates, then the exact usage replaces them.
    t.streaming('c1', 50);
    t.streaming('c1', 120.4);
    assert.deepEqual(t.live, { conversationId: 'c1', outputTokens: 120 });
    assert.equal(statusText(t), '$(sync~spin) 120 tok');
    assert.equal(t.totals().outputTokens, 290, 'the estimate is not in the totals');
    t.record(rec({ inputTokens: 12, cacheReadTokens: 3_264, outputTokens: 97 }));
    assert.equal(t.live, undefined, 'the exact record replaced the estimate');
    t.streamEnded();

    assert.deepEqual(t.totals(), { inputTokens: 102, outputTokens: 387, cacheReadTokens: 9_464, cacheWrite5mTokens: 3_200, cacheWrite1hTokens: 64 });
    assert.equal(t.lines.length, 4);
    assert.deepEqual(events, [false, false, false, true, true, false]);
    // Sonnet 5.5: $2 in, $10 out, $2.50 5m write, $4 1h write, $0.10 read, by hand:
    // 102*2 + 387*10 + 3200*2.5 + 64*4 + 9464*0.1 = 204 + 3870 + 8000 + 256 + 946.4 = 13276.4 micro-dollars.
    assert.ok(Math.abs(t.cost().known - 0.0132764) < 1e-12, String(t.cost().known));
    assert.equal(t.hitShare(), 9_464 / (102 + 9_464 + 3_264));
    assert.equal(statusText(t), '$0.013 · 13.2k tok · 74% cached');
  });

  it('a stream that ends without usage leaves the totals untouched', () => {
    const t = new UsageTracker(PriceBook.builtIn());
    t.record(rec({ inputTokens: 10, outputTokens: 5 }));
    t.streaming('c1', 400);
    t.streamEnded();
    assert.equal(t.live, undefined);
    assert.deepEqual(t.totals(), { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 });
  });

  it('shows tokens and "cost unknown" for a model without a price; re-prices when the setting adds it', () => {
    const t = new UsageTracker(PriceBook.builtIn());
    t.record(rec({ model: 'claude-mythos-5-2', inputTokens: 1_000, outputTokens: 1_000 }));
    assert.equal(statusText(t), 'cost unknown · 2k tok · 0% cached');
    assert.match(tooltipMarkdown(t), /No price for claude-mythos-5-2: cost unknown/);
    t.record(rec({ inputTokens: 1_000_000 }));
    assert.equal(statusText(t), '$2.00 + unknown · 1M tok · 0% cached');
    t.setPrices(PriceBook.withOverrides({ 'claude-mythos-5-2': { input: 10, output: 50 } }).book);
    assert.equal(statusText(t), '$2.06 · 1M tok · 0% cached');
  });

  it('reports context-window use from setContext, else from the newest response; warns past 80%', () => {
    const t = new UsageTracker(PriceBook.builtIn());
    t.record(rec({ model: 'claude-haiku-4-5', inputTokens: 100, cacheReadTokens: 150_000, outputTokens: 900 }));
    assert.deepEqual(t.context(), { model: 'claude-haiku-4-5', promptTokens: 151_000, estimate: undefined, contextWindow: 200_000, share: 0.755 });
    assert.deepEqual(warnings(t, undefined), []);
    t.setContext({ model: 'claude-haiku-4-5', promptTokens: 170_000, estimate: 171_000 });
    assert.equal(t.context()!.share, 0.85);
    assert.deepEqual(warnings(t, undefined), ["The conversation uses 85% of claude-haiku-4-5's context window."]);
    const tip = tooltipMarkdown(t);
    assert.match(tip, /Context: 170,000 tokens of 200,000 \(85%\)/);
    assert.match(tip, /Next request \(estimate\): ~171,000 input tokens · at most \$0\.171 uncached/);
    t.setContext({ model: 'my-model', promptTokens: 10, contextWindow: 100 });
    assert.equal(t.context()!.share, 0.1, 'an explicit window wins');
  });

  it('warns when the session cost passes the spend guard', () => {
    const t = new UsageTracker(PriceBook.builtIn());
    t.record(rec({ outputTokens: 100_000 })); // $1.00 on Sonnet 5.5
    assert.deepEqual(warnings(t, 1), [], 'at the limit is not past it');
    assert.deepEqual(warnings(t, 0), [], '0 = off');
    assert.match(warnings(t, 0.5)[0], /Session spend \$1\.00 passed the \$0\.50 limit/);
  });

  it('puts one tooltip line per response and a session line, and escapes Markdown in model ids', () => {
    const t = new UsageTracker(PriceBook.builtIn());
    t.record(rec({ inputTokens: 1_234, cacheWrite5mTokens: 2_048, outputTokens: 321 }));
    t.record(rec({ model: 'evil|model*', kind: 'tool', inputTokens: 5, exact: false }));
    const tip = tooltipMarkdown(t);
    assert.match(tip, /\| 1 \| sonnet-5-5 \| 1,234 \| 2,048 \| 0 \| 0 \| 321 \| \$0\.011 \|/);
    assert.match(tip, /\| 2 \| evil\\\|model\\\* tool ≈ \| 5 \| 0 \| 0 \| 0 \| 0 \| cost unknown \|/);
    assert.match(tip, /\*\*Session\*\* \| \*\*1,239\*\* \| \*\*2,048\*\*/);
    assert.match(tip, /Cache hit share: \*\*0%\*\*/);
    assert.match(tip, /\[Show usage report\]\(command:claudeChat\.showUsage\)/);
    for (let i = 0; i < 12; i++) t.record(rec({ inputTokens: 1 }));
    assert.match(tooltipMarkdown(t), /\| … \| 4 earlier \|/);
  });
});
