// The workspace tools inside a real VS Code: the real file system, search, editors, diff and WorkspaceEdit.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { ClaudeChatApi } from '../../../src/extension';
import type { ToolResult, ToolStatus } from '../../../src/core/tools/types';
import { findVsCodeRipgrep } from '../../../src/host/tools/ripgrep';
import { activated } from './extension.test';

const SECRET = 'HOST-SECRET-7f3a';
let seq = 0;

describe('Workspace tools in a real VS Code host', () => {
  let ext: ClaudeChatApi;
  let root: vscode.Uri;
  let hello: vscode.Uri;
  let original: string;
  const made: string[] = [];
  const statuses: { id: string; status: ToolStatus }[] = [];

  const start = (name: string, input: unknown, conversationId = 'host-conv') => {
    const id = `toolu_host_${++seq}`;
    const ac = new AbortController();
    const done = ext.tools.run([{ id, name, input }], { signal: ac.signal, conversationId, onStatus: (i, status) => statuses.push({ id: i, status }) });
    return { id, ac, done: done.then((r) => r[0]) };
  };
  const one = (name: string, input: unknown): Promise<ToolResult> => start(name, input).done;
  const until = async (what: string, ok: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const proposedTabs = (id?: string) =>
    vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'claude-chat-proposed' && (id === undefined || new URLSearchParams(t.input.modified.query).get('id') === id));
  const pending = (id: string) => until(`${id} to await approval`, () => statuses.some((s) => s.id === id && s.status === 'pending-approval'));

  before(async () => {
    ext = await activated();
    root = vscode.workspace.workspaceFolders![0].uri;
    hello = vscode.Uri.joinPath(root, 'hello.ts');
    original = readFileSync(hello.fsPath, 'utf8');
    const file = (rel: string, text: string) => {
      const p = join(root.fsPath, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      made.push(p);
    };
    file('.gitignore', 'ignored-dir/\n');
    file('ignored-dir/hidden.ts', 'export const token = "zebra-quartz";\n');
    file('visible.ts', 'export const token = "zebra-quartz";\n');
    file('excluded-by-setting/x.ts', 'export const token = "zebra-quartz";\n');
    const outside = join(dirname(root.fsPath), 'outside-secret.txt');
    writeFileSync(outside, `${SECRET}\n`);
    made.push(outside);
    symlinkSync(outside, join(root.fsPath, 'sneaky-link.txt'));
    made.push(join(root.fsPath, 'sneaky-link.txt'));
    await vscode.workspace.getConfiguration('search').update('exclude', { '**/excluded-by-setting': true }, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('search').update('exclude', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    writeFileSync(hello.fsPath, original);
    for (const p of made.reverse()) rmSync(p, { force: true, recursive: true });
    rmSync(join(root.fsPath, 'ignored-dir'), { recursive: true, force: true });
    rmSync(join(root.fsPath, 'excluded-by-setting'), { recursive: true, force: true });
    rmSync(join(root.fsPath, 'made-by-claude'), { recursive: true, force: true });
  });

  it('is on in a trusted workspace and offers the eight tools', () => {
    assert.equal(vscode.workspace.isTrusted, true);
    assert.equal(ext.tools.enabled(), true, ext.tools.disabledReason());
    assert.equal(ext.tools.definitions().length, 8);
  });

  it('read_file reads hello.ts from the real workspace', async () => {
    const r = await one('read_file', { path: 'hello.ts' });
    assert.equal(r.isError, false, r.content);
    assert.equal(r.content, `hello.ts (1 line)\n     1\t${original.trimEnd()}`);
  });

  it('search_text searches the workspace, skipping .gitignore and search.exclude', async () => {
    const r = await one('search_text', { query: 'zebra-quartz' });
    assert.equal(r.isError, false, r.content);
    assert.equal(r.content, '1 match for text "zebra-quartz" in 1 file:\nvisible.ts:1: export const token = "zebra-quartz";');
    const f = await one('find_files', { pattern: '**/*.ts' });
    assert.equal(f.content, '2 files match "**/*.ts":\nhello.ts\nvisible.ts');
  });

  it("search_text runs VS Code's own ripgrep from appRoot: a catastrophic regex answers, and only ripgrep's engine refuses a back-reference", async () => {
    const rg = findVsCodeRipgrep(vscode.env.appRoot);
    assert.ok(rg, `no ripgrep under ${vscode.env.appRoot}`);
    assert.ok(rg.startsWith(vscode.env.appRoot) && existsSync(rg), rg);
    console.log(`      VS Code's ripgrep: ${rg}`);
    const evil = join(root.fsPath, 'evil-aaaa.txt');
    writeFileSync(evil, `${'a'.repeat(40)}!\n`);
    made.push(evil);
    const r = await one('search_text', { query: '(a|a)+$', is_regex: true });
    assert.deepEqual([r.isError, r.content.replace(/ in \d+ files\.$/, ' in N files.')], [false, 'No matches for regex "(a|a)+$" in N files.']);
    const hit = await one('search_text', { query: '(a|a)+!$', is_regex: true });
    assert.equal(hit.content, `1 match for regex "(a|a)+!$" in 1 file:\nevil-aaaa.txt:1: ${'a'.repeat(40)}!`);
    const back = await one('search_text', { query: '(a)\\1', is_regex: true });
    assert.equal(back.isError, true, back.content);
    assert.match(back.content, /backreferences are not supported/, 'the Rust engine answered, not a JavaScript fallback');
  });

  it('a path escape is refused, through a symlink too, and the secret is never read', async () => {
    for (const path of ['../outside-secret.txt', join(dirname(root.fsPath), 'outside-secret.txt'), 'sneaky-link.txt', '%2e%2e/outside-secret.txt', 'file:///etc/passwd']) {
      const r = await one('read_file', { path });
      assert.equal(r.isError, true, `${path}: ${r.content}`);
      assert.ok(!r.content.includes(SECRET));
    }
    assert.match((await one('read_file', { path: 'sneaky-link.txt' })).content, /outside the workspace/);
    const search = await one('search_text', { query: SECRET });
    assert.match(search.content, /^No matches for text "HOST-SECRET-7f3a" in \d+ files\.$/, 'the file behind the link is neither searched nor skipped');
  });

  it('get_diagnostics and get_open_editors_and_selection report the real editor state', async () => {
    const coll = vscode.languages.createDiagnosticCollection('claude-test');
    try {
      coll.set(hello, [new vscode.Diagnostic(new vscode.Range(0, 7, 0, 12), 'test problem', vscode.DiagnosticSeverity.Error)]);
      const d = await one('get_diagnostics', { path: 'hello.ts' });
      assert.match(d.content, /^1 error in hello.ts:\nhello.ts:1:8 error: test problem/);
    } finally {
      coll.dispose();
    }
    const editor = await vscode.window.showTextDocument(hello);
    editor.selection = new vscode.Selection(0, 13, 0, 18);
    const e = await one('get_open_editors_and_selection', {});
    assert.match(e.content, /Active editor: hello.ts \(typescript\)\n {2}visible lines 1-\d+\n {2}selection 1:14-1:19:\n {2}```\n {2}greet\n/);
  });

  it('an approved propose_edit opens a diff, lands in the document, and one Undo restores it', async () => {
    const doc = await vscode.workspace.openTextDocument(hello);
    const call = start('propose_edit', { path: 'hello.ts', old_string: 'hi ${n}', new_string: 'hello, ${n}!' });
    await pending(call.id);
    await until('the proposed diff', () => proposedTabs(call.id).length === 1);
    const tab = proposedTabs(call.id)[0].input as vscode.TabInputTextDiff;
    assert.equal(tab.original.toString(), hello.toString(), 'the diff compares the real file with the proposal');
    assert.match((await vscode.workspace.openTextDocument(tab.modified)).getText(), /hello, \$\{n\}!/);
    assert.equal(await vscode.commands.executeCommand('claudeChat.approveEdit', tab.modified), true, 'the editor-title button passes the diff URI');
    const r = await call.done;
    assert.equal(r.isError, false, r.content);
    const edited = original.replace('hi ${n}', 'hello, ${n}!');
    assert.equal(doc.getText(), edited);
    assert.equal(readFileSync(hello.fsPath, 'utf8'), edited, 'saved');
    await until('the diff to close', () => proposedTabs(call.id).length === 0);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original, 'one Undo reverts the whole edit');
    await doc.save();
  });

  it('a rejected edit changes nothing', async () => {
    const doc = await vscode.workspace.openTextDocument(hello);
    const call = start('propose_edit', { path: 'hello.ts', content: 'export {};\n' });
    await pending(call.id);
    assert.equal(await vscode.commands.executeCommand('claudeChat.rejectEdit', call.id), true);
    const r = await call.done;
    assert.equal(r.isError, true);
    assert.match(r.content, /rejected/);
    assert.equal(doc.getText(), original);
    assert.equal(readFileSync(hello.fsPath, 'utf8'), original);
    assert.equal(await vscode.commands.executeCommand('claudeChat.rejectEdit', call.id), false, 'a settled edit cannot be decided again');
    await until('the diff to close', () => proposedTabs(call.id).length === 0);
  });

  it('create_file "allowed for this conversation" from the chat card, then a second edit goes through without asking', async () => {
    const first = start('create_file', { path: 'made-by-claude/new.ts', content: 'export const made = 1;\n' }, 'conv-always');
    await pending(first.id);
    await ext.chat.handle({ type: 'toolDecision', toolId: first.id, decision: 'always' });
    assert.equal((await first.done).isError, false);
    const created = join(root.fsPath, 'made-by-claude', 'new.ts');
    assert.equal(readFileSync(created, 'utf8'), 'export const made = 1;\n');
    const second = start('propose_edit', { path: 'made-by-claude/new.ts', old_string: '1', new_string: '2' }, 'conv-always');
    const r = await second.done;
    assert.equal(r.isError, false, r.content);
    assert.ok(!statuses.some((s) => s.id === second.id && s.status === 'pending-approval'), 'not asked again');
    assert.equal(readFileSync(created, 'utf8'), 'export const made = 2;\n');
    await until('every proposed diff to close', () => proposedTabs().length === 0);
  });

  it('Stop while an edit waits: cancelled by user, the diff closes, nothing written', async () => {
    const call = start('create_file', { path: 'made-by-claude/stopped.ts', content: 'x\n' });
    await pending(call.id);
    await until('the proposed diff', () => proposedTabs(call.id).length === 1);
    call.ac.abort();
    const r = await call.done;
    assert.deepEqual([r.isError, r.content], [true, 'cancelled by user']);
    await until('the diff to close', () => proposedTabs(call.id).length === 0);
    assert.equal(existsSync(join(root.fsPath, 'made-by-claude', 'stopped.ts')), false);
    assert.equal(await vscode.commands.executeCommand('claudeChat.approveEdit', call.id), false);
  });
});
