import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClaudeChatApi } from '../../../src/extension';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';

export const EXTENSION_ID = 'claude-api-chat.claude-api-chat';

export async function activated(): Promise<ClaudeChatApi> {
  const ext = vscode.extensions.getExtension<ClaudeChatApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  const api = await ext.activate();
  assert.ok(api, 'activate() returns its API to the extension\'s own tests (ExtensionMode.Test)');
  return api;
}

describe('Extension in a real VS Code host', () => {
  let api: FakeApi;
  let ext: ClaudeChatApi;
  before(async () => {
    api = await startFakeApi();
    ext = await activated();
    await vscode.workspace.getConfiguration('claudeChat').update('baseURL', api.url, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await ext.keys.clear();
    await vscode.workspace.getConfiguration('claudeChat').update('baseURL', undefined, vscode.ConfigurationTarget.Global);
    await api.close();
  });

  const bundle = (name: string) => join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', name);
  const loaded = (name: string) => Object.keys(require.cache).includes(bundle(name));

  it('activates without parsing the Anthropic SDK (the first request loads it), and reports how long it took', () => {
    assert.ok(Number.isFinite(ext.activationMs) && ext.activationMs > 0, String(ext.activationMs));
    assert.equal(loaded('extension.js'), true, 'the extension came through require, so the next check means something');
    assert.equal(loaded('sdk.js'), false, 'activation left dist/sdk.js alone');
  });

  it('registers every contributed command', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = pkg.contributes.commands.map((c) => c.command).filter((c) => !all.has(c));
    assert.deepEqual(missing, []);
    assert.ok(pkg.contributes.commands.length >= 4);
  });

  it('stores a validated key in SecretStorage and clears it', async () => {
    await ext.keys.clear();
    assert.equal((await ext.keys.resolve()).source, 'none');
    const check = await ext.keys.set(DEFAULT_TEST_KEY, api.url);
    assert.deepEqual(check, { ok: true });
    assert.equal(loaded('sdk.js'), true, 'the key check was the first request: it loaded the SDK');
    assert.deepEqual(await ext.keys.resolve(), { key: DEFAULT_TEST_KEY, source: 'secret' });
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('claudeChat'));
    assert.ok(!settingsText.includes(DEFAULT_TEST_KEY), 'the key is not in settings');
    await ext.keys.clear();
    assert.equal((await ext.keys.resolve()).source, 'none');
  });

  it('does not store a key the API rejects', async () => {
    const r = await ext.keys.set('sk-ant-test.rejected-key-000000000000', api.url);
    assert.equal(r.ok, false);
    assert.equal((await ext.keys.resolve()).source, 'none');
  });
});
