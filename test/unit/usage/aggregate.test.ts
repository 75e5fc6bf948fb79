import * as assert from 'node:assert/strict';
import { byModel, byWorkspace, dailySpend, lastDays } from '../../../src/core/usage/aggregate';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { buildReport } from '../../../src/core/usage/reportData';
import type { UsageRow } from '../../../src/core/usage/store';
import { UsageTracker } from '../../../src/core/usage/tracker';
import { rec } from './helpers';

const NOW = new Date(2026, 10, 22, 15).getTime(); // Nov 22, local time
const book = PriceBook.builtIn();

function row(p: Partial<UsageRow>): UsageRow {
  return {
    day: '2026-11-22', workspace: 'proj', model: 'claude-sonnet-4-5', batch: false, requests: 1,
    inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, ...p,
  };
}

// Sonnet 4.5 ($3 / $15 / $3.75 / $6 / $0.30) and Haiku 4.5 ($1 / $5 / ...), hand-computed per row.
const rows: UsageRow[] = [
  row({ inputTokens: 100_000, outputTokens: 10_000, cacheReadTokens: 1_000_000 }), // in 0.30, out 0.15, cache 0.30
  row({ inputTokens: 100_000, batch: true, requests: 4 }), // in 0.15
  row({ model: 'claude-sonnet-4-5-20250929', cacheWrite5mTokens: 100_000, cacheWrite1hTokens: 100_000, workspace: 'other' }), // cache 0.375 + 0.6
  row({ day: '2026-11-20', model: 'claude-haiku-4-5', outputTokens: 200_000 }), // out 1.00
  row({ day: '2026-10-24', inputTokens: 1_000_000 }), // 29 days back: in the window, in 3.00
  row({ day: '2026-10-23', inputTokens: 1_000_000 }), // 30 days back: outside
  row({ day: '2026-11-21', model: 'claude-mythos-5-2', inputTokens: 500 }), // no price
];

const near = (a: number | undefined, b: number, what: string) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);

describe('usage: aggregation for the report', () => {
  it('lists the last 30 local days, oldest first, across a month boundary', () => {
    const days = lastDays(NOW, 30);
    assert.equal(days.length, 30);
    assert.equal(days[0], '2026-10-24');
    assert.equal(days[29], '2026-11-22');
    assert.equal(new Set(days).size, 30);
  });

  it('sums spend per day split into input / cache / output, with unpriced tokens apart', () => {
    const d = dailySpend(rows, book, NOW);
    assert.equal(d.length, 30);
    const today = d[29];
    near(today.input, 0.45, 'input');
    near(today.cache, 0.3 + 0.375 + 0.6, 'cache');
    near(today.output, 0.15, 'output');
    near(today.total, 0.45 + 1.275 + 0.15, 'total');
    assert.equal(today.tokens, 1_110_000 + 100_000 + 200_000);
    near(d[27].output, 1, 'Nov 20');
    assert.equal(d[28].total, 0);
    assert.equal(d[28].unknownTokens, 500);
    near(d[0].input, 3, 'Oct 24, the oldest day in the window');
    near(d.reduce((a, x) => a + x.total, 0), 1.875 + 1 + 3, 'nothing from Oct 23');
  });

  it('sums per model (snapshot ids under their alias) with cost and savings; unknown models have no cost', () => {
    const m = byModel(rows.filter((r) => r.day >= '2026-10-24'), book);
    assert.deepEqual(m.map((x) => x.model), ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-mythos-5-2']);
    const s = m[0];
    assert.equal(s.requests, 7);
    assert.deepEqual(s.tokens, { inputTokens: 1_200_000, outputTokens: 10_000, cacheReadTokens: 1_000_000, cacheWrite5mTokens: 100_000, cacheWrite1hTokens: 100_000 });
    near(s.cost, 1.875 + 3, 'sonnet cost');
    // Savings: reads 1M * (3 - 0.3) = 2.70; writes 100k * (3 - 3.75) + 100k * (3 - 6) = -0.375.
    near(s.savings, 2.7 - 0.375, 'sonnet savings');
    assert.equal(m[2].cost, undefined);
    assert.equal(m[2].savings, undefined);
  });

  it('sums per workspace', () => {
    const w = byWorkspace(rows, book);
    assert.deepEqual(w.map((x) => [x.workspace, x.requests]), [['proj', 9], ['other', 1]]);
    near(w[0].cost.known, 0.75 + 0.15 + 1 + 3 + 3, 'proj (all rows given)');
    assert.deepEqual(w[0].cost.unknownModels, ['claude-mythos-5-2']);
  });

  it('builds the report: 30-day period, session figures and the empty state', () => {
    const t = new UsageTracker(book);
    const empty = buildReport([], t, { now: NOW, workspace: 'proj', problems: [] });
    assert.equal(empty.empty, true);
    t.record(rec({ model: 'claude-sonnet-4-5', cacheReadTokens: 1_000_000 }));
    const r = buildReport(rows, t, { now: NOW, workspace: 'proj', problems: ['p'] });
    assert.equal(r.empty, false);
    near(r.period.cost.known, 1.875 + 1 + 3, 'period');
    assert.equal(r.period.requests, 9, 'Oct 23 is outside the 30 days');
    near(r.session.savings, 2.7, 'session savings');
    assert.equal(r.session.responses, 1);
    assert.deepEqual(r.problems, ['p']);
    assert.equal(JSON.stringify(JSON.parse(JSON.stringify(r))), JSON.stringify(r), 'plain JSON');
  });
});
