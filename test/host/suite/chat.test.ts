import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClaudeChatApi } from '../../../src/extension';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';
import { activated } from './extension.test';

describe('Chat controller in a real VS Code host', () => {
  let api: FakeApi;
  let ext: ClaudeChatApi;
  const config = () => vscode.workspace.getConfiguration('claudeChat');
  before(async () => {
    api = await startFakeApi();
    ext = await activated();
    await ext.keys.set(DEFAULT_TEST_KEY, api.url);
    await config().update('baseURL', api.url, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await ext.keys.clear();
    for (const k of ['baseURL', 'model', 'maxTokens']) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    await api.close();
  });
  beforeEach(async () => {
    api.reset();
    await ext.chat.newChat();
  });

  it('settings apply to the next request without a reload', async () => {
    await config().update('model', 'claude-haiku-5-5', vscode.ConfigurationTarget.Global);
    await config().update('maxTokens', 777, vscode.ConfigurationTarget.Global);
    await ext.chat.handle({ type: 'send', text: 'hello from the host' });
    const body = api.messageRequests[0].body as { model: string; max_tokens: number };
    assert.equal(body.model, 'claude-haiku-5-5');
    assert.equal(body.max_tokens, 777);
    const state = await ext.chat.state();
    assert.equal(state.model, 'claude-haiku-5-5');
    assert.equal(state.turns[0].status, 'complete');
    assert.equal(state.turns[0].blocks[0].text, 'You said: hello from the host');
  });

  it('the Stop command aborts a streaming reply and keeps its partial text', async () => {
    api.queue({ kind: 'text', text: 'y'.repeat(2000), chunkSize: 10, delayMs: 15 });
    const done = ext.chat.handle({ type: 'send', text: 'long one' });
    const deadline = Date.now() + 10_000;
    while (!(ext.chat.session.history[0]?.blocks[0]?.text.length >= 30) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await vscode.commands.executeCommand('claudeChat.stop');
    await done;
    const turn = ext.chat.session.history[0];
    assert.equal(turn.status, 'stopped');
    assert.ok(turn.blocks[0].text.length >= 30 && turn.blocks[0].text.length < 2000, `partial length ${turn.blocks[0].text.length}`);
  });

  it('New Chat empties the conversation', async () => {
    await ext.chat.handle({ type: 'send', text: 'remember me' });
    assert.equal((await ext.chat.state()).turns.length, 1);
    await vscode.commands.executeCommand('claudeChat.newChat');
    assert.equal((await ext.chat.state()).turns.length, 0);
  });
});

describe('Per-conversation system prompt in a real VS Code host', () => {
  let api: FakeApi;
  let ext: ClaudeChatApi;
  before(async () => {
    api = await startFakeApi();
    ext = await activated();
    await ext.keys.set(DEFAULT_TEST_KEY, api.url);
    await vscode.workspace.getConfiguration('claudeChat').update('baseURL', api.url, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('claudeChat').update('systemPrompt', 'From the setting.', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await ext.keys.clear();
    for (const k of ['baseURL', 'systemPrompt']) await vscode.workspace.getConfiguration('claudeChat').update(k, undefined, vscode.ConfigurationTarget.Global);
    await api.close();
  });

  it('the setting is sent as the system block until the conversation overrides it', async () => {
    await ext.chat.newChat();
    await ext.chat.handle({ type: 'send', text: 'one' });
    const sys = (i: number) => JSON.stringify((api.messageRequests[i].body as { system?: unknown }).system);
    assert.match(sys(0), /From the setting\./);
    ext.chat.session.conversation.systemPrompt = 'Only for this chat.';
    await ext.chat.handle({ type: 'send', text: 'two' });
    assert.match(sys(1), /Only for this chat\./);
    assert.doesNotMatch(sys(1), /From the setting/);
  });
});
