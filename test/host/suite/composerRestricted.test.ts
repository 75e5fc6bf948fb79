// Launched on its own with workspace trust on and the workspace NOT trusted (Restricted Mode; test/host/run.mjs):
// the repository's AGENTS.md and prompt files must not reach Claude, and the composer must say why.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClaudeChatApi } from '../../../src/extension';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';
import { activated } from './extension.test';

type Body = { system?: { text: string }[]; messages: { content: { text?: string }[] }[] };

describe('Composer in Restricted Mode (workspace trust on, workspace not trusted)', () => {
  let api: FakeApi;
  let ext: ClaudeChatApi;
  before(async () => {
    api = await startFakeApi();
    ext = await activated();
    await vscode.workspace.getConfiguration('claudeChat').update('baseURL', api.url, vscode.ConfigurationTarget.Global);
    await ext.keys.set(DEFAULT_TEST_KEY, api.url);
  });
  after(async () => {
    await ext.keys.clear();
    await vscode.workspace.getConfiguration('claudeChat').update('baseURL', undefined, vscode.ConfigurationTarget.Global);
    await api.close();
  });

  it('ignores the root AGENTS.md and the prompt files, shows why, and sends no instruction block', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this launch runs in Restricted Mode');
    const files = await vscode.workspace.findFiles('{AGENTS.md,.github/prompts/*.prompt.md}');
    assert.equal(files.length, 2, 'the repository does have an AGENTS.md and a prompt file');
    await ext.chat.composer!.pushInfo();
    const info = ext.chat.composer!.info();
    assert.deepEqual(info.instructions, []);
    assert.match(info.note ?? '', /^Restricted Mode: this workspace's instruction files \(AGENTS\.md, CLAUDE\.md…\) and prompt files are ignored/);
    assert.ok(!info.commands.some((c) => c.name === 'review'), 'no /review from the untrusted repository');
    assert.ok(info.commands.some((c) => c.name === 'explain'), 'the built-in commands are still there');
    await ext.chat.handle({ type: 'send', text: 'hi' });
    const body = api.messageRequests.at(-1)!.body as Body;
    assert.equal(body.system, undefined);
    assert.ok(!JSON.stringify(body).includes('Always answer in haiku'));
    await ext.chat.handle({ type: 'send', text: '/review now' });
    assert.equal(api.messageRequests.length, 1, 'the untrusted prompt file does not run');
  });
});
