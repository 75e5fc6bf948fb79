// A batch review from submit to report, through the real SDK against the fake API, timed by its fake clock.
import * as assert from 'node:assert/strict';
import type Anthropic from '@anthropic-ai/sdk';
import { CUSTOM_ID_PATTERN } from '../../../src/core/batch/customId';
import { describeCounts, planAndSubmit, runToEnd, SubmitOutcome } from '../../../src/core/batch/job';
import { PendingStore } from '../../../src/core/batch/pendingStore';
import { batchInstructionFor } from '../../../src/core/batch/presets';
import { BATCH_SYSTEM, BatchRequest } from '../../../src/core/batch/requests';
import { pollSchedule } from '../../../src/core/batch/schedule';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { reply } from '../../fake-api/server';
import { ApiClock, batchCreates, client, files, MODEL, tempDir, useFakeApi } from './helpers';

const REVIEW = batchInstructionFor('code review')!;
const FIVE = {
  'src/a.ts': 'export const a = 1;\n',
  'src/b.ts': 'export function b(x: number) {\n  return x * 2;\n}\n',
  'src/util/c.ts': 'export const c = "c";\n',
  'README.md': '# Project\n\nHello.\n',
  'lib/my file.py': 'def f():\n    return 1\n',
};

describe('batch: submit to report against the fake API', () => {
  const api = useFakeApi();
  let dir: ReturnType<typeof tempDir>;
  let store: PendingStore;
  const book = PriceBook.builtIn();
  beforeEach(() => {
    dir = tempDir('claude-batch-');
    store = new PendingStore(dir.path);
  });
  afterEach(() => dir.dispose());

  async function submit(spec: Record<string, string>, opts: { model?: string; instruction?: string; before?: (ids: string[]) => void } = {}) {
    const c = await client(api());
    const out: SubmitOutcome = await planAndSubmit(
      c.messages.batches,
      { files: files(spec), maxFileKB: 256, instruction: opts.instruction ?? REVIEW, model: opts.model ?? MODEL, maxTokens: 1024, book },
      { baseURL: api().url, workspace: 'ws' },
      {
        store,
        now: () => api().clock.now(),
        confirm: async (plan) => {
          opts.before?.(Object.keys(plan.files));
          return true;
        },
      },
    );
    assert.equal(out.kind, 'submitted');
    if (out.kind !== 'submitted') throw new Error('not submitted');
    return { c, ...out };
  }

  it('a 5-file batch: one request per file with a cached system block, polled with backoff, reported per file', async () => {
    const { c, pending } = await submit(FIVE);

    // What the API received: one create with five requests.
    const creates = batchCreates(api());
    assert.equal(creates.length, 1);
    const sent = (creates[0].body as { requests: BatchRequest[] }).requests;
    assert.equal(sent.length, 5);
    const ids = sent.map((r) => r.custom_id);
    assert.equal(new Set(ids).size, 5);
    for (const id of ids) assert.match(id, CUSTOM_ID_PATTERN);
    assert.deepEqual(ids, Object.keys(pending.files));
    assert.deepEqual(Object.values(pending.files).map((f) => f.label), Object.keys(FIVE));
    assert.match(ids[4], /^lib_my_file_py-[0-9a-f]{8}$/);
    sent.forEach((r, i) => {
      const [label, text] = Object.entries(FIVE)[i];
      assert.equal(r.params.model, MODEL);
      assert.equal(r.params.max_tokens, 1024);
      assert.deepEqual(r.params.system, [{ type: 'text', text: BATCH_SYSTEM, cache_control: { type: 'ephemeral', ttl: '1h' } }]);
      assert.deepEqual(r.params.messages, [
        { role: 'user', content: [{ type: 'text', text: `<document path="${label}">\n${text}\n</document>` }, { type: 'text', text: `Instruction: ${REVIEW}` }] },
      ]);
    });
    assert.deepEqual((await store.list()).map((b) => b.id), [pending.id], 'persisted as pending');

    const clock = new ApiClock(api());
    const seen: string[] = [];
    const done = await runToEnd(c.messages.batches, pending, { clock, book, onStatus: (b) => seen.push(describeCounts(b)) });
    // 2 s growing by 1.5x: the fake's 60 s batch ends during the 7th wait.
    assert.deepEqual(clock.sleeps, [2000, 3000, 4500, 6750, 10125, 15188, 22782]);
    assert.equal(api().requests.filter((r) => r.method === 'GET' && r.path === `/v1/messages/batches/${pending.id}`).length, 8 + 1, '8 polls + the one results() makes');
    assert.equal(seen[0], '0 succeeded · 0 errored · 5 processing');
    assert.equal(seen.at(-1), '5 succeeded · 0 errored · 0 processing');
    assert.equal(done.batch.processing_status, 'ended');
    assert.equal(done.results.counts.succeeded, 5);
    assert.deepEqual(done.results.retry, {});

    // The report: one section per file, linked, with the model's answer.
    const md = done.markdown;
    for (const [label] of Object.entries(FIVE)) {
      const uri = `file:///ws/${label}`.replace(/ /g, '%20');
      assert.ok(md.includes(`## [${label}](<${uri}>)`), `section for ${label}`);
    }
    assert.equal(md.match(/^## \[/gm)?.length, 5);
    assert.ok(md.includes(`You said: <document path="src/a.ts">`), 'the answer is in the report');
    assert.doesNotMatch(md, /Not completed/);
    assert.match(md, /5 files: 5 succeeded/);

    // Usage at batch prices, one record per success, as the fake reported it.
    assert.equal(done.results.usage.length, 5);
    for (const u of done.results.usage) {
      assert.equal(u.batch, true);
      assert.equal(u.kind, 'batch');
      assert.equal(u.model, MODEL);
      assert.ok(u.inputTokens > 0 && u.outputTokens > 0);
    }
  });

  it('mixed results: errored, expired and canceled requests are listed with their reason, and the retry set is exactly them', async () => {
    const spec = { 'ok1.ts': 'const ok1 = 1;\n', 'bad.ts': 'const bad = 1;\n', 'ok2.ts': 'const ok2 = 2;\n', 'late.ts': 'const late = 1;\n', 'gone.ts': 'let g;\n' };
    const { c, pending } = await submit(spec, {
      before: ([ok1, bad, , late, gone]) => {
        api().batches.setOutcome(ok1, { type: 'succeeded', reply: reply.text('Looks fine to me.') });
        api().batches.setOutcome(bad, { type: 'errored', errorType: 'overloaded_error', message: 'Overloaded' });
        api().batches.setOutcome(late, { type: 'expired' });
        api().batches.setOutcome(gone, { type: 'canceled' });
      },
    });
    const [, bad, , late, gone] = Object.keys(pending.files);
    const done = await runToEnd(c.messages.batches, pending, { clock: new ApiClock(api()), book, schedule: pollSchedule({ everyMs: 30_000 }) });
    assert.deepEqual(done.results.counts, { processing: 0, succeeded: 2, errored: 1, canceled: 1, expired: 1, missing: 0 });
    assert.deepEqual(done.results.retry, { [bad]: pending.files[bad], [late]: pending.files[late], [gone]: pending.files[gone] });
    assert.deepEqual(done.results.usage.length, 2);
    const md = done.markdown;
    const notCompleted = md.slice(md.indexOf('## Not completed (3)'), md.indexOf('---'));
    assert.ok(notCompleted.includes('[bad.ts](<file:///ws/bad.ts>): Errored: overloaded_error: Overloaded.'), notCompleted);
    assert.ok(notCompleted.includes('[late.ts](<file:///ws/late.ts>): Expired:'), notCompleted);
    assert.ok(notCompleted.includes('[gone.ts](<file:///ws/gone.ts>): Canceled:'), notCompleted);
    assert.doesNotMatch(notCompleted, /ok1|ok2/);
    assert.ok(md.includes('## [ok1.ts](<file:///ws/ok1.ts>)\n\nLooks fine to me.'));
    assert.ok(md.includes('## [ok2.ts](<file:///ws/ok2.ts>)\n\nYou said:'));
    assert.equal(md.match(/^## \[/gm)?.length, 5, 'still one section per file');

    // Retrying submits a new batch with exactly those files, under the same custom_ids.
    const retryFiles = Object.fromEntries(Object.values(done.results.retry).map((f) => [f.label, spec[f.label as keyof typeof spec]]));
    const again = await submit(retryFiles);
    const sent = (batchCreates(api())[1].body as { requests: BatchRequest[] }).requests;
    assert.deepEqual(sent.map((r) => r.custom_id), [bad, late, gone]);
    assert.notEqual(again.pending.id, pending.id);
  });

  it('cancel mid-way calls the cancel endpoint once; what finished is reported, the rest is canceled', async () => {
    const { c, pending } = await submit(FIVE);
    const clock = new ApiClock(api());
    const cancel = new AbortController();
    // The fake finishes request i of 5 at 12 s * (i + 1); cancel at 30 s: two done, three canceled.
    clock.onSleep = (elapsed) => {
      if (elapsed >= 30_000) cancel.abort();
    };
    const statuses: Anthropic.Messages.MessageBatch['processing_status'][] = [];
    const done = await runToEnd(c.messages.batches, pending, {
      clock, book, cancel: cancel.signal, schedule: pollSchedule({ everyMs: 5_000 }), onStatus: (b) => statuses.push(b.processing_status),
    });
    const cancels = api().requests.filter((r) => r.method === 'POST' && r.path === `/v1/messages/batches/${pending.id}/cancel`);
    assert.equal(cancels.length, 1);
    assert.ok(statuses.includes('canceling'), statuses.join());
    assert.equal(statuses.at(-1), 'ended');
    assert.deepEqual(done.results.counts, { processing: 0, succeeded: 2, errored: 0, canceled: 3, expired: 0, missing: 0 });
    const ids = Object.keys(pending.files);
    assert.deepEqual(Object.keys(done.results.retry), ids.slice(2));
    assert.match(done.markdown, /## Not completed \(3\)/);
    assert.equal(done.markdown.match(/: Canceled: the batch was canceled/g)?.length, 3);
    // Polling stopped once it ended: 6 waits to 30 s, then one more after the cancel.
    assert.deepEqual(clock.sleeps, [5000, 5000, 5000, 5000, 5000, 5000, 5000]);
  });

  it('stopping (window closing) ends the polling without canceling the batch', async () => {
    const { c, pending } = await submit(FIVE);
    const clock = new ApiClock(api());
    const stop = new AbortController();
    clock.onSleep = (elapsed) => {
      if (elapsed >= 10_000) stop.abort();
    };
    await assert.rejects(runToEnd(c.messages.batches, pending, { clock, book, signal: stop.signal, schedule: pollSchedule({ everyMs: 5_000 }) }), { name: 'AbortError' });
    assert.equal(api().requests.filter((r) => r.path.endsWith('/cancel')).length, 0);
    assert.equal((await c.messages.batches.retrieve(pending.id)).processing_status, 'in_progress');
  });
});
