// Long sessions inside a real VS Code: a small-window model (its window from GET /v1/models) compacts and goes on;
// an agent turn edits two files, and Restore checkpoint shows the diff, puts both back (saved) and rewinds the
// conversation. VS Code refuses modal dialogs in its own tests, so the modal's answer is queued through the test-only
// `restoreAnswers`; the real modal, the rendered divider and the single Undo are driven in the real view by
// test/host/ui/longSession.test.mjs.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClaudeChatApi } from '../../../src/extension';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';
import { activated } from './extension.test';

const SMALL = 'claude-small-host';

describe('Long sessions in a real VS Code host', () => {
  let api: FakeApi;
  let ext: ClaudeChatApi;
  let root: string;
  const config = () => vscode.workspace.getConfiguration('claudeChat');
  const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 20_000) => {
    const end = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  before(async () => {
    // Released "before 2026-02": /v1/models reports no compaction support, so the chat summarizes with its cheap model.
    api = await startFakeApi({ models: [{ id: SMALL, display_name: 'Small window (test)', max_input_tokens: 6000, max_tokens: 64_000, created_at: '2025-06-01T00:00:00Z' }] });
    ext = await activated();
    await ext.keys.set(DEFAULT_TEST_KEY, api.url);
    await config().update('baseURL', api.url, vscode.ConfigurationTarget.Global);
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
  });
  after(async () => {
    await ext.keys.clear();
    for (const k of ['baseURL', 'model']) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of ['one.txt', 'two.txt']) rmSync(join(root, f), { force: true });
    await api.close();
  });
  beforeEach(async () => {
    api.reset();
    // The fake cannot summarize: summarization requests get a short summary, everything else the default echo.
    api.setResponder((r) => (JSON.stringify((r.body as { system?: unknown }).system ?? '').includes('running summary') ? { kind: 'text', text: '- The user sent long test messages; Claude echoed them.' } : undefined));
    await ext.chat.newChat();
  });

  it('an untrusted workspace cannot choose the summarizing model (it spends the user\'s money in the background)', () => {
    const pkg = vscode.extensions.getExtension('claude-api-chat.claude-api-chat')!.packageJSON as { capabilities: { untrustedWorkspaces: { restrictedConfigurations?: string[] } } };
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations?.includes('claudeChat.compaction.model'));
  });

  it('fills a small-window model until compaction fires; the divider is in the state; the next reply works', async function () {
    this.timeout(90_000);
    await config().update('model', SMALL, vscode.ConfigurationTarget.Global);
    await ext.chat.pushModels(true); // the catalog learns the 6,000-token window from GET /v1/models
    for (let i = 0; i < 12 && !ext.chat.session.conversation.compactions?.length; i++) await ext.chat.handle({ type: 'send', text: `message ${i} ` + 'y'.repeat(1500) });
    const conv = ext.chat.session.conversation;
    assert.equal(conv.compactions?.length, 1, 'compacted');
    assert.ok(conv.turns.every((t) => t.status === 'complete'), conv.turns.map((t) => t.error?.message).join('; '));
    assert.ok(!api.messageRequests.some((r) => r.error), 'no request refused');
    const state = await ext.chat.state();
    assert.equal(state.compactions?.[0].turnId, conv.compactions![0].turnId, 'the view gets the divider');
    assert.ok(state.meter && state.meter.window === 6000, `the meter uses the real window: ${JSON.stringify(state.meter)}`);
    await ext.chat.handle({ type: 'send', text: 'and one more short message' });
    assert.equal(ext.chat.session.history.at(-1)!.status, 'complete');
    assert.match(JSON.stringify(api.messageRequests.at(-1)!.body), /conversation-summary/);
  });

  it('an agent turn edits two files; Restore checkpoint shows the diff, reverts both and rewinds the conversation', async function () {
    this.timeout(90_000);
    await config().update('model', 'claude-sonnet-5-5', vscode.ConfigurationTarget.Global);
    writeFileSync(join(root, 'one.txt'), 'one: first\n');
    writeFileSync(join(root, 'two.txt'), 'two: first\n');
    await ext.chat.handle({ type: 'send', text: 'hello before the edits' });
    const edit = (path: string, from: string, to: string) => ({ type: 'tool_use' as const, name: 'propose_edit', input: { path, old_string: from, new_string: to } });
    api.queue({ kind: 'message', blocks: [edit('one.txt', 'first', 'second'), edit('two.txt', 'first', 'second')] }, { kind: 'text', text: 'Both changed.' });
    const done = ext.chat.handle({ type: 'send', text: 'change both files' });
    // Approve each proposed edit from the chat card's message, as the user would.
    let finished = false;
    void done.then(() => (finished = true));
    await until('the turn to end', async () => {
      for (const b of ext.chat.session.history.at(-1)?.blocks ?? []) {
        if (b.kind === 'tool_use' && b.toolStatus === 'pending-approval') await ext.chat.handle({ type: 'toolDecision', toolId: b.toolId!, decision: 'approve' });
      }
      return finished;
    });
    await done;
    const read = (f: string) => readFileSync(join(root, f), 'utf8');
    assert.equal(read('one.txt'), 'one: second\n');
    assert.equal(read('two.txt'), 'two: second\n');
    const turn = ext.chat.session.history.at(-1)!;
    assert.deepEqual(turn.checkpoint?.files.map((f) => f.path), ['one.txt', 'two.txt']);
    // The diff opens before the question; VS Code refuses modals in its own tests, so the answer comes from the test.
    let diffShown = false;
    const tabs = vscode.window.tabGroups.onDidChangeTabs(() => {
      diffShown ||= vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => /Restore checkpoint: 2 files/.test(t.label));
    });
    ext.restoreAnswers!.push('Restore and Rewind Conversation');
    await ext.chat.handle({ type: 'restoreCheckpoint', turnId: turn.id });
    tabs.dispose();
    assert.equal(diffShown, true, 'the multi-file diff of what is reverted was shown');
    await until('both files restored on disk', () => read('one.txt') === 'one: first\n' && read('two.txt') === 'two: first\n');
    const docs = await Promise.all(['one.txt', 'two.txt'].map((f) => vscode.workspace.openTextDocument(vscode.Uri.file(join(root, f)))));
    assert.deepEqual(docs.map((d) => d.getText()), ['one: first\n', 'two: first\n']);
    assert.ok(docs.every((d) => !d.isDirty), 'saved');
    const diffTabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => /Restore checkpoint/.test(t.label));
    assert.equal(diffTabs.length, 0, 'the restore diff closes once applied');
    assert.equal(ext.restoreAnswers!.length, 0, 'the modal was asked once');
    assert.deepEqual(ext.chat.session.history.map((t) => t.userText), ['hello before the edits'], 'rewound to before the agent turn');
    await ext.chat.handle({ type: 'send', text: 'after the rewind' });
    assert.equal(ext.chat.session.history.at(-1)!.status, 'complete', 'the rewound conversation goes on');
  });
});
