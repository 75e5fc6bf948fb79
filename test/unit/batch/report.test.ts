// The pure pieces around the report: the poll schedule, instruction presets, result parsing edge cases and
// Markdown escaping of file names.
import * as assert from 'node:assert/strict';
import { BATCH_PRESETS, batchInstructionFor } from '../../../src/core/batch/presets';
import { batchReport, escapeMarkdown } from '../../../src/core/batch/report';
import { collectResults } from '../../../src/core/batch/results';
import type { BatchResultLine } from '../../../src/core/batch/requests';
import { Backoff, pollSchedule } from '../../../src/core/batch/schedule';
import { PriceBook } from '../../../src/core/usage/priceBook';

const msg = (text: string, stop: string = 'end_turn') => ({
  id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-haiku-5-5', content: [{ type: 'text', text, citations: null }],
  stop_reason: stop, stop_sequence: null, usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 30, cache_creation_input_tokens: 0 },
}) as unknown as Extract<BatchResultLine['result'], { type: 'succeeded' }>['message'];

describe('batch: schedule, presets, results and report', () => {
  it('polls at 2 s growing by 1.5x to a 60 s ceiling; a fixed interval for tests', () => {
    const b = new Backoff();
    const waits = Array.from({ length: 12 }, () => b.delay());
    assert.deepEqual(waits, [2000, 3000, 4500, 6750, 10125, 15188, 22782, 34173, 51260, 60000, 60000, 60000]);
    b.reset();
    assert.equal(b.delay(), 2000);
    const fixed = new Backoff(pollSchedule({ everyMs: 50 }));
    assert.deepEqual([fixed.delay(), fixed.delay(), fixed.delay()], [50, 50, 50]);
    assert.deepEqual(pollSchedule({ initialMs: 5000, maxMs: 1000 }), { initialMs: 5000, maxMs: 5000, factor: 1.5 });
  });

  it('instructions: preset by id or label, anything else is a custom instruction', () => {
    assert.equal(BATCH_PRESETS.length, 4);
    assert.equal(batchInstructionFor('bugs'), BATCH_PRESETS[2].instruction);
    assert.equal(batchInstructionFor('Write Docstrings'), BATCH_PRESETS[3].instruction);
    assert.equal(batchInstructionFor('code review'), BATCH_PRESETS[0].instruction);
    assert.equal(batchInstructionFor('  Translate the comments to French. '), 'Translate the comments to French.');
    assert.equal(batchInstructionFor('   '), undefined);
  });

  it('results: a cut-off answer keeps its text with a note, a missing line is reported, an unknown id is listed', () => {
    const files = { a: { label: 'a.ts', uri: 'file:///w/a.ts' }, b: { label: 'b.ts', uri: 'file:///w/b.ts' } };
    const lines: BatchResultLine[] = [
      { custom_id: 'a', result: { type: 'succeeded', message: msg('Half an answ', 'max_tokens') } },
      { custom_id: 'zzz', result: { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: 'Internal' }, request_id: 'r' } } },
    ];
    const r = collectResults({ files, model: 'claude-haiku-5-5' }, lines, 42);
    assert.deepEqual(r.results.map((x) => [x.customId, x.kind]), [['a', 'succeeded'], ['b', 'missing'], ['zzz', 'errored']]);
    assert.equal(r.results[0].text, 'Half an answ');
    assert.match(r.results[0].reason!, /cut off at max_tokens/);
    assert.deepEqual(r.retry, { b: files.b }, 'an unknown id cannot be retried; the missing one can');
    assert.deepEqual(r.usage, [{ model: 'claude-haiku-5-5', inputTokens: 100, outputTokens: 20, cacheReadTokens: 30, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, batch: true, at: 42, kind: 'batch', exact: true }]);
    const md = batchReport({ pending: { id: 'msgbatch_x', model: 'claude-haiku-5-5', instruction: 'Explain.\nBriefly.', created: Date.UTC(2026, 10, 22, 9, 30) }, results: r, book: PriceBook.builtIn() });
    assert.match(md, /^# Claude batch review\n\n> Explain\.\n> Briefly\.\n/);
    assert.match(md, /submitted 2026-11-22 09:30 UTC/);
    assert.match(md, /- \*\*Files:\*\* 3 files: 1 succeeded, 1 errored, 1 without a result/);
    assert.match(md, /- \*\*Tokens:\*\* 130 input, 20 output/);
    assert.match(md, /`zzz` \(not in this batch\): Errored: api_error: Internal\./);
    assert.match(md, /Half an answ\n\n\*The answer was cut off at max_tokens/);
  });

  it('file names cannot break the link or the heading', () => {
    assert.equal(escapeMarkdown('a_[b]*#|`.ts'), 'a\\_\\[b\\]\\*\\#\\|\\`.ts');
    const files = { x: { label: 'dir/[odd] name_(1).ts', uri: 'file:///w/dir/[odd] name_(1).ts' } };
    const r = collectResults({ files, model: 'm' }, [{ custom_id: 'x', result: { type: 'expired' } }], 0);
    const md = batchReport({ pending: { id: 'b', model: 'm', instruction: 'i', created: 0 }, results: r, book: PriceBook.builtIn() });
    assert.ok(md.includes('## [dir/\\[odd\\] name\\_(1).ts](<file:///w/dir/[odd]%20name_(1).ts>)'), md);
    assert.match(md, /\*\*Cost:\*\* \$0\.00 at the batch price/);
  });
});
