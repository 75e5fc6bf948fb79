// The batch review in findings mode, through the real SDK against the fake API: the same findings request as
// "Review File" per file (structured output, at batch prices), the file hashes kept with the pending batch (and
// through a reload of the store), and the answers read back as findings for the report and the Problems panel.
import * as assert from 'node:assert/strict';
import { textHash } from '../../../src/core/batch/findings';
import { planAndSubmit, runToEnd } from '../../../src/core/batch/job';
import { PendingStore } from '../../../src/core/batch/pendingStore';
import type { BatchRequest } from '../../../src/core/batch/requests';
import { pollSchedule } from '../../../src/core/batch/schedule';
import { numberedFileBlock } from '../../../src/core/review/request';
import { FINDINGS_SPEC } from '../../../src/core/review/schema';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { reply } from '../../fake-api/server';
import { ApiClock, batchCreates, client, files, MODEL, tempDir, useFakeApi } from './helpers';

const SPEC = { 'src/a.ts': 'export const a = 1;\nexport const b = a - 1;\n', 'src/b.ts': 'export function b(x: number) {\n  return x * 2;\n}\n' };

describe('batch: findings mode', () => {
  const api = useFakeApi();
  let dir: ReturnType<typeof tempDir>;
  const book = PriceBook.builtIn();
  beforeEach(() => (dir = tempDir('claude-batch-findings-')));
  afterEach(() => dir.dispose());

  it('asks each file for findings with output_config.format, keeps the hashes, reads the answers back as findings at batch prices', async () => {
    const store = new PendingStore(dir.path);
    const c = await client(api());
    const out = await planAndSubmit(
      c.messages.batches,
      { files: files(SPEC), maxFileKB: 256, instruction: 'Review this file.', model: MODEL, maxTokens: 4096, book, findings: { kind: 'format' } },
      { baseURL: api().url, workspace: 'ws' },
      { store, now: () => api().clock.now() },
    );
    assert.equal(out.kind, 'submitted');
    if (out.kind !== 'submitted') return;
    const sent = (batchCreates(api())[0].body as { requests: BatchRequest[] }).requests;
    const params = sent[0].params as unknown as { output_config: { format: { schema: unknown } }; messages: { content: { text: string }[] }[]; stream?: boolean };
    assert.deepEqual(params.output_config.format.schema, FINDINGS_SPEC.schema);
    assert.equal(params.messages[0].content[0].text, numberedFileBlock({ label: 'src/a.ts', text: SPEC['src/a.ts'] }));
    assert.equal('stream' in params, false, 'batch requests cannot stream');
    // The mode and each file's hash survive a reload (the pending store is re-read from disk).
    const [again] = await new PendingStore(dir.path).list();
    assert.equal(again.findings?.mode, 'format');
    assert.equal(again.findings?.hashes[Object.keys(again.files).find((id) => again.files[id].label === 'src/a.ts')!], textHash(SPEC['src/a.ts']));

    const [idA, idB] = Object.keys(out.pending.files);
    api().batches.setOutcome(idA, {
      type: 'succeeded',
      reply: reply.json({ findings: [{ file: 'src/a.ts', startLine: 2, endLine: 2, severity: 'WARNING', message: 'b is always 0.', replacement: 'export const b = a;' }, { file: 'src/a.ts', startLine: 'two', endLine: 2, severity: 'hint', message: 'x' }] }),
    });
    api().batches.setOutcome(idB, { type: 'succeeded', reply: reply.text('Looks fine!') });
    const finished = await runToEnd(c.messages.batches, out.pending, { clock: new ApiClock(api()), book, schedule: pollSchedule({ everyMs: 1000 }) });
    const [a, b] = finished.results.results;
    assert.deepEqual(a.findings?.map((f) => [f.startLine, f.severity, f.replacement]), [[2, 'warning', 'export const b = a;']]);
    assert.equal(a.malformed, 1, 'the finding with a text line number did not match the schema');
    assert.equal(b.findings, undefined);
    assert.match(b.reason ?? '', /not the JSON that was asked for/);
    assert.ok(finished.results.usage.every((u) => u.batch), 'billed at batch prices');
    assert.match(finished.markdown, /- \*\*warning\*\* · line 2: b is always 0\. \*\(fix offered in the Problems panel\)\*/);
    assert.match(finished.markdown, /1 finding did not match the schema and was dropped/);
  });
});
