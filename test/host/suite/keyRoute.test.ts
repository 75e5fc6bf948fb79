// Where the API key goes, inside a real VS Code (issue 12 items 1 and 6):
// - a cloned repository's .vscode/settings.json points claudeChat.baseURL at a second server; setting the key,
//   opening the view, refreshing the models, chatting and the token estimate send nothing to it;
// - a server that echoes the key in its errors: nothing the chat view receives, and no log line, contains it.
// The approval modal is confirmed by the smoke-test driver here; the refusal path is tested in
// test/unit/core/keyRoute.test.ts through the HostApproval port.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ApiKeyService } from '../../../src/core/apiKey';
import { ConversationStore } from '../../../src/core/conversationStore';
import type { SecretStore } from '../../../src/core/ports';
import type { ClaudeChatApi } from '../../../src/extension';
import { ChatController } from '../../../src/host/chatController';
import { ChatViewProvider } from '../../../src/host/chatViewProvider';
import { DiffProposals } from '../../../src/host/diffProposals';
import { ChannelLogger } from '../../../src/host/logger';
import { ModelService } from '../../../src/host/models';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';
import { KeyEcho, startKeyEcho } from '../../support/keyEcho';
import { activated, EXTENSION_ID } from './extension.test';

const config = () => vscode.workspace.getConfiguration('claudeChat');

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const carriesKey = (api: FakeApi, key: string) => api.requests.filter((r) => JSON.stringify(r.headers).includes(key));

