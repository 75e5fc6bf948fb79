// "Review Files in Batch" inside a real VS Code host, with the fake API started in-host: the command on a
// workspace folder from submit to the report document, the usage at batch prices, bad input, cancel + retry,
// and a pending batch resumed by a fresh service after a "reload".
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClaudeChatApi } from '../../../src/extension';
import { planAndSubmit } from '../../../src/core/batch/job';
import { PendingStore } from '../../../src/core/batch/pendingStore';
import { batchCost } from '../../../src/core/batch/report';
import { pollSchedule } from '../../../src/core/batch/schedule';
import { nullLogger } from '../../../src/core/ports';
import { createClient } from '../../../src/core/sdk';
import type { ReviewStarted } from '../../../src/host/batch/command';
import { BatchRunResult, BatchService, workspaceKey } from '../../../src/host/batch/service';
import { DEFAULT_TEST_KEY, FakeApi, reply, startFakeApi } from '../../fake-api/server';
import { activated } from './extension.test';

type Sent = { requests: { custom_id: string; params: { model: string; max_tokens: number; system: unknown[]; messages: { content: { text: string }[] }[] } }[] };

const MODEL = 'claude-haiku-5-5';
const FIXTURE = 'batch-fixture';
const TEXT_FILES: Record<string, string> = {
  'src/a.ts': 'export const a = (x: number) => x + 1;\n',
  'src/b.ts': 'export function b(s: string) {\n  return s.trim();\n}\n',
  'docs/readme.md': '# Fixture\n\nA folder for the batch test.\n',
  '.gitignore': 'ignored/\n',
};

