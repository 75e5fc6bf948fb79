// The usage log's rollups per month: a fold reads and rewrites only the months its new lines touch, an older
// single snapshot is split into months once, and neither a crash mid-fold nor two windows folding at once loses a
// count or counts one twice. The report shows the same figures as the rows that went in.
import * as assert from 'node:assert/strict';
import { promises as fsp, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageRecord } from '../../../src/shared/usage';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { buildReport } from '../../../src/core/usage/reportData';
import { localDay, USAGE_DIR, UsageStore, type UsageRow } from '../../../src/core/usage/store';
import { UsageTracker } from '../../../src/core/usage/tracker';
import { rec } from './helpers';

const NOON = new Date(2026, 10, 22, 12).getTime();
const DAY = 86_400_000;
const COUNTS = ['requests', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWrite5mTokens', 'cacheWrite1hTokens', 'webSearchRequests'] as const;

/** The rollups, or the part files (of one month), in the folder; not temp files. */
const files = (dir: string, prefix: string) => readdirSync(join(dir, USAGE_DIR)).filter((n) => n.startsWith(prefix) && /-[0-9a-f]{8}\.json$|^rollup-\d{12}\.json$|^snapshot-\d{12}\.json$/.test(n)).sort();
const rollupOf = (dir: string) => JSON.parse(readFileSync(join(dir, USAGE_DIR, files(dir, 'rollup-').at(-1)!), 'utf8')) as { seq: number; parts: Record<string, string> };

/** Sums per day, workspace, model, batch and caller, in a form that compares whatever the row order. */
function sums(rows: readonly UsageRow[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const r of rows) {
    const k = JSON.stringify([r.day, r.workspace, r.model, r.batch, r.caller ?? null]);
    const have = out[k] ?? COUNTS.map(() => 0);
    COUNTS.forEach((f, i) => (have[i] += r[f] ?? 0));
    out[k] = have;
  }
  return out;
}

/** The rows the records make, summed by hand (what the store must show). */
function expected(records: { r: UsageRecord; ws: string }[]): UsageRow[] {
  return records.map(({ r, ws }) => ({
    day: localDay(r.at), workspace: ws, model: r.model, batch: r.batch, requests: 1, inputTokens: r.inputTokens, outputTokens: r.outputTokens,
    cacheReadTokens: r.cacheReadTokens, cacheWrite5mTokens: r.cacheWrite5mTokens, cacheWrite1hTokens: r.cacheWrite1hTokens,
    ...(r.kind === 'provider' ? { caller: r.caller ?? '(unknown)' } : {}), ...(r.webSearchRequests ? { webSearchRequests: r.webSearchRequests } : {}),
  }));
}

/** Replaces one fs.promises function until restored; `hangFirst` makes its first call never settle (a window that died there). */
function hangFirst(name: 'link' | 'rm'): { restore(): void; hung(): boolean } {
  const real = fsp[name] as (...a: unknown[]) => Promise<unknown>;
  let hung = false;
  (fsp as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
    if (hung) return real.apply(fsp, a);
    hung = true;
    return new Promise(() => {});
  };
  return { restore: () => ((fsp as unknown as Record<string, unknown>)[name] = real), hung: () => hung };
}

/** Holds the first call of one fs.promises function until released (the calls after it go through). */
function holdFirst(name: 'link' | 'rm'): { reached: Promise<void>; release(): void; restore(): void } {
  const real = fsp[name] as (...a: unknown[]) => Promise<unknown>;
  let reached!: () => void;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const hold = { reached: new Promise<void>((r) => (reached = r)), release, restore: () => ((fsp as unknown as Record<string, unknown>)[name] = real) };
  let first = true;
  (fsp as unknown as Record<string, unknown>)[name] = async (...a: unknown[]) => {
    if (first) {
      first = false;
      reached();
      await gate;
    }
    return real.apply(fsp, a);
  };
  return hold;
}


/** Records the path of every fs.promises.readFile until `restore()` (the store reads through it). */
function spyReads(): { reads: string[]; restore(): void } {
  const reads: string[] = [];
  const realRead = fsp.readFile;
  (fsp as unknown as Record<string, unknown>).readFile = (...a: unknown[]) => {
    reads.push(String(a[0]));
    return (realRead as (...x: unknown[]) => Promise<unknown>).apply(fsp, a);
  };
  return { reads, restore: () => void ((fsp as unknown as Record<string, unknown>).readFile = realRead) };
}
describe('usage: rollups per month', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'usage-rollup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a fold reads and rewrites only the months its new lines touch; the other month files stay as they are', async () => {
    const s = new UsageStore(dir, { now: () => NOON });
    for (let m = 0; m < 6; m++) await s.add(rec({ at: NOON - m * 31 * DAY, inputTokens: 1 + m }), 'w');
    await s.flush();
    await s['log'].compact(); // every month folded
    const before = rollupOf(dir).parts;
    assert.deepEqual(Object.keys(before).sort(), ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'], 'one part per month');

    const { reads, restore } = spyReads();
    try {
      await s['log'].compact(); // a fold with one new line, for November
      await s.add(rec({ at: NOON, inputTokens: 100 }), 'w');
      await s.flush();
      reads.length = 0;
      await s.add(rec({ at: NOON, inputTokens: 1000 }), 'w');
      await s['log'].compact();
    } finally {
      restore();
    }
    const after = rollupOf(dir).parts;
    assert.deepEqual(reads.filter((f) => /part-/.test(f)).map((f) => f.replace(/.*part-(\d{4}-\d{2})-.*/, '$1')), ['2026-11'], 'only November was read');
    assert.notEqual(after['2026-11'], before['2026-11'], 'November was rewritten');
    for (const month of Object.keys(before).filter((k) => k !== '2026-11')) assert.equal(after[month], before[month], `${month} kept its file`);
    assert.deepEqual(files(dir, 'part-'), Object.values(after).sort(), 'no part file left that the rollup does not name');
    const rows = await new UsageStore(dir, { now: () => NOON }).rows();
    assert.deepEqual(rows.map((r) => r.inputTokens).sort((a, b) => a - b), [2, 3, 4, 5, 6, 1101]);
  });

  it('an older snapshot holding every row is split into months once: nothing lost, nothing counted twice', async () => {
    const row = (day: string, inputTokens: number) => ({ day, workspace: 'w', model: 'claude-sonnet-5-5', batch: false, requests: 1, inputTokens, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 });
    mkdirSync(join(dir, USAGE_DIR));
    const sealed = `sealed-${String(NOON - 60_000).padStart(13, '0')}-0123abcd.jsonl`;
    const covered = `\n${JSON.stringify([row('2026-11-20', 1)])}\n`;
    writeFileSync(join(dir, USAGE_DIR, sealed), `${covered}\n${JSON.stringify([row('2026-10-02', 10)])}\n`); // the second line came late
    writeFileSync(join(dir, USAGE_DIR, 'snapshot-000000000007.json'), JSON.stringify({
      version: 1, seq: 7, state: [row('2026-09-30', 100), row('2026-10-01', 1000), row('2026-11-20', 10_000)], folded: { [sealed]: Buffer.byteLength(covered) },
    }));
    writeFileSync(join(dir, USAGE_DIR, 'live.jsonl'), `\n${JSON.stringify([row('2026-11-21', 100_000)])}\n`);
    const want = { '2026-09-30': 100, '2026-10-01': 1000, '2026-10-02': 10, '2026-11-20': 10_000, '2026-11-21': 100_000 };
    const byDay = async () => Object.fromEntries((await new UsageStore(dir, { now: () => NOON }).rows()).map((r) => [r.day, r.inputTokens]).sort());
    assert.deepEqual(await byDay(), want, 'read as it is');

    const s = new UsageStore(dir, { now: () => NOON });
    await s['log'].compact();
    assert.deepEqual(files(dir, 'snapshot-'), [], 'the old snapshot is removed once split');
    const rollup = rollupOf(dir);
    assert.equal(rollup.seq, 8, 'the rollup numbers go on from the snapshot');
    assert.deepEqual(Object.keys(rollup.parts).sort(), ['2026-09', '2026-10', '2026-11']);
    assert.deepEqual(await byDay(), want, 'after the split');
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    await s.flush();
    assert.deepEqual(await byDay(), { ...want, '2026-11-22': 1 }, 'after another fold');
  });

  for (const [where, fn] of [['after writing the month files, before the rollup naming them', 'link'], ['after publishing the rollup, before removing what it replaced', 'rm']] as const) {
    it(`a window that dies mid-fold (${where}) loses nothing and counts nothing twice; the next fold tidies up`, async () => {
      const a = new UsageStore(dir, { now: () => NOON });
      await a.add(rec({ at: NOON, inputTokens: 1 }), 'w');
      await a.add(rec({ at: NOON - 40 * DAY, inputTokens: 10 }), 'w');
      await a.flush();
      await a.add(rec({ at: NOON, inputTokens: 100 }), 'w');
      await a.add(rec({ at: NOON - 40 * DAY, inputTokens: 1000 }), 'w');
      const crash = hangFirst(fn);
      try {
        void a['log'].compact(); // never settles: the window died there
        for (let i = 0; i < 200 && !crash.hung(); i++) await new Promise((r) => setTimeout(r, 5));
        assert.ok(crash.hung(), `the fold reached ${fn}`);
      } finally {
        crash.restore();
      }
      const named = new Set(Object.values(rollupOf(dir).parts));
      assert.ok(files(dir, 'part-').some((n) => !named.has(n)), 'a month file no rollup (or no newest rollup) names is on disk');
      const tokens = async () => (await new UsageStore(dir, { now: () => NOON }).rows()).map((r) => r.inputTokens).sort((x, y) => x - y);
      assert.deepEqual(await tokens(), [101, 1010], 'a new window counts every record once');

      const b = new UsageStore(dir, { now: () => NOON });
      await b.add(rec({ at: NOON, inputTokens: 5 }), 'w');
      await b.flush(); // the window's first add folds
      assert.deepEqual(await tokens(), [106, 1010], 'after the next fold too');
      assert.deepEqual(files(dir, 'rollup-').length, 1);
      assert.deepEqual(files(dir, 'part-'), Object.values(rollupOf(dir).parts).sort(), 'the dead fold\'s files are removed by that fold');
    });
  }

  it('a fold tidying up after its rollup leaves alone the month files another window is writing for the next one', async () => {
    const w = new UsageStore(dir, { now: () => NOON });
    await w.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    await w.add(rec({ at: NOON - 40 * DAY, inputTokens: 10 }), 'w');
    await w.flush();
    const b = new UsageStore(dir, { now: () => NOON });
    const a = new UsageStore(dir, { now: () => NOON });
    const rm = holdFirst('rm');
    let link: ReturnType<typeof holdFirst> | undefined;
    try {
      // Window B publishes rollup 2 and is held before it removes what rollup 2 replaced.
      await w.add(rec({ at: NOON, inputTokens: 100 }), 'w');
      const bDone = b['log'].compact();
      await rm.reached;
      // Window A folds on top of rollup 2: it writes its month files for rollup 3 and is held before publishing.
      link = holdFirst('link');
      await w.add(rec({ at: NOON - 40 * DAY, inputTokens: 1000 }), 'w');
      const aDone = a['log'].compact();
      await link.reached;
      rm.release();
      await bDone; // B tidies up now, with A's month files on disk and named by no rollup yet
      link.release();
      await aDone;
    } finally {
      rm.restore();
      link?.restore();
    }
    assert.equal(rollupOf(dir).seq, 3);
    const rows = await new UsageStore(dir, { now: () => NOON }).rows();
    assert.deepEqual(rows.map((r) => r.inputTokens).sort((x, y) => x - y), [101, 1010]);
  });

  it('a fold whose rollup is published keeps the month files it names, even when removing its temp file fails', async () => {
    const problems: string[] = [];
    const s = new UsageStore(dir, { now: () => NOON, onProblem: (m) => problems.push(m) });
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    await s.flush();
    await s.add(rec({ at: NOON, inputTokens: 2 }), 'w');
    const realRm = fsp.rm;
    (fsp as unknown as Record<string, unknown>).rm = (...a: unknown[]) =>
      String(a[0]).endsWith('.tmp') ? Promise.reject(Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' })) : (realRm as (...x: unknown[]) => Promise<void>).apply(fsp, a);
    try {
      await s['log'].compact();
    } finally {
      (fsp as unknown as Record<string, unknown>).rm = realRm;
    }
    assert.equal(rollupOf(dir).seq, 2, 'the rollup was published');
    for (const name of Object.values(rollupOf(dir).parts)) assert.ok(files(dir, 'part-').includes(name), `${name} is on disk`);
    assert.deepEqual((await new UsageStore(dir, { now: () => NOON }).rows()).map((r) => r.inputTokens), [3]);
  });

  it('months past retention are dropped from the rollup without being read', async () => {
    let now = NOON - 60 * DAY;
    const s = new UsageStore(dir, { now: () => now, retainDays: 45 });
    await s.add(rec({ at: now, inputTokens: 1 }), 'w'); // September
    await s.add(rec({ at: NOON, inputTokens: 2 }), 'w');
    await s.flush();
    assert.ok('2026-09' in rollupOf(dir).parts);
    now = NOON;
    const { reads, restore } = spyReads();
    try {
      await s.add(rec({ at: NOON, inputTokens: 4 }), 'w');
      await s['log'].compact();
    } finally {
      restore();
    }
    assert.deepEqual(Object.keys(rollupOf(dir).parts), ['2026-11']);
    assert.ok(!reads.some((f) => f.includes('part-2026-09-')), 'September was not read');
    assert.deepEqual(files(dir, 'part-2026-09-'), [], 'and its file is removed');
    assert.deepEqual((await new UsageStore(dir, { now: () => NOON, retainDays: 45 }).rows()).map((r) => r.inputTokens), [6]);
  });

  it('two stores adding to different months at once while each folds after every add: every record counted once', async function () {
    this.timeout(30_000);
    const a = new UsageStore(dir, { now: () => NOON, compactBytes: 1 });
    const b = new UsageStore(dir, { now: () => NOON, compactBytes: 1 });
    const adds: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      adds.push(a.add(rec({ at: NOON - (i % 4) * 31 * DAY, outputTokens: 1 }), 'a'));
      adds.push(b.add(rec({ at: NOON - (i % 3) * 31 * DAY, outputTokens: 1, webSearchRequests: 1 }), 'b'));
    }
    await Promise.all(adds);
    await Promise.all([a.flush(), b.flush()]);
    await a['log'].compact();
    const rows = await new UsageStore(dir, { now: () => NOON }).rows();
    const total = (ws: string, f: 'requests' | 'outputTokens' | 'webSearchRequests') => rows.filter((r) => r.workspace === ws).reduce((n, r) => n + (r[f] ?? 0), 0);
    assert.deepEqual([total('a', 'requests'), total('a', 'outputTokens'), total('b', 'requests'), total('b', 'webSearchRequests')], [60, 60, 60, 60]);
    assert.equal(new Set(rows.map((r) => r.day.slice(0, 7))).size, 4, 'four months');
    assert.deepEqual(files(dir, 'part-'), Object.values(rollupOf(dir).parts).sort(), 'no month file of a lost race is left');
  });

  it('the rows and the report show what went in, across months, workspaces, models, batch, callers and web searches', async function () {
    this.timeout(30_000);
    const models = ['claude-sonnet-5-5', 'claude-opus-5-5', 'claude-haiku-5-5', 'a-model-without-a-price'];
    const records: { r: UsageRecord; ws: string }[] = [];
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 400; i++) {
      const provider = next(5) === 0;
      records.push({
        ws: `ws${next(3)}`,
        r: rec({
          at: NOON - next(100) * DAY, model: models[next(4)], batch: next(7) === 0, inputTokens: next(5000), outputTokens: next(900), cacheReadTokens: next(3) ? 0 : next(20_000),
          cacheWrite5mTokens: next(4) ? 0 : next(3000), cacheWrite1hTokens: next(9) ? 0 : next(3000), webSearchRequests: next(6) ? undefined : 1 + next(3),
          ...(provider ? { kind: 'provider' as const, caller: next(2) ? 'ext.one' : undefined } : {}),
        }),
      });
    }
    const s = new UsageStore(dir, { now: () => NOON, compactBytes: 2000 }); // folds every few adds
    for (const { r, ws } of records) await s.add(r, ws);
    await s.flush();
    assert.ok(Object.keys(rollupOf(dir).parts).length >= 4, 'spread over months');
    const rows = await new UsageStore(dir, { now: () => NOON }).rows();
    const want = expected(records);
    assert.deepEqual(sums(rows), sums(want));
    // The same rows in the same order (by key) make the same report, to the last bit of every floating sum.
    const report = (r: readonly UsageRow[]) => buildReport(r, new UsageTracker(PriceBook.builtIn()), { now: NOON, workspace: 'ws0', problems: [] });
    const byKey = (r: readonly UsageRow[]) => {
      const out = new Map<string, UsageRow>();
      for (const row of r) {
        const k = JSON.stringify([row.day, row.workspace, row.model, row.batch, row.caller ?? null]);
        const have = out.get(k);
        if (!have) out.set(k, { ...row });
        else for (const f of COUNTS) if (row[f] !== undefined) have[f] = (have[f] ?? 0) + row[f]!;
      }
      return [...out].sort(([x], [y]) => (x < y ? -1 : 1)).map(([, row]) => row);
    };
    assert.equal(byKey(rows).length, rows.length, 'one row per day, workspace, model, batch and caller');
    const shown = report(byKey(rows));
    assert.deepEqual(shown, report(byKey(want)));
    assert.ok(shown.period.requests > 0 && shown.callers.length > 0 && shown.days.some((d) => d.tools > 0), 'the report has callers and web searches to compare');
  });
});