describe('Key route in a real VS Code host: a repository cannot choose where the key goes', () => {
  let user: FakeApi;
  let repo: FakeApi;
  let ext: ClaudeChatApi;
  let settingsFile: vscode.Uri;
  let previous: Uint8Array | undefined;

  before(async () => {
    user = await startFakeApi();
    repo = await startFakeApi();
    ext = await activated();
    await config().update('baseURL', user.url, vscode.ConfigurationTarget.Global);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the host tests open a workspace folder');
    settingsFile = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
    previous = await Promise.resolve(vscode.workspace.fs.readFile(settingsFile)).catch(() => undefined);
    // What a cloned repository can ship. The systemPrompt line is a window-scoped marker: once VS Code reports it
    // as a workspace value, it has read the file (application-scoped baseURL is not reported at all).
    const marker = `from the repository ${Date.now()}`;
    const text = JSON.stringify({ 'claudeChat.baseURL': repo.url, 'claudeChat.systemPrompt': marker }, null, 2);
    await vscode.workspace.fs.writeFile(settingsFile, Buffer.from(text, 'utf8'));
    await until('VS Code to read the workspace settings', () => config().inspect('systemPrompt')?.workspaceValue === marker);
  });

  after(async () => {
    await ext.keys.clear();
    if (previous) await vscode.workspace.fs.writeFile(settingsFile, previous);
    else await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
    await config().update('baseURL', undefined, vscode.ConfigurationTarget.Global);
    await user.close();
    await repo.close();
  });

  it('set the key, open the view, refresh the models, chat, estimate: the workspace\'s server receives nothing', async () => {
    const inspected = config().inspect('baseURL');
    console.log(`claudeChat.baseURL as VS Code reports it: global=${String(inspected?.globalValue)} workspace=${String(inspected?.workspaceValue)} folder=${String(inspected?.workspaceFolderValue)} effective=${String(config().get('baseURL'))}`);
    user.reset();
    repo.reset();
    await ext.keys.clear();
    const check = await ext.keys.set(DEFAULT_TEST_KEY); // no explicit URL: where Set API Key's check goes
    assert.deepEqual(check, { ok: true });
    await vscode.commands.executeCommand('claudeChat.focus');
    await ext.chat.handle({ type: 'refreshModels' });
    await ext.chat.newChat();
    await ext.chat.handle({ type: 'send', text: 'hello from a cloned repository' });
    await ext.chat.session.countTokens('a draft');
    assert.equal(ext.chat.session.history.at(-1)?.status, 'complete', JSON.stringify(ext.chat.session.history.at(-1)?.error));
    assert.deepEqual(repo.requests.map((r) => `${r.method} ${r.path}`), [], 'the repository\'s server received no request');
    const paths = new Set(carriesKey(user, DEFAULT_TEST_KEY).map((r) => `${r.method} ${r.path}`));
    for (const p of ['GET /v1/models', 'POST /v1/messages', 'POST /v1/messages/count_tokens']) assert.ok(paths.has(p), `the user's server got ${p}: ${[...paths].join(', ')}`);
    assert.equal(ext.route.currentBaseURL(), user.url);
    const asked = ext.hostApproval?.asked ?? [];
    assert.ok(!asked.includes(`127.0.0.1:${new URL(repo.url).port}`), `never even asked about the repository's host: ${asked.join(', ')}`);
  });

  it('a host the user declines: Set API Key, the model list and the chat send nothing and say why', async () => {
    assert.ok(ext.hostApproval, 'the test answer port exists in ExtensionMode.Test');
    const other = await startFakeApi();
    try {
      ext.hostApproval.answer = false;
      // Wait for the change event too: the route forgets earlier "no" answers on it, and must have done so already.
      let seen = false;
      const sub = vscode.workspace.onDidChangeConfiguration((e) => (seen ||= e.affectsConfiguration('claudeChat.baseURL')));
      await config().update('baseURL', other.url, vscode.ConfigurationTarget.Global);
      await until('the baseURL change event', () => seen && ext.route.currentBaseURL() === other.url).finally(() => sub.dispose());
      const hostPort = `127.0.0.1:${new URL(other.url).port}`;
      const check = await ext.keys.set(DEFAULT_TEST_KEY);
      assert.ok(!check.ok && check.message.includes(`Nothing was sent: your API key may not go to ${hostPort}`), JSON.stringify(check));
      await ext.chat.newChat();
      await ext.chat.handle({ type: 'refreshModels' });
      await ext.chat.handle({ type: 'send', text: 'hello' });
      const turn = ext.chat.session.history.at(-1);
      assert.equal(turn?.status, 'error');
      assert.match(turn?.error?.message ?? '', /Nothing was sent/);
      assert.equal(turn?.error?.action, 'openSettings');
      assert.equal(other.requests.length, 0, 'nothing reached the declined host');
      assert.equal(ext.hostApproval.asked.filter((h) => h === hostPort).length, 1, 'asked once; the "no" is remembered, the model list and the chat did not ask again');
    } finally {
      ext.hostApproval.answer = true;
      await config().update('baseURL', user.url, vscode.ConfigurationTarget.Global);
      await other.close();
    }
  });

  it('package.json declares baseURL application-scoped and restricted in untrusted workspaces', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
      capabilities: { untrustedWorkspaces: { restrictedConfigurations?: string[] } };
    };
    assert.equal(pkg.contributes.configuration.properties['claudeChat.baseURL'].scope, 'application');
    // The web tools' switch is restricted too (issue 18): a repository must not turn on fetching for the model; and the
    // summarizing model (issue 16): a repository must not pick what the summaries cost.
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['claudeChat.baseURL', 'claudeChat.compaction.model', 'claudeChat.web.enabled']);
  });
});

class MemorySecrets implements SecretStore {
  readonly map = new Map<string, string>();
  async get(k: string) {
    return this.map.get(k);
  }
  async store(k: string, v: string) {
    this.map.set(k, v);
  }
  async delete(k: string) {
    this.map.delete(k);
  }
}

/** A WebviewView whose webview records every message the provider posts: exactly what the webview receives. */
function recordingView() {
  const received: unknown[] = [];
  const fromWebview = new vscode.EventEmitter<unknown>();
  const disposed = new vscode.EventEmitter<void>();
  const webview = {
    options: {},
    html: '',
    cspSource: 'https://test.vscode-cdn.net',
    asWebviewUri: (u: vscode.Uri) => u,
    postMessage: async (m: unknown) => {
      received.push(m);
      return true;
    },
    onDidReceiveMessage: fromWebview.event,
  };
  const view = { webview, visible: true, onDidDispose: disposed.event, onDidChangeVisibility: new vscode.EventEmitter<void>().event };
  return { view: view as unknown as vscode.WebviewView, received, send: (m: unknown) => fromWebview.fire(m), dispose: () => (fromWebview.dispose(), disposed.dispose()) };
}

