// The usage store's append stays O(1): an add writes one line and reads nothing, whatever the history holds, and it
// does not wait for the log to be folded into per-day rows (that runs after it; flush() waits for it). The fold keeps
// every count, web searches and callers included. No timings here (bench/stores measures them).
import * as assert from 'node:assert/strict';
import { existsSync, promises as fsp, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDay, USAGE_DIR, UsageStore } from '../../../src/core/usage/store';
import { rec } from './helpers';

const NOON = new Date(2026, 10, 22, 12).getTime();
const HANG = Symbol('still waiting');
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<typeof HANG>((r) => setTimeout(() => r(HANG), ms))]);

describe('usage: the store appends in O(1)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'usage-append-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an add settles once its line is on disk while the fold into per-day rows is still running; flush() waits for the fold', async () => {
    const s = new UsageStore(dir, { now: () => NOON });
    const log = s['log'] as unknown as { compactOnce(): Promise<void> };
    const real = log.compactOnce.bind(log);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started = 0;
    log.compactOnce = async () => {
      started++;
      await held;
      return real();
    };
    // The first add of a window compacts; here that compaction is held until released.
    assert.notEqual(await within(s.add(rec({ at: NOON, inputTokens: 7 }), 'w'), 2000), HANG, 'the add waited for the compaction');
    assert.equal(started, 1, 'the compaction was started');
    assert.match(readFileSync(join(dir, USAGE_DIR, 'live.jsonl'), 'utf8'), /"inputTokens":7/, 'the line is on disk');
    assert.equal((await new UsageStore(dir, { now: () => NOON }).rows())[0].inputTokens, 7, 'another window counts it already');
    const flushed = s.flush();
    assert.equal(await within(flushed, 50), HANG, 'flush() waits for the fold');
    release();
    await flushed;
    assert.ok(readdirSync(join(dir, USAGE_DIR)).some((n) => n.startsWith('rollup-')), 'folded into a rollup');
  });

  it('with 20,000 rows of history an add reads no file and appends exactly one line', async function () {
    this.timeout(30_000);
    mkdirSync(join(dir, USAGE_DIR));
    const row = (i: number) => ({ day: localDay(NOON), workspace: `ws${i}`, model: 'claude-sonnet-5-5', batch: false, requests: 1, inputTokens: 1, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 });
    writeFileSync(join(dir, USAGE_DIR, 'live.jsonl'), Array.from({ length: 20_000 }, (_, i) => `\n${JSON.stringify([row(i)])}\n`).join(''));
    const s = new UsageStore(dir, { now: () => NOON });
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    await s.flush(); // the window's first add folded the history into this month's file
    const month = readdirSync(join(dir, USAGE_DIR)).find((n) => n.startsWith('part-'))!;
    assert.ok(readFileSync(join(dir, USAGE_DIR, month)).length > 20_000 * 100, 'the history is in the month file');

    const live = join(dir, USAGE_DIR, 'live.jsonl');
    const calls: string[] = [];
    const spied = ['readFile', 'writeFile', 'rename', 'readdir', 'link'] as const;
    const saved = spied.map((name) => [name, fsp[name]] as const);
    for (const name of spied) {
      const real = fsp[name] as (...a: unknown[]) => Promise<unknown>;
      (fsp as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
        calls.push(`${name} ${String(a[0])}`);
        return real.apply(fsp, a);
      };
    }
    try {
      for (let i = 0; i < 20; i++) {
        const before = existsSync(live) ? readFileSync(live).length : 0;
        await s.add(rec({ at: NOON, inputTokens: 1, webSearchRequests: 2 }), 'w');
        const after = readFileSync(live, 'utf8');
        const added = after.slice(before);
        assert.equal(added.trim().split('\n').length, 1, `add ${i} wrote one line`);
        assert.ok(added.length < 400, `add ${i} wrote ${added.length} bytes`);
      }
    } finally {
      for (const [name, fn] of saved) (fsp as unknown as Record<string, unknown>)[name] = fn;
    }
    assert.deepEqual(calls, [], 'an add reads, renames or rewrites no file');
    const rows = await new UsageStore(dir, { now: () => NOON }).rows();
    assert.equal(rows.length, 20_001);
    assert.deepEqual([rows.find((r) => r.workspace === 'w')!.requests, rows.find((r) => r.workspace === 'w')!.webSearchRequests], [21, 40]);
  });

  it('web search counts and provider callers survive the log, the fold into per-day rows and a new window', async () => {
    const s = new UsageStore(dir, { now: () => NOON, compactBytes: 1 }); // folds after every add
    await s.add(rec({ at: NOON, inputTokens: 10, webSearchRequests: 3 }), 'w');
    await s.add(rec({ at: NOON + 1000, inputTokens: 5, webSearchRequests: 1 }), 'w');
    await s.add(rec({ at: NOON, inputTokens: 2, kind: 'provider', caller: 'ext.one' }), 'w');
    await s.add(rec({ at: NOON - 86_400_000, inputTokens: 1 }), 'w');
    await s.flush();
    assert.ok(!readdirSync(join(dir, USAGE_DIR)).includes('live.jsonl') || readFileSync(join(dir, USAGE_DIR, 'live.jsonl')).length === 0, 'everything was folded');
    const rows = await new UsageStore(dir, { now: () => NOON }).rows();
    const today = rows.filter((r) => r.day === localDay(NOON));
    const own = today.find((r) => r.caller === undefined)!;
    assert.deepEqual([own.requests, own.inputTokens, own.webSearchRequests], [2, 15, 4]);
    assert.deepEqual(today.filter((r) => r.caller).map((r) => [r.caller, r.inputTokens]), [['ext.one', 2]]);
    assert.equal(rows.filter((r) => r.day !== localDay(NOON)).length, 1, 'a row per day');
  });

  it('two stores in one process adding at once while folds run in the background: every record counted once', async function () {
    this.timeout(30_000);
    const a = new UsageStore(dir, { now: () => NOON, compactBytes: 200 });
    const b = new UsageStore(dir, { now: () => NOON, compactBytes: 200 });
    const adds: Promise<void>[] = [];
    for (let i = 0; i < 150; i++) adds.push(a.add(rec({ at: NOON, outputTokens: 1 }), 'a'), b.add(rec({ at: NOON, outputTokens: 1, webSearchRequests: 1 }), 'b'));
    await Promise.all(adds);
    await Promise.all([a.flush(), b.flush()]);
    const rows = await new UsageStore(dir, { now: () => NOON }).rows();
    const of = (w: string) => rows.find((r) => r.workspace === w)!;
    assert.deepEqual([of('a').requests, of('a').outputTokens, of('b').requests, of('b').webSearchRequests], [150, 150, 150, 150]);
  });
});