describe('Batch review in a real VS Code host', () => {
  let api: FakeApi;
  let ext: ClaudeChatApi;
  let folder: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('claudeChat');
  const creates = () => api.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches');
  const polls = (id: string) => api.requests.filter((r) => r.method === 'GET' && r.path === `/v1/messages/batches/${id}`).length;
  const until = async (what: string, ok: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const reports: vscode.TextDocument[] = [];
  const finished = (r: BatchRunResult) => {
    assert.equal(r.kind, 'finished', JSON.stringify(r).slice(0, 300));
    if (r.kind !== 'finished') throw new Error('not finished');
    if (r.document) reports.push(r.document);
    return r;
  };
  const link = (rel: string) => `](<${vscode.Uri.joinPath(folder, ...rel.split('/')).toString()}>)`;

  before(async () => {
    api = await startFakeApi();
    ext = await activated();
    await ext.keys.set(DEFAULT_TEST_KEY, api.url);
    await config().update('baseURL', api.url, vscode.ConfigurationTarget.Global);
    await config().update('model', MODEL, vscode.ConfigurationTarget.Global);
    await config().update('maxTokens', 300, vscode.ConfigurationTarget.Global);
    folder = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, FIXTURE);
    const write = (rel: string, bytes: Uint8Array) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, ...rel.split('/')), bytes);
    for (const [rel, text] of Object.entries(TEXT_FILES)) await write(rel, Buffer.from(text, 'utf8'));
    await write('ignored/secret.ts', Buffer.from('export const secret = 1;\n'));
    await write('img/logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d]));
    await write('binaries/tool.bin', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
    await write('binaries/data.bin', new Uint8Array([0x00, 0x00, 0x01]));
  });
  beforeEach(() => {
    api.reset();
    api.clock.freeze();
  });
  after(async () => {
    for (const doc of reports) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.workspace.fs.delete(folder, { recursive: true });
    await ext.keys.clear();
    for (const k of ['baseURL', 'model', 'maxTokens']) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    await api.close();
  });

  it('the command on a folder: one request per text file, polled until the end, the report opens with a section per file', async () => {
    const before = { out: ext.usage.tracker.totals().outputTokens, cost: ext.usage.tracker.cost().known, n: ext.usage.tracker.lines.length };
    // findings: false keeps the Markdown answers of this preset (its default is findings for the Problems panel).
    const started = await vscode.commands.executeCommand<ReviewStarted | undefined>('claudeChat.reviewFilesInBatch', [folder], { instruction: 'code review', confirm: true, pollMs: 50, findings: false });
    assert.ok(started, 'the batch was submitted');
    const labels = Object.values(started.files).map((f) => f.label).sort();
    assert.deepEqual(labels, Object.keys(TEXT_FILES).map((rel) => `${FIXTURE}/${rel}`).sort(), 'ignored and binary files left out');

    const sent = creates();
    assert.equal(sent.length, 1);
    const body = sent[0].body as Sent;
    assert.deepEqual(body.requests.map((r) => r.custom_id), Object.keys(started.files));
    for (const r of body.requests) {
      assert.equal(r.params.model, MODEL);
      assert.equal(r.params.max_tokens, 300);
      assert.deepEqual((r.params.system[0] as { cache_control: unknown }).cache_control, { type: 'ephemeral', ttl: '1h' });
      assert.match(r.params.messages[0].content[1].text, /^Instruction: Review this file as a senior engineer/);
    }

    await until('the first poll', () => polls(started.batchId) >= 1);
    assert.notEqual(started.batchId, '');
    api.clock.advance(60_000); // the fake's batch ends
    const r = finished(await started.done);
    const doc = r.document!;
    assert.equal(doc.isUntitled, false, 'not an untitled document that asks to be saved');
    assert.equal(doc.uri.scheme, 'claude-chat-report', 'a read-only document');
    assert.equal(doc.languageId, 'markdown');
    const shown = doc.getText();
    await vscode.commands.executeCommand('type', { text: 'typed into the report' });
    assert.equal(doc.getText(), shown, 'typing in the report changes nothing (a read-only editor)');
    assert.equal(doc.isDirty, false, 'nothing to save when it closes');
    assert.equal(vscode.window.activeTextEditor?.document, doc, 'the report is shown');
    const text = doc.getText();
    assert.equal(text.match(/^## \[/gm)?.length, 4, 'one section per file');
    for (const rel of Object.keys(TEXT_FILES)) assert.ok(text.includes(link(rel)), `a linked section for ${rel}`);
    assert.ok(text.includes('You said: <document path="batch-fixture/src/a.ts">'));
    assert.match(text, /4 files: 4 succeeded/);

    // Usage reached the usage service (status bar) at the batch price.
    const usage = r.finished.results.usage;
    const tracker = ext.usage.tracker;
    assert.equal(tracker.lines.length - before.n, 4);
    assert.ok(tracker.lines.slice(-4).every((u) => u.batch && u.kind === 'batch'));
    assert.equal(tracker.totals().outputTokens - before.out, usage.reduce((s, u) => s + u.outputTokens, 0));
    const cost = batchCost(usage, tracker.prices);
    assert.ok(cost.batch.known > 0);
    assert.ok(Math.abs(tracker.cost().known - before.cost - cost.batch.known) < 1e-12, 'added at the batch price');
    assert.ok(Math.abs(cost.standard.known - 2 * cost.batch.known) < 1e-12);
  });

  it('"Code review" asks each file for findings (structured output); they land in the Problems panel, the report lists them', async () => {
    const a = vscode.Uri.joinPath(folder, 'src', 'a.ts');
    const b = vscode.Uri.joinPath(folder, 'src', 'b.ts');
    const started = await vscode.commands.executeCommand<ReviewStarted | undefined>('claudeChat.reviewFilesInBatch', [a, b], { instruction: 'code review', confirm: true, pollMs: 50 });
    assert.ok(started);
    const body = creates()[0].body as { requests: { custom_id: string; params: { output_config?: { format?: unknown } } }[] };
    assert.ok(body.requests.every((r) => r.params.output_config?.format), 'structured output in every request');
    const idOf = (label: string) => Object.keys(started.files).find((id) => started.files[id].label.endsWith(label))!;
    api.batches.setOutcome(idOf('src/a.ts'), {
      type: 'succeeded',
      reply: reply.json({ findings: [{ file: `${FIXTURE}/src/a.ts`, startLine: 1, endLine: 1, severity: 'warning', message: 'No input validation.', replacement: 'export const a = (x: number) => (Number.isFinite(x) ? x + 1 : NaN);' }] }),
    });
    await until('the first poll', () => polls(started.batchId) >= 1);
    api.clock.advance(60_000);
    const r = finished(await started.done);
    assert.equal(r.placed?.shown, 1);
    const diags = vscode.languages.getDiagnostics(a).filter((d) => d.source === 'Claude');
    assert.deepEqual(diags.map((d) => [d.range.start.line, d.message, d.severity]), [[0, 'No input validation.', vscode.DiagnosticSeverity.Warning]]);
    assert.deepEqual(vscode.languages.getDiagnostics(b).filter((d) => d.source === 'Claude'), [], 'the fake answered b.ts with no findings');
    assert.match(r.document!.getText(), /- \*\*warning\*\* · line 1: No input validation\./);
    await vscode.commands.executeCommand('claudeChat.clearFindings', a);
    assert.deepEqual(vscode.languages.getDiagnostics(a).filter((d) => d.source === 'Claude'), []);
  });

  it('a folder of only binaries: a clear message, nothing submitted', async () => {
    const started = await vscode.commands.executeCommand<ReviewStarted | undefined>('claudeChat.reviewFilesInBatch', [vscode.Uri.joinPath(folder, 'binaries')], { instruction: 'explain', confirm: true, pollMs: 50 });
    assert.equal(started, undefined);
    assert.equal(creates().length, 0);
    assert.equal(api.requests.length, 0, 'no request at all');
  });

  describe('with a fresh service (as activation builds it)', () => {
    let storage: string;
    let fresh: BatchService;
    beforeEach(() => {
      storage = mkdtempSync(join(tmpdir(), 'claude-batch-host-'));
      fresh = new BatchService({ storageDir: storage, keys: ext.keys, connect: ext.route.client, usage: ext.usage, logger: nullLogger });
    });
    afterEach(() => {
      fresh.dispose();
      rmSync(storage, { recursive: true, force: true });
    });

    it('resumes after a reload: a pending batch persisted earlier is polled to the end and reported', async () => {
      // Before the "reload": submitted and persisted; that window is gone.
      const files = await Promise.all(['src/a.ts', 'src/b.ts'].map(async (rel) => {
        const uri = vscode.Uri.joinPath(folder, ...rel.split('/'));
        return { label: vscode.workspace.asRelativePath(uri), uri: uri.toString(), text: Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8') };
      }));
      const client = await createClient({ apiKey: DEFAULT_TEST_KEY, baseURL: api.url });
      const out = await planAndSubmit(
        client.messages.batches,
        { files, maxFileKB: 256, instruction: 'Explain this file.', model: MODEL, maxTokens: 200, book: ext.usage.tracker.prices },
        { baseURL: api.url, workspace: workspaceKey() },
        { store: new PendingStore(storage), now: Date.now },
      );
      assert.equal(out.kind, 'submitted');
      if (out.kind !== 'submitted') return;
      await new PendingStore(storage).add({ ...out.pending, id: 'msgbatch_other_window', workspace: 'file:///another/workspace' });

      // After: the fresh service finds it without being told, and follows it.
      const resumed = await fresh.resumeSoon({ delayMs: 0, schedule: pollSchedule({ everyMs: 50 }) });
      assert.equal(resumed.length, 1, 'only this workspace\'s batch');
      assert.deepEqual(fresh.tracking, [out.pending.id]);
      await until('a poll of the resumed batch', () => polls(out.pending.id) >= 1);
      api.clock.advance(60_000);
      const r = finished(await resumed[0]);
      const text = r.document!.getText();
      assert.equal(text.match(/^## \[/gm)?.length, 2);
      for (const rel of ['src/a.ts', 'src/b.ts']) assert.ok(text.includes(link(rel)), rel);
      assert.deepEqual((await new PendingStore(storage).list()).map((p) => p.id), ['msgbatch_other_window'], 'reported batches leave the store');
      assert.deepEqual(fresh.tracking, []);
    });

    it('Cancel calls the cancel endpoint; the canceled file is listed and "Retry These" resubmits just it', async () => {
      const read = { files: ['src/a.ts', 'src/b.ts'].map((rel) => ({ label: `${FIXTURE}/${rel}`, uri: vscode.Uri.joinPath(folder, ...rel.split('/')).toString(), text: TEXT_FILES[rel] })), maxFileKB: 256 };
      const schedule = pollSchedule({ everyMs: 50 });
      const { outcome, done } = await fresh.submit({ ...read, instruction: 'Find bugs.', model: MODEL, maxTokens: 200, book: fresh.prices }, api.url, { confirmed: true, schedule });
      assert.equal(outcome.kind, 'submitted');
      if (outcome.kind !== 'submitted' || !done) return;
      assert.deepEqual((await fresh.store.list()).map((p) => p.id), [outcome.pending.id], 'persisted while it runs');
      await until('a poll', () => polls(outcome.pending.id) >= 1);
      api.clock.advance(40_000); // request 1 of 2 finished at 30 s, request 2 would at 60 s
      assert.equal(fresh.cancel(outcome.pending.id), true);
      await until('the cancel call', () => api.requests.some((q) => q.path === `/v1/messages/batches/${outcome.pending.id}/cancel`));
      api.clock.advance(2_000); // canceling -> ended
      const r = finished(await done);
      assert.deepEqual(r.finished.results.counts, { processing: 0, succeeded: 1, errored: 0, canceled: 1, expired: 0, missing: 0 });
      const [first, second] = Object.keys(outcome.pending.files);
      assert.deepEqual(Object.keys(r.finished.results.retry), [second]);
      const text = r.document!.getText();
      assert.match(text, /## Not completed \(1\)\n\n- \[batch-fixture\/src\/b\.ts\]\(<[^>]+>\): Canceled:/);

      const again = await fresh.retry(r.finished, { confirmed: true, schedule, openReport: false });
      assert.equal(again.outcome.kind, 'submitted');
      const sent = creates()[1].body as Sent;
      assert.deepEqual(sent.requests.map((q) => q.custom_id), [second], 'just the canceled file');
      assert.notEqual(first, second);
      assert.ok(sent.requests[0].params.messages[0].content[0].text.includes(TEXT_FILES['src/b.ts']));
      api.clock.advance(60_000);
      const retried = finished(await again.done!);
      assert.equal(retried.finished.results.counts.succeeded, 1);
      assert.equal(retried.document, undefined);
    });
  });
});
