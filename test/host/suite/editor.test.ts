// Editor commands inside a real VS Code host with the fake API started in-host: refactor apply/undo and stale
// documents, explain with the file as a cached block, add-folder ignore rules, re-reading attached files.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { ClaudeChatApi } from '../../../src/extension';
import type { AddResult } from '../../../src/host/editor/addContext';
import type { ApplyOutcome } from '../../../src/host/editor/refactorReview';
import { DEFAULT_TEST_KEY, FakeApi, reply, startFakeApi, tokens } from '../../fake-api/server';
import { activated } from './extension.test';

type Block = { type: string; text?: string; cache_control?: unknown };
type Body = { tool_choice?: unknown; output_config?: { format?: { type: string } }; messages: { role: string; content: Block[] }[] };

const SAMPLE = 'editor-sample.ts';
const sampleText = () =>
  `// ${SAMPLE}\n` + Array.from({ length: 160 }, (_, i) => `export function f${i}(x: number): number {\n  return x + ${i};\n}`).join('\n') + '\n';

describe('Editor commands in a real VS Code host', () => {
  let api: FakeApi;
  let ext: ClaudeChatApi;
  let root: vscode.Uri;
  let sample: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('claudeChat');
  const made: string[] = [];
  const file = (rel: string, text: string | Buffer) => {
    const p = join(root.fsPath, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    made.push(p);
  };
  const bodyOf = (i: number) => api.messageRequests[i].body as Body;

  /** Opens the sample fresh (disk text restored, no unsaved edits) with lines a..b (0-based) selected. */
  async function selectLines(a: number, b: number): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(sample);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    if (doc.getText() !== sampleText()) {
      await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), sampleText()));
      await doc.save();
    }
    editor.selection = new vscode.Selection(a, 0, b, doc.lineAt(b).text.length);
    return editor;
  }
  const diffTabs = () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'claude-chat-refactor');
  /** An edit by the user while the diff editor has the focus (the sample's TextEditor is hidden then). */
  const userEdit = async (doc: vscode.TextDocument, build: (e: vscode.WorkspaceEdit) => void) => {
    const e = new vscode.WorkspaceEdit();
    build(e);
    assert.ok(await vscode.workspace.applyEdit(e));
    assert.equal(doc.isDirty, true);
  };
  const proposal = (replacement: string) => reply.json({ replacement, rationale: 'Shorter.' });

  before(async () => {
    api = await startFakeApi();
    ext = await activated();
    await ext.keys.set(DEFAULT_TEST_KEY, api.url);
    await config().update('baseURL', api.url, vscode.ConfigurationTarget.Global);
    root = vscode.workspace.workspaceFolders![0].uri;
    sample = vscode.Uri.joinPath(root, SAMPLE);
    file(SAMPLE, sampleText());
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await ext.keys.clear();
    await config().update('baseURL', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('files').update('exclude', undefined, vscode.ConfigurationTarget.Global);
    for (const p of made.reverse()) rmSync(p, { force: true, recursive: true });
    rmSync(join(root.fsPath, 'ctx-folder'), { recursive: true, force: true });
    await api.close();
  });
  beforeEach(async () => {
    api.reset();
    await ext.chat.newChat();
  });

  it('a refactor applied changes exactly the selected range, and one Undo restores the document', async () => {
    const editor = await selectLines(4, 6); // f1
    const doc = editor.document;
    const original = doc.getText();
    const start = doc.offsetAt(editor.selection.start);
    const end = doc.offsetAt(editor.selection.end);
    const replacement = 'export const f1 = (x: number): number => x + 1;';
    api.queue(proposal(replacement));
    const recorded = ext.usage.tracker.lines.length;
    await vscode.commands.executeCommand('claudeChat.refactorSelection', 'simplify');
    const body = bodyOf(0);
    assert.equal(body.tool_choice, undefined, 'no forced tool: Opus 5.5, Fable 5.1 and Mythos 5.1 reject it');
    assert.equal(body.output_config?.format?.type, 'json_schema', 'structured output');
    assert.match(body.messages[0].content[0].text!, /^<document path="editor-sample.ts">/);
    assert.ok(body.messages[0].content[0].cache_control, 'the whole file is a cached block');
    assert.equal(diffTabs().length, 1, 'the proposal opens in a diff editor');
    assert.equal(ext.usage.tracker.lines.length, recorded + 1);
    assert.equal(ext.usage.tracker.lines[recorded].kind, 'command');
    assert.equal(doc.getText(), original, 'nothing is written before Apply');

    const outcome = await vscode.commands.executeCommand<ApplyOutcome>('claudeChat.applyRefactor');
    assert.equal(outcome, 'applied');
    assert.equal(doc.getText(), original.slice(0, start) + replacement + original.slice(end));
    assert.equal(diffTabs().length, 0, 'the diff closes');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original, 'a single undo restores the document');
  });

  it('Reject discards the proposal and writes nothing', async () => {
    const editor = await selectLines(8, 10);
    api.queue(proposal('// gone'));
    await vscode.commands.executeCommand('claudeChat.refactorSelection', 'types');
    await vscode.commands.executeCommand('claudeChat.rejectRefactor');
    assert.equal(diffTabs().length, 0);
    assert.equal(await vscode.commands.executeCommand('claudeChat.applyRefactor'), 'none');
    assert.equal(editor.document.getText(), sampleText());
  });

  it('an edit above the selection before Apply re-diffs against the current text instead of writing', async () => {
    const editor = await selectLines(4, 6);
    const doc = editor.document;
    const replacement = 'export const f1 = (x: number) => x + 1;';
    api.queue(proposal(replacement));
    await vscode.commands.executeCommand('claudeChat.refactorSelection', 'simplify');
    await userEdit(doc, (e) => e.insert(doc.uri, new vscode.Position(0, 0), '// a new first line\n'));
    const edited = doc.getText();
    assert.equal(await vscode.commands.executeCommand('claudeChat.applyRefactor'), 'rediffed');
    assert.equal(doc.getText(), edited, 'nothing was written');
    const tab = diffTabs()[0];
    assert.ok(tab, 'a fresh diff is shown');
    const left = await vscode.workspace.openTextDocument((tab.input as vscode.TabInputTextDiff).original);
    assert.equal(left.getText(), edited, 'the diff is against the current text');
    assert.equal(await vscode.commands.executeCommand('claudeChat.applyRefactor'), 'applied');
    const selected = 'export function f1(x: number): number {\n  return x + 1;\n}';
    assert.equal(doc.getText(), edited.replace(selected, replacement), 'the replacement lands on the moved range');
  });

  it('an edit inside the selection before Apply refuses the proposal and keeps the edit', async () => {
    const editor = await selectLines(4, 6);
    const doc = editor.document;
    api.queue(proposal('export const f1 = 1;'));
    await vscode.commands.executeCommand('claudeChat.refactorSelection', 'simplify');
    await userEdit(doc, (e) => e.replace(doc.uri, new vscode.Range(5, 2, 5, 8), 'return -x'));
    const edited = doc.getText();
    assert.equal(await vscode.commands.executeCommand('claudeChat.applyRefactor'), 'refused');
    assert.equal(doc.getText(), edited, 'the user edit is not clobbered');
    assert.equal(diffTabs().length, 0);
    assert.equal(await vscode.commands.executeCommand('claudeChat.applyRefactor'), 'none', 'the proposal is gone');
  });

  it('explain attaches the file and the request carries it as a cached block; a second explain reads it from cache', async () => {
    await selectLines(1, 3);
    await vscode.commands.executeCommand('claudeChat.explainSelection');
    const body = bodyOf(0);
    const [doc, question] = body.messages[0].content;
    assert.equal(doc.text, `<document path="${SAMPLE}">\n${sampleText()}\n</document>`);
    assert.ok(doc.cache_control, 'the file block carries cache_control');
    assert.match(question.text!, /^Explain lines 2–4 of editor-sample\.ts:\n```typescript\nexport function f0/);
    const ctx = ext.chat.session.context;
    assert.deepEqual(ctx.map((d) => [d.id, d.kind, d.label]), [[sample.toString(), 'file', SAMPLE]]);
    assert.deepEqual(ext.chat.session.history[0].ref, { label: SAMPLE, uri: sample.toString(), startLine: 1, endLine: 3 });
    await selectLines(10, 12);
    await vscode.commands.executeCommand('claudeChat.explainSelection');
    const fileTokens = tokens(doc.text!);
    assert.ok(api.messageRequests[1].usage!.cache_read_input_tokens >= fileTokens, 'the second explain reads the file from cache');
  });

  it('an attached file edited after attaching is re-read at the next send', async () => {
    const editor = await selectLines(1, 1);
    await vscode.commands.executeCommand('claudeChat.addFileToContext', sample);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// unsaved edit\n'));
    await ext.chat.send('What changed?');
    const sent = bodyOf(0).messages[0].content[0].text!;
    assert.match(sent, /^<document path="editor-sample.ts">\n\/\/ unsaved edit\n/);
    assert.equal(ext.chat.session.context.length, 1, 'replaced in place');
  });

  it('add folder honours .gitignore (nested, negation), files.exclude, binaries and the size limit', async () => {
    file('ctx-folder/.gitignore', '*.log\n!keep.log\ngenerated/\n');
    file('ctx-folder/a.ts', 'export const a = 1;\n');
    file('ctx-folder/debug.log', 'noise\n');
    file('ctx-folder/keep.log', 'kept\n');
    file('ctx-folder/sub/.gitignore', '*.tmp\n');
    file('ctx-folder/sub/b.ts', 'export const b = 2;\n');
    file('ctx-folder/sub/x.tmp', 'tmp\n');
    file('ctx-folder/generated/g.ts', 'generated\n');
    file('ctx-folder/skipme/s.ts', 'excluded by files.exclude\n');
    file('ctx-folder/logo.bin', Buffer.from([1, 2, 0, 3]));
    file('ctx-folder/huge.txt', 'y'.repeat(3 * 1024));
    await vscode.workspace.getConfiguration('files').update('exclude', { '**/skipme': true }, vscode.ConfigurationTarget.Global);
    await config().update('context.maxFileKB', 2, vscode.ConfigurationTarget.Global);
    try {
      const folder = vscode.Uri.joinPath(root, 'ctx-folder');
      const r = await vscode.commands.executeCommand<AddResult>('claudeChat.addFileToContext', folder, [folder]);
      const labels = r.added.map((d) => d.label).sort();
      assert.deepEqual(labels, ['ctx-folder/.gitignore', 'ctx-folder/a.ts', 'ctx-folder/keep.log', 'ctx-folder/sub/.gitignore', 'ctx-folder/sub/b.ts']);
      assert.deepEqual(ext.chat.session.context.map((d) => d.label).sort(), labels);
      const reason = (rel: string) => r.skipped.find((s) => s.rel === rel)?.reason;
      assert.equal(reason('ctx-folder/skipme'), 'ignored');
      assert.equal(reason('ctx-folder/logo.bin'), 'binary');
      assert.equal(reason('ctx-folder/huge.txt'), 'tooLarge');
      assert.equal(ext.chat.session.context.find((d) => d.label === 'ctx-folder/a.ts')?.id, vscode.Uri.joinPath(folder, 'a.ts').toString());
    } finally {
      await config().update('context.maxFileKB', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the light bulb offers Explain and Refactor on a non-empty selection only', async () => {
    const editor = await selectLines(1, 3);
    const titles = async (range: vscode.Range) =>
      ((await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', sample, range)) ?? []).map((a) => a.title);
    const some = await titles(editor.selection);
    assert.ok(some.includes('Explain with Claude') && some.includes('Refactor with Claude'), some.join(', '));
    const none = await titles(new vscode.Range(1, 0, 1, 0));
    assert.ok(!none.some((t) => /Claude/.test(t)), none.join(', '));
  });
});
