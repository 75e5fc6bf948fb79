import * as assert from 'node:assert/strict';
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDay, USAGE_FILE, UsageStore } from '../../../src/core/usage/store';
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

  it('writes atomically: a new file is renamed into place, the old inode is never rewritten, no temp file is left', async () => {
    const s = new UsageStore(dir);
    await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
    const file = join(dir, USAGE_FILE);
    const before = readFileSync(file, 'utf8');
    linkSync(file, join(dir, 'snapshot.json')); // a second name for the same inode
    await s.add(rec({ at: NOON, inputTokens: 2 }), 'w');
    assert.equal(readFileSync(join(dir, 'snapshot.json'), 'utf8'), before, 'the old file was replaced, not written in place');
    assert.notEqual(readFileSync(file, 'utf8'), before);
    assert.deepEqual(readdirSync(dir).sort(), ['snapshot.json', USAGE_FILE]);
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

  for (const [what, content] of [['not JSON', '{"version":1,"rows":[{"day":'], ['the wrong shape', '{"version":1,"rows":[{"day":"yesterday"}]}'], ['a future version', '{"version":2,"rows":[]}']]) {
    it(`moves a corrupt file (${what}) aside, reports it once, and starts afresh`, async () => {
      const file = join(dir, USAGE_FILE);
      writeFileSync(file, content);
      const problems: string[] = [];
      const s = new UsageStore(dir, { onProblem: (m) => problems.push(m), now: () => NOON });
      assert.deepEqual(await s.rows(), []);
      await s.add(rec({ at: NOON, inputTokens: 9 }), 'w');
      writeFileSync(file, 'garbage again');
      await s.add(rec({ at: NOON, inputTokens: 1 }), 'w');
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0], /moved to .*usage\.json\.corrupt-/);
      const aside = readdirSync(dir).filter((n) => n.startsWith(`${USAGE_FILE}.corrupt-`));
      assert.ok(aside.length >= 1);
      assert.ok(aside.some((n) => readFileSync(join(dir, n), 'utf8') === content), 'the original bytes are kept');
      const rows = await new UsageStore(dir).rows();
      assert.equal(rows[0].inputTokens, 1, 'the second corrupt file was moved aside too, silently');
    });
  }

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
    assert.ok(existsSync(join(blocked, 'sub', USAGE_FILE)));
    assert.equal((await new UsageStore(join(blocked, 'sub')).rows())[0].inputTokens, 8);
  });

  it('drops rows older than the retention period on write', async () => {
    const s = new UsageStore(dir, { retainDays: 30, now: () => NOON });
    await s.add(rec({ at: NOON - 31 * 86_400_000, inputTokens: 1 }), 'w');
    await s.add(rec({ at: NOON - 29 * 86_400_000, inputTokens: 2 }), 'w');
    const rows = await new UsageStore(dir).rows();
    assert.deepEqual(rows.map((r) => r.inputTokens), [2]);
  });

  it('uses the local calendar day', () => {
    assert.equal(localDay(new Date(2026, 0, 5, 0, 0, 1).getTime()), '2026-01-05');
    assert.equal(localDay(new Date(2026, 0, 5, 23, 59, 59).getTime()), '2026-01-05');
  });
});
