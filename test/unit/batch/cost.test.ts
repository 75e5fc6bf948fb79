// Batch prices: the estimate before submitting and the cost of what the fake API reported, both at 50%,
// checked to the cent against figures worked out by hand from the price list (spec §10).
import * as assert from 'node:assert/strict';
import { describeEstimate, estimateBatch } from '../../../src/core/batch/estimate';
import { planAndSubmit, runToEnd } from '../../../src/core/batch/job';
import { PendingStore } from '../../../src/core/batch/pendingStore';
import { planBatch } from '../../../src/core/batch/plan';
import { batchCost } from '../../../src/core/batch/report';
import { pollSchedule } from '../../../src/core/batch/schedule';
import { recordCost } from '../../../src/core/usage/cost';
import { formatCostSum } from '../../../src/shared/format';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { reply } from '../../fake-api/server';
import { ApiClock, client, files, tempDir, useFakeApi } from './helpers';

// Claude Opus 4.8: $5 input / $25 output per million tokens; at the batch price $2.50 / $12.50.
const OPUS = 'claude-opus-4-8';
// Five files of 392,000 characters: 98,000 tokens each by characters / 4, 490,000 in all.
const BIG = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`big${i}.txt`, 'a'.repeat(392_000)]));

describe('batch: cost at the batch price (50%)', () => {
  const api = useFakeApi();
  const book = PriceBook.builtIn();

  it('the estimate: 490,000 file tokens at $2.50/MTok is $1.225, plus the shared prompt: "$1.23"', () => {
    const r = planBatch({ files: files(BIG), maxFileKB: 1024, instruction: 'Explain this file.', model: OPUS, maxTokens: 2000, book });
    assert.ok(r.ok);
    const e = r.plan.estimate;
    // Each request adds the system block, the <document> wrapper and the instruction: a few hundred tokens.
    assert.ok(e.inputTokens > 490_000 && e.inputTokens < 491_000, String(e.inputTokens));
    assert.equal(e.files, 5);
    assert.equal(Math.round(e.inputCost! * 100) / 100, 1.23);
    assert.ok(Math.abs(e.inputCost! - (e.inputTokens * 2.5) / 1e6) < 1e-12, 'exactly half of $5/MTok');
    assert.equal(e.outputPerMTok, 12.5);
    assert.match(describeEstimate(e), /^5 files · about 491k input tokens · about \$1\.23 for the input at the batch price \(50%\)$/);
  });

  it('an unknown model: tokens shown, cost unknown (never guessed)', () => {
    const r = planBatch({ files: files({ 'a.ts': 'x'.repeat(4000) }), maxFileKB: 256, instruction: 'Explain.', model: 'my-gateway-model', maxTokens: 100, book });
    assert.ok(r.ok);
    assert.equal(r.plan.estimate.inputCost, undefined);
    assert.match(describeEstimate(r.plan.estimate), /^1 file · about 1,\d{3} input tokens · cost unknown$/);
  });

  it('what the fake billed: 490,000+ input and 5,000 output tokens = $1.29 at the batch price ($2.58 standard)', async () => {
    const dir = tempDir('claude-batch-cost-');
    try {
      const c = await client(api());
      const out = await planAndSubmit(
        c.messages.batches,
        { files: files(BIG), maxFileKB: 1024, instruction: 'Explain this file.', model: OPUS, maxTokens: 2000, book },
        { baseURL: api().url, workspace: 'ws' },
        {
          store: new PendingStore(dir.path),
          now: () => api().clock.now(),
          // Each answer is 4,000 characters: 1,000 output tokens.
          confirm: async (plan) => {
            for (const id of Object.keys(plan.files)) api().batches.setOutcome(id, { type: 'succeeded', reply: reply.text('b'.repeat(4000)) });
            return true;
          },
        },
      );
      assert.equal(out.kind, 'submitted');
      if (out.kind !== 'submitted') return;
      const done = await runToEnd(c.messages.batches, out.pending, { clock: new ApiClock(api()), book, schedule: pollSchedule({ everyMs: 60_000 }) });
      const usage = done.results.usage;
      assert.equal(usage.length, 5);
      for (const u of usage) {
        assert.equal(u.outputTokens, 1000);
        assert.ok(u.inputTokens > 98_000 && u.inputTokens < 98_200, String(u.inputTokens));
        assert.equal(u.batch, true);
      }
      // By hand: input 490,000 × $2.50/M = $1.225; output 5,000 × $12.50/M = $0.0625; total $1.2875 plus under
      // 1,000 prompt tokens of wrapper (< $0.0025): $1.29. At the standard price twice that: $2.575 + < $0.005 = $2.58.
      const cost = batchCost(usage, book);
      assert.equal(cost.tokens.outputTokens, 5000);
      assert.equal(formatCostSum(cost.batch), '$1.29');
      assert.equal(formatCostSum(cost.standard), '$2.58');
      assert.ok(Math.abs(cost.batch.known * 2 - cost.standard.known) < 1e-12, 'exactly 50%');
      // The usage service prices each record the same way (batch: true).
      const viaRecords = usage.reduce((s, u) => s + recordCost(u, book)!.total, 0);
      assert.ok(Math.abs(viaRecords - cost.batch.known) < 1e-12);
      assert.match(done.markdown, /\*\*Cost:\*\* \$1\.29 at the batch price \(\$2\.58 at the standard price\)/);
    } finally {
      dir.dispose();
    }
  });

  it('a price override in the setting applies to the batch estimate, still halved', () => {
    const { book: custom } = PriceBook.withOverrides({ 'my-gateway-model': { input: 10, output: 30 } });
    const e = estimateBatch(
      [{ custom_id: 'a', params: { model: 'my-gateway-model', max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(400_000) }] } }],
      'my-gateway-model',
      custom,
    );
    assert.equal(e.inputTokens, 100_000);
    assert.equal(e.inputCost, 0.5); // 100,000 × $10/M × 50%
  });
});
