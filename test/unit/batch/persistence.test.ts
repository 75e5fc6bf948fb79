// Pending batches on disk: the file format round trip, several windows sharing the file, a corrupt file set
// aside, and a resume after a "reload" (a new store and a new client) that finishes the batch.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pendingFor, planAndSubmit, runToEnd } from '../../../src/core/batch/job';
import { isPendingBatch, PENDING_DIR, PENDING_FILE, PendingStore } from '../../../src/core/batch/pendingStore';
import { pollSchedule } from '../../../src/core/batch/schedule';
import type { PendingBatch } from '../../../src/core/batch/types';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { runWindows } from '../persist/windows';
import { ApiClock, client, files, MODEL, tempDir, useFakeApi } from './helpers';

const pending = (id: string, workspace = 'ws'): PendingBatch => ({
  id, created: 1_790_000_000_000, model: MODEL, instruction: 'Explain this file.', maxTokens: 512, baseURL: 'http://127.0.0.1:1', workspace,
  files: { 'src_a_ts-0123abcd': { label: 'src/a.ts', uri: 'file:///ws/src/a.ts' }, 'b_ts-89abcdef': { label: 'b.ts', uri: 'file:///ws/b.ts' } },
});

describe('batch: pending batches persist and resume', () => {
  const api = useFakeApi();
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('claude-batch-store-')));
  afterEach(() => dir.dispose());

  it('round trip: what is added is listed by a new store on the same folder, in order; remove drops one', async () => {
    const a = new PendingStore(dir.path);
    assert.deepEqual(await a.list(), [], 'no file yet');
    await Promise.all([a.add(pending('msgbatch_1')), a.add(pending('msgbatch_2')), a.add(pending('msgbatch_3', 'other'))]);
    const b = new PendingStore(dir.path);
    assert.deepEqual(await b.list(), [pending('msgbatch_1'), pending('msgbatch_2'), pending('msgbatch_3', 'other')]);
    const snapshot = readdirSync(join(dir.path, PENDING_DIR)).find((n) => n.startsWith('snapshot-'))!;
    const onDisk = JSON.parse(readFileSync(join(dir.path, PENDING_DIR, snapshot), 'utf8'));
    assert.equal(onDisk.version, 1);
    assert.deepEqual(Object.keys(onDisk.state[0]).sort(), ['baseURL', 'created', 'files', 'id', 'instruction', 'maxTokens', 'model', 'workspace']);
    await b.remove('msgbatch_1');
    assert.deepEqual((await a.list()).map((p) => p.id), ['msgbatch_2', 'msgbatch_3']);
    assert.deepEqual((await pendingFor(a, 'ws')).map((p) => p.id), ['msgbatch_2'], 'a window resumes only its workspace\'s batches');
    await a.add({ ...pending('msgbatch_2'), instruction: 'changed' });
    assert.deepEqual((await b.list()).map((p) => [p.id, p.instruction]), [['msgbatch_3', 'Explain this file.'], ['msgbatch_2', 'changed']]);
    assert.deepEqual(readdirSync(dir.path), [PENDING_DIR]);
    assert.deepEqual(readdirSync(join(dir.path, PENDING_DIR)).filter((n) => n.endsWith('.tmp')), [], 'no temp files left behind');
  });

  it('two windows adding in turn keep each other\'s batches (every write re-reads the file)', async () => {
    const w1 = new PendingStore(dir.path);
    const w2 = new PendingStore(dir.path);
    await w1.add(pending('msgbatch_w1'));
    await w2.add(pending('msgbatch_w2'));
    await w1.remove('msgbatch_nothing');
    assert.deepEqual((await w1.list()).map((p) => p.id), ['msgbatch_w1', 'msgbatch_w2']);
  });

  it('four windows (real processes) adding 25 batches each at once: all 100 are kept', async function () {
    this.timeout(90_000);
    await runWindows('pending', dir.path, 4, 25);
    const ids = (await new PendingStore(dir.path).list()).map((b) => b.id);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    assert.equal(ids.length, 100, `found ${ids.length} of 100 batches`);
  });

  it('an old pending-batches.json is folded in once, then moved into the log', async () => {
    writeFileSync(join(dir.path, PENDING_FILE), JSON.stringify({ version: 1, batches: [pending('msgbatch_old1'), pending('msgbatch_old2')] }));
    const s = new PendingStore(dir.path);
    assert.deepEqual((await s.list()).map((p) => p.id), ['msgbatch_old1', 'msgbatch_old2']);
    await s.remove('msgbatch_old1');
    await s.add(pending('msgbatch_new'));
    assert.equal(existsSync(join(dir.path, PENDING_FILE)), false);
    assert.deepEqual((await new PendingStore(dir.path).list()).map((p) => p.id), ['msgbatch_old2', 'msgbatch_new']);
  });

  it('a bad entry in the log (batch:null, a wrong field) is set aside with one notice; the other batches load', async () => {
    const s = new PendingStore(dir.path);
    await s.add(pending('msgbatch_a'));
    await s.add(pending('msgbatch_b'));
    writeFileSync(join(dir.path, PENDING_DIR, 'live.jsonl'), `\n{"op":"add","batch":null}\n\n${JSON.stringify({ op: 'add', batch: { ...pending('msgbatch_x'), maxTokens: 'lots' } })}\n`, { flag: 'a' });
    const problems: string[] = [];
    const t = new PendingStore(dir.path, (m) => problems.push(m));
    assert.deepEqual((await t.list()).map((p) => p.id), ['msgbatch_a', 'msgbatch_b']);
    await t.add(pending('msgbatch_c'));
    assert.deepEqual((await t.list()).map((p) => p.id), ['msgbatch_a', 'msgbatch_b', 'msgbatch_c']);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /2 unreadable entries in the pending batches were skipped and kept in .*\.corrupt-/);
  });

  it('a corrupt file is moved aside (not deleted) and reported; a malformed entry counts as corrupt', async () => {
    const problems: string[] = [];
    writeFileSync(join(dir.path, PENDING_FILE), '{"version":1,"batches":[{"id":"x"');
    const s = new PendingStore(dir.path, (m) => problems.push(m));
    assert.deepEqual(await s.list(), []);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /unreadable .* moved to .*pending-batches\.json\.corrupt-/);
    assert.ok(readdirSync(dir.path).some((f) => f.startsWith(`${PENDING_FILE}.corrupt-`)));
    assert.equal(existsSync(join(dir.path, PENDING_FILE)), false);
    await s.add(pending('msgbatch_new'));
    assert.deepEqual((await s.list()).map((p) => p.id), ['msgbatch_new']);
    assert.equal(isPendingBatch({ ...pending('x'), files: { a: { label: 'a' } } }), false);
    assert.equal(isPendingBatch({ ...pending('x'), maxTokens: 1.5 }), false);
    assert.equal(isPendingBatch(pending('x')), true);
  });

  it('resume after a reload: a new store lists the submitted batch; a new client polls it to the end and reports it', async () => {
    const spec = { 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n', 'c.md': '# C\n' };
    const book = PriceBook.builtIn();
    const before = await planAndSubmit(
      (await client(api())).messages.batches,
      { files: files(spec), maxFileKB: 256, instruction: 'Explain this file.', model: MODEL, maxTokens: 512, book },
      { baseURL: api().url, workspace: 'ws' },
      { store: new PendingStore(dir.path), now: () => api().clock.now() },
    );
    assert.equal(before.kind, 'submitted');
    if (before.kind !== 'submitted') return;
    api().clock.advance(20_000); // time passes while the window reloads

    // "Reload": nothing survives but the file.
    const store = new PendingStore(dir.path);
    const [resumed, ...rest] = await pendingFor(store, 'ws');
    assert.deepEqual(rest, []);
    assert.deepEqual(resumed, before.pending);
    assert.equal(resumed.baseURL, api().url);
    const clock = new ApiClock(api());
    const done = await runToEnd((await client(api())).messages.batches, resumed, { clock, book, schedule: pollSchedule({ initialMs: 10_000, maxMs: 30_000 }) });
    assert.deepEqual(clock.sleeps, [10_000, 15_000, 22_500], '20 s + 47.5 s: ended during the third wait');
    assert.equal(done.results.counts.succeeded, 3);
    for (const label of Object.keys(spec)) assert.ok(done.markdown.includes(`## [${label}](<file:///ws/${label}>)`), label);
    await store.remove(resumed.id);
    assert.deepEqual(await new PendingStore(dir.path).list(), []);
  });
});