describe('Redaction in a real VS Code host: a server that echoes the key', () => {
  let echo: KeyEcho;
  let ext: ClaudeChatApi;
  let storage: string;
  const key = `test-echo-key-${Date.now().toString(36)}-00000000`;

  before(async () => {
    echo = await startKeyEcho();
    ext = await activated();
    await config().update('baseURL', echo.url, vscode.ConfigurationTarget.Global);
    storage = mkdtempSync(join(tmpdir(), 'claude-redact-host-'));
  });
  after(async () => {
    await config().update('baseURL', undefined, vscode.ConfigurationTarget.Global);
    rmSync(storage, { recursive: true, force: true });
    await echo.close();
  });

  it('nothing the chat view receives and no log line contains the key: estimate, model list, chat, key check', async () => {
    const lines: string[] = [];
    const logger = new ChannelLogger({ info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) });
    const secrets = new MemorySecrets();
    await secrets.store('claudeChat.apiKey', key);
    const keys = new ApiKeyService(secrets, ext.route.client, {});
    const provider = new ChatViewProvider(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, logger);
    const proposals = new DiffProposals();
    const host = new ChatController(provider, proposals, { keys, connect: ext.route.client, logger, store: new ConversationStore(storage, logger), models: new ModelService(keys, ext.route.client), approvals: { decide: () => false } });
    const controller = host.app;
    provider.setHandler(controller);
    const v = recordingView();
    try {
      provider.resolveWebviewView(v.view);
      v.send({ type: 'ready' });
      // What the page gets: messages posted together arrive as one {type: 'batch', messages} (core/chat/postBatcher.ts).
      const all = () => v.received.flatMap((m) => ((m as { type: string }).type === 'batch' ? (m as { messages: unknown[] }).messages : [m]));
      const got = (type: string) => all().filter((m) => (m as { type: string }).type === type) as { error?: unknown }[];
      await until('the model list (with its error)', () => got('models').some((m) => m.error));
      await controller.handle({ type: 'refreshModels' });
      await controller.handle({ type: 'draft', text: 'how long is this?' });
      await until('the token estimate error', () => got('estimate').some((m) => m.error));
      await controller.handle({ type: 'send', text: 'hello' });
      await until('the failed turn', () => got('turnEnd').length > 0);
      const check = await keys.set(key);
      assert.ok(!check.ok);
      logger.error(`Set API Key failed: ${check.message}`);
      provider.post({ type: 'notice', message: `anything posted is redacted at the sink: ${key}` });
      await new Promise((r) => setImmediate(r)); // the batch it is in leaves after this turn of the event loop
      assert.ok(got('notice').some((m) => JSON.stringify(m).includes('redacted at the sink')), 'the notice reached the view');

      const paths = new Set(echo.requests.filter((r) => r.key === key).map((r) => r.path));
      for (const p of ['/v1/models', '/v1/messages/count_tokens', '/v1/messages']) assert.ok(paths.has(p), `the echo server got the key on ${p} (so the test can fail): ${[...paths].join(', ')}`);
      const shown = JSON.stringify(v.received);
      assert.ok(shown.includes('[redacted]'), 'the echoed key was there, redacted');
      assert.ok(!shown.includes(key), `the webview received the key: ${shown.slice(shown.indexOf(key) - 200, shown.indexOf(key) + 50)}`);
      assert.ok(!check.ok && !check.message.includes(key), 'the key check\'s notification text');
      assert.ok(lines.length > 0);
      for (const l of lines) assert.ok(!l.includes(key), `log line: ${l}`);
    } finally {
      host.dispose();
      proposals.dispose();
      provider.dispose();
      v.dispose();
    }
  });
});
