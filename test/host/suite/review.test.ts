// "Claude: Review File" inside a real VS Code host with the fake API started in-host: findings as diagnostics under
// source "Claude" (the Problems panel), the Quick Fix that applies a replacement through the diff review, findings
// following edits, and clearing (the command, a deleted file).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClaudeChatApi } from '../../../src/extension';
import type { ReviewFileResult } from '../../../src/host/review';
import { DEFAULT_TEST_KEY, FakeApi, reply, startFakeApi } from '../../fake-api/server';
import { activated } from './extension.test';

const NAME = 'review-sample.ts';
const TEXT = ['export function add(a: number, b: number): number {', '  return a - b;', '}', '', 'export const twice = (x: number) => add(x, x);', ''].join('\n');
const FINDINGS = {
  findings: [
    { file: NAME, startLine: 2, endLine: 2, severity: 'error', message: 'add() subtracts its arguments.', replacement: '  return a + b;' },
    { file: NAME, startLine: 5, endLine: 5, severity: 'info', message: 'twice() could be named double().' },
  ],
};

describe('Review File in a real VS Code host', () => {
  let api: FakeApi;
  let ext: ClaudeChatApi;
  let uri: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('claudeChat');
  const claude = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Claude');
  const until = async (what: string, ok: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const reset = async () => {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(TEXT, 'utf8'));
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.getText() !== TEXT) {
      const e = new vscode.WorkspaceEdit();
      e.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), TEXT);
      await vscode.workspace.applyEdit(e);
      await doc.save();
    }
    return vscode.window.showTextDocument(doc, { preview: false });
  };
  const review = async () => {
    api.queue(reply.json(FINDINGS));
    return vscode.commands.executeCommand<ReviewFileResult>('claudeChat.reviewFile', uri, { reveal: false });
  };

  before(async () => {
    api = await startFakeApi();
    ext = await activated();
    await ext.keys.set(DEFAULT_TEST_KEY, api.url);
    await config().update('baseURL', api.url, vscode.ConfigurationTarget.Global);
    uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, NAME);
  });
  beforeEach(async () => {
    api.reset();
    await vscode.commands.executeCommand('claudeChat.clearFindings');
    await reset();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await ext.keys.clear();
    for (const k of ['baseURL', 'model']) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    await api.close();
  });

  it('puts the findings in the Problems panel under "Claude", asked for with structured output', async () => {
    const r = await review();
    assert.equal(r.shown, 2);
    const body = api.messageRequests[0].body as { output_config?: { format?: { type: string } }; tool_choice?: unknown };
    assert.equal(body.output_config?.format?.type, 'json_schema');
    assert.equal(body.tool_choice, undefined);
    const d = claude();
    assert.deepEqual(d.map((x) => [x.range.start.line, x.range.end.line, x.severity, x.message]), [
      [1, 1, vscode.DiagnosticSeverity.Error, 'add() subtracts its arguments.'],
      [4, 4, vscode.DiagnosticSeverity.Information, 'twice() could be named double().'],
    ]);
    assert.equal(d[0].range.end.character, '  return a - b;'.length);
  });

  it('the Quick Fix opens the replacement as a diff; Apply writes it, the finding goes away, one Undo reverts it', async () => {
    await review();
    const d = claude()[0];
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === "Review Claude's fix…");
    assert.ok(fix?.command, `a Quick Fix is offered (${actions.map((a) => a.title).join(', ')})`);
    assert.equal(fix.isPreferred, true);
    const noFix = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, claude()[1].range, vscode.CodeActionKind.QuickFix.value);
    assert.equal(noFix.filter((a) => a.title === "Review Claude's fix…").length, 0, 'no fix without a replacement');
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    const diff = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'claude-chat-refactor');
    assert.ok(diff, 'the fix opens in a diff editor');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(), TEXT, 'nothing is written before Apply');
    assert.equal(await vscode.commands.executeCommand('claudeChat.applyRefactor'), 'applied');
    assert.equal(doc.lineAt(1).text, '  return a + b;');
    await until('the fixed finding to go', () => claude().length === 1);
    assert.equal(claude()[0].message, 'twice() could be named double().');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), TEXT);
  });

  it('findings follow edits: moved with their lines, dropped when those lines change', async () => {
    const editor = await reset();
    await review();
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// a new first line\n'));
    await until('the findings to move down', () => claude().map((d) => d.range.start.line).join() === '2,5');
    await editor.edit((e) => e.replace(editor.document.lineAt(2).range, '  return b - a;'));
    await until('the edited finding to go', () => claude().length === 1);
    assert.equal(claude()[0].range.start.line, 5);
  });

  it('a finding whose lines changed during the review is dropped with a count, not misplaced', async () => {
    const editor = await reset();
    // The reply waits until the file was edited: the findings were made for the old text.
    api.queue({ ...reply.json(FINDINGS), chunkSize: 10_000, delayMs: 600 });
    const running = vscode.commands.executeCommand<ReviewFileResult>('claudeChat.reviewFile', uri, { reveal: false });
    await until('the request', () => api.messageRequests.length === 1);
    await editor.edit((e) => e.replace(editor.document.lineAt(1).range, '  return b - a; // edited'));
    const r = await running;
    assert.deepEqual([r.shown, r.dropped.changed], [1, 1]);
    assert.deepEqual(claude().map((d) => d.range.start.line), [4]);
  });

  it('Clear Claude Findings clears the file; deleting the file clears its findings too', async () => {
    await review();
    assert.equal(claude().length, 2);
    await vscode.commands.executeCommand('claudeChat.clearFindings', uri);
    assert.equal(claude().length, 0);
    await review();
    assert.equal(claude().length, 2);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(uri);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await until('the deleted file\'s findings to go', () => claude().length === 0);
  });

  it('on Opus 5.5 (forced tool choice rejected) the review still works: structured output, no tool_choice', async () => {
    await config().update('model', 'claude-opus-5-5', vscode.ConfigurationTarget.Global);
    try {
      const r = await review();
      assert.equal(r.shown, 2, r.error);
      assert.equal((api.messageRequests[0].body as { tool_choice?: unknown }).tool_choice, undefined);
    } finally {
      await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
