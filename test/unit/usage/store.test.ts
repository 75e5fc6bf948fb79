import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDay, USAGE_DIR, USAGE_FILE, UsageStore } from '../../../src/core/usage/store';
import { runWindows } from '../persist/windows';
import { rec } from './helpers';

const NOON = new Date(2026, 10, 22, 12).getTime();

describe('usage: persisted store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'usage-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips: a new store on the same directory reads what the first one wrote, summed per day/workspace/model', async () => {
    const a = new UsageStore(join(dir, 'nested', 'storage'));
    await a.add(rec({ at: NOON, inputTokens: 10, outputTokens: 20, cacheReadTokens: 30, cacheWrite5mTokens: 40, cacheWrite1hTokens: 50 }), 'proj');
    await a.add(rec({ at: NOON + 60_000, inputTokens: 1, outputTokens: 2 }), 'proj');
    await a.add(rec({ at: NOON, inputTokens: 5, batch: true }), 'proj');
    await a.add(rec({ at: NOON, model: 'claude-haiku-4-5', inputTokens: 7 }), 'other');
    await a.add(rec({ at: NOON - 86_400_000, inputTokens: 3 }), 'proj');
    const b = new UsageStore(join(dir, 'nested', 'storage'));
    const rows = await b.rows();
    const key = (r: { day: string; workspace: string; model: string; batch: boolean }) => `${r.day} ${r.workspace} ${r.model} ${r.batch}`;
    assert.deepEqual(rows.map(key).sort(), [
      '2026-11-21 proj claude-sonnet-5-5 false',
      '2026-11-22 other claude-haiku-4-5 false',
      '2026-11-22 proj claude-sonnet-5-5 false',
      '2026-11-22 proj claude-sonnet-5-5 true',
    ]);
    const main = rows.find((r) => key(r) === '2026-11-22 proj claude-sonnet-5-5 false')!;
    assert.deepEqual(main, {
      day: '2026-11-22', workspace: 'proj', model: 'claude-sonnet-5-5', batch: false, requests: 2,
      inputTokens: 11, outputTokens: 22, cacheReadTokens: 30, cacheWrite5mTokens: 40, cacheWrite1hTokens: 50,
    });
  });

  it('appends: a later add leaves every byte already written in place; no temp file is left', async () => {
    const s = new UsageStore(dir);
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w'); // the first add also compacts (seals the log)
    await s.flush(); // the compaction runs after the add
    await s.add(rec({ at: NOON, inputTokens: 2 }), 'w');
    const live = join(dir, USAGE_DIR, 'live.jsonl');
    const before = readFileSync(live);
    await s.add(rec({ at: NOON, inputTokens: 3 }), 'w');
    const after = readFileSync(live);
    assert.ok(after.length > before.length && after.subarray(0, before.length).equals(before), 'the log only grows at its end');
    assert.deepEqual(readdirSync(join(dir, USAGE_DIR)).filter((n) => n.endsWith('.tmp')), []);
    assert.equal((await new UsageStore(dir).rows())[0].inputTokens, 6);
  });

  it('merges with what another window wrote instead of overwriting it', async () => {
    const a = new UsageStore(dir);
    const b = new UsageStore(dir);
    await a.add(rec({ at: NOON, inputTokens: 100 }), 'w');
    await b.add(rec({ at: NOON, inputTokens: 5 }), 'w');
    await a.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    const rows = await new UsageStore(dir).rows();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].inputTokens, 106);
    assert.equal(rows[0].requests, 3);
  });

  for (const [what, content] of [['not JSON', '{"version":1,"rows":[{"day":'], ['the wrong shape', '{"version":1,"rows":[{"day":"yesterday"}]}'], ['a future version', '{"version":2,"rows":[]}'], ['rows:[null]', '{"version":1,"rows":[null]}']]) {
    it(`moves a corrupt old usage.json (${what}) aside, reports it once, and keeps counting`, async () => {
      const file = join(dir, USAGE_FILE);
      writeFileSync(file, content);
      const problems: string[] = [];
      const s = new UsageStore(dir, { onProblem: (m) => problems.push(m), now: () => NOON });
      assert.deepEqual(await s.rows(), []);
      await s.add(rec({ at: NOON, inputTokens: 9 }), 'w');
      await s.flush();
      writeFileSync(file, 'garbage again');
      await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
      await s.flush();
      assert.deepEqual((await s.rows()).map((r) => r.inputTokens), [10]);
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0], /moved to .*usage\.json\.corrupt-/);
      const aside = readdirSync(dir).filter((n) => n.startsWith(`${USAGE_FILE}.corrupt-`));
      assert.equal(aside.length, 2, 'the second bad file was moved aside too, without a second notice');
      assert.ok(aside.some((n) => readFileSync(join(dir, n), 'utf8') === content), 'the original bytes are kept');
      assert.equal((await new UsageStore(dir).rows())[0].inputTokens, 10);
    });
  }

  it('bad lines in the log (wrong shape, [null], one cut short by a crash) are set aside with one notice; every other line counts', async () => {
    const s = new UsageStore(dir, { now: () => NOON });
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    await s.add(rec({ at: NOON, inputTokens: 2 }), 'w');
    await s.flush();
    const live = join(dir, USAGE_DIR, 'live.jsonl');
    writeFileSync(live, '\n[null]\n\n[{"day":"2026-11-22","workspace":"w"}]\n\n{"rows":', { flag: 'a' }); // the last one cut short by a crash
    const problems: string[] = [];
    const t = new UsageStore(dir, { onProblem: (m) => problems.push(m), now: () => NOON });
    assert.equal((await t.rows())[0].inputTokens, 3, 'a read skips the bad lines');
    await t.add(rec({ at: NOON, inputTokens: 4 }), 'w'); // compacts: seals the log and sets the bad lines aside
    await t.flush();
    assert.equal(problems.length, 1, problems.join('\n'));
    // The cut-short line was ended by the next add's leading newline, so it did not swallow that add.
    assert.match(problems[0], /3 unreadable entries in the usage history were skipped and kept in .*\.corrupt-/);
    const aside = readdirSync(join(dir, USAGE_DIR)).filter((n) => n.includes('.corrupt-'));
    assert.equal(aside.length, 1);
    assert.equal(readFileSync(join(dir, USAGE_DIR, aside[0]), 'utf8'), '[null]\n[{"day":"2026-11-22","workspace":"w"}]\n{"rows":\n');
    assert.equal((await new UsageStore(dir, { now: () => NOON }).rows())[0].inputTokens, 7);
  });

  it('a corrupt rollup is moved aside with one notice; the log written since still counts', async () => {
    const s = new UsageStore(dir, { now: () => NOON });
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w'); // folded into rollup 1
    await s.flush();
    await s.add(rec({ at: NOON, inputTokens: 2 }), 'w'); // in the live log
    const rollup = readdirSync(join(dir, USAGE_DIR)).find((n) => n.startsWith('rollup-'))!;
    writeFileSync(join(dir, USAGE_DIR, rollup), '{"version":2,"seq":1,"parts":{"2026-11":null},"folded":{}}');
    const problems: string[] = [];
    const t = new UsageStore(dir, { onProblem: (m) => problems.push(m), now: () => NOON });
    // Within the grace period the sealed log the rollup covered is still there, so even its count survives.
    assert.equal((await t.rows())[0].inputTokens, 3);
    assert.equal((await t.rows())[0].inputTokens, 3);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /usage history file was unreadable .* moved to .*rollup-000000000001\.json\.corrupt-/);
  });

  it('a corrupt month file is moved aside with one notice; the other months and the log written since still count', async () => {
    const s = new UsageStore(dir, { now: () => NOON });
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    await s.add(rec({ at: NOON - 40 * 86_400_000, inputTokens: 10 }), 'w'); // October
    await s.flush();
    await s.add(rec({ at: NOON, inputTokens: 2 }), 'w'); // in the live log
    const november = readdirSync(join(dir, USAGE_DIR)).find((n) => n.startsWith('part-2026-11-'))!;
    writeFileSync(join(dir, USAGE_DIR, november), '{"version":2,"key":"2026-11","state":[{"day":null}]}');
    const problems: string[] = [];
    const t = new UsageStore(dir, { onProblem: (m) => problems.push(m), now: () => NOON });
    const tokens = async () => (await t.rows()).map((r) => r.inputTokens).sort((a, b) => a - b);
    assert.deepEqual(await tokens(), [2, 10], 'November\'s folded count is lost (kept aside), the rest counts');
    assert.deepEqual(await tokens(), [2, 10]);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /usage history file was unreadable .* moved to .*part-2026-11-\d{12}-[0-9a-f]{8}\.json\.corrupt-/);
    await t.add(rec({ at: NOON, inputTokens: 4 }), 'w'); // a fold of November starts that month again
    await t.flush();
    assert.deepEqual((await new UsageStore(dir, { now: () => NOON }).rows()).map((r) => r.inputTokens).sort((a, b) => a - b), [6, 10]);
  });

  it('an old usage.json is folded in once and moved into the log: never counted twice', async () => {
    writeFileSync(join(dir, USAGE_FILE), JSON.stringify({ version: 1, rows: [{ day: '2026-11-22', workspace: 'w', model: 'claude-sonnet-5-5', batch: false, requests: 5, inputTokens: 50, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 }] }));
    const s = new UsageStore(dir, { now: () => NOON, compactBytes: 1 }); // compacts after every add
    assert.equal((await s.rows())[0].requests, 5);
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    await s.flush();
    assert.equal(existsSync(join(dir, USAGE_FILE)), false, 'claimed by the log');
    const rows = await new UsageStore(dir, { now: () => NOON }).rows();
    assert.deepEqual([rows[0].requests, rows[0].inputTokens], [7, 52]);
  });

  it('a late append to a log another window already sealed is counted once, and the sealed file is removed only after the grace period', async () => {
    let now = Date.now();
    const s = new UsageStore(dir, { now: () => now, compactBytes: 1 });
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    await s.flush();
    const sealed = readdirSync(join(dir, USAGE_DIR)).find((n) => n.startsWith('sealed-'))!;
    // A window that opened live.jsonl just before the rename writes its line into the sealed file.
    const late = JSON.stringify([{ day: '2026-11-22', workspace: 'w', model: 'claude-sonnet-5-5', batch: false, requests: 1, inputTokens: 100, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 }]);
    writeFileSync(join(dir, USAGE_DIR, sealed), `\n${late}\n`, { flag: 'a' });
    assert.equal((await s.rows())[0].inputTokens, 101);
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    await s.flush();
    assert.equal((await s.rows())[0].inputTokens, 102);
    assert.ok(readdirSync(join(dir, USAGE_DIR)).includes(sealed), 'kept during the grace period');
    now += 11 * 60_000;
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    await s.flush();
    assert.ok(!readdirSync(join(dir, USAGE_DIR)).includes(sealed), 'removed once folded and past the grace period');
    assert.equal((await new UsageStore(dir, { now: () => now }).rows())[0].inputTokens, 103);
    assert.equal(readdirSync(join(dir, USAGE_DIR)).filter((n) => n.startsWith('rollup-')).length, 1, 'older rollups are removed');
    assert.equal(readdirSync(join(dir, USAGE_DIR)).filter((n) => n.startsWith('part-')).length, 1, 'and the month files they named');
  });

  it('keeps the counts and reports once when the directory cannot be written; writes them later', async () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the directory should be');
    const problems: string[] = [];
    const s = new UsageStore(join(blocked, 'sub'), { onProblem: (m) => problems.push(m) });
    await s.add(rec({ at: NOON, inputTokens: 4 }), 'w');
    await s.add(rec({ at: NOON, inputTokens: 4 }), 'w');
    assert.equal(problems.length, 1);
    assert.match(problems[0], /Could not save usage/);
    const rows = await s.rows();
    assert.equal(rows[0].inputTokens, 8, 'unwritten counts are still reported');
    rmSync(blocked);
    await s.flush();
    assert.ok(existsSync(join(blocked, 'sub', USAGE_DIR, 'live.jsonl')) || existsSync(join(blocked, 'sub', USAGE_DIR)));
    assert.equal((await new UsageStore(join(blocked, 'sub')).rows())[0].inputTokens, 8);
  });

  it('drops rows older than the retention period on write', async () => {
    const s = new UsageStore(dir, { retainDays: 30, now: () => NOON });
    await s.add(rec({ at: NOON - 31 * 86_400_000, inputTokens: 1 }), 'w');
    await s.add(rec({ at: NOON - 29 * 86_400_000, inputTokens: 2 }), 'w');
    await s.flush();
    const rows = await new UsageStore(dir).rows();
    assert.deepEqual(rows.map((r) => r.inputTokens), [2]);
  });

  const countWindows = async () => {
    const rows = await new UsageStore(dir).rows();
    const perWindow = [0, 1, 2, 3].map((w) => rows.filter((r) => r.workspace === `w${w}`).reduce((n, r) => n + r.requests, 0));
    return { perWindow, found: perWindow.reduce((a, b) => a + b, 0), output: rows.reduce((n, r) => n + r.outputTokens, 0) };
  };

  it('four windows (real processes) adding 100 records each at once: all 400 are counted', async function () {
    this.timeout(90_000);
    await runWindows('usage', dir, 4, 100);
    const { perWindow, found, output } = await countWindows();
    assert.deepEqual(perWindow, [100, 100, 100, 100], `found ${found} of 400 records`);
    assert.equal(output, 800, 'token counts are not lost either');
  });

  it('four windows compacting after every add while a fifth reads: all 400 counted, no read ever counts one twice', async function () {
    this.timeout(90_000);
    let reading = true;
    let reads = 0;
    const reader = (async () => {
      for (; reading && reads < 10_000; reads++) {
        const { found } = await countWindows();
        assert.ok(found <= 400, `a read counted ${found} of 400 records`);
      }
    })();
    try {
      await runWindows('usage', dir, 4, 100, { compactBytes: 1 });
    } finally {
      reading = false;
    }
    await reader;
    const { perWindow, found } = await countWindows();
    assert.deepEqual(perWindow, [100, 100, 100, 100], `found ${found} of 400 records`);
    assert.ok(reads > 0);
  });

  it('uses the local calendar day', () => {
    assert.equal(localDay(new Date(2026, 0, 5, 0, 0, 1).getTime()), '2026-01-05');
    assert.equal(localDay(new Date(2026, 0, 5, 23, 59, 59).getTime()), '2026-01-05');
  });
});
