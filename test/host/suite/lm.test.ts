// The vscode.lm integration inside a real VS Code (code-server 1.139): another extension (test/extensions/lm-consumer,
// installed as a .vsix) uses Claude through our provider; a tool of another extension (test/extensions/lm-tools)
// and of an MCP server (test/extensions/mcp-server, from .vscode/mcp.json) are called from our chat.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClaudeChatApi } from '../../../src/extension';
import type { Turn } from '../../../src/core/conversation';
import { DEFAULT_TEST_KEY, FakeApi, reply, startFakeApi } from '../../fake-api/server';
import type { AskArgs, AskResult } from '../../extensions/lm-consumer/extension';
import { activated } from './extension.test';

const VENDOR = 'claude-api-chat';
const CONSUMER = 'claude-test.lm-consumer';
const LONG = 'Please think about the weather in several cities and how it compares over the week. '.repeat(40);

const ask = (args: Partial<AskArgs>) => vscode.commands.executeCommand<AskResult>('claudeTest.consumer.ask', { vendor: VENDOR, id: 'claude-sonnet-5-5', prompt: 'hi', ...args });

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

type Body = { model: string; thinking?: unknown; tools?: { name: string; cache_control?: unknown }[]; system?: { cache_control?: unknown }[]; messages: { role: string; content: { type: string; cache_control?: unknown; content?: unknown; is_error?: boolean; text?: string }[] }[] };

function breakpoints(b: Body): string[] {
  const out: string[] = [];
  b.tools?.forEach((t, i) => t.cache_control && out.push(`tools[${i}]`));
  b.system?.forEach((s, i) => s.cache_control && out.push(`system[${i}]`));
  b.messages.forEach((m, i) => m.content.forEach((c, j) => c.cache_control && out.push(`messages[${i}].content[${j}]`)));
  return out;
}

describe('Claude as a language model provider, called by another extension', () => {
  let api: FakeApi;
  let ext: ClaudeChatApi;
  const config = () => vscode.workspace.getConfiguration('claudeChat');
  before(async () => {
    api = await startFakeApi();
    ext = await activated();
    await config().update('baseURL', api.url, vscode.ConfigurationTarget.Global);
    await ext.keys.set(DEFAULT_TEST_KEY, api.url);
    ext.lm.provider.refresh();
  });
  after(async () => {
    await config().update('languageModelProvider.enabled', undefined, vscode.ConfigurationTarget.Global);
    await ext.lm.consent.revoke(CONSUMER);
    await ext.keys.clear();
    await config().update('baseURL', undefined, vscode.ConfigurationTarget.Global);
    await api.close();
  });
  beforeEach(() => {
    api.reset();
    ext.usage.resetSession();
  });

  it('lists the models; the fake receives a well-formed request with cache_control and thinking; text and the tool call reach the consumer; usage shows in our status bar', async () => {
    assert.ok(ext.lm.testConsent, 'the test answerer exists in ExtensionMode.Test');
    ext.lm.testConsent.answer = 'allow';
    api.queue(reply.message([{ type: 'thinking', thinking: 'Oslo first.' }, { type: 'text', text: 'Checking Oslo.' }, { type: 'tool_use', id: 'toolu_host1', name: 'get_weather', input: { city: 'Oslo' } }]));
    const r = await ask({ prompt: LONG, withTool: true, countTokens: true });
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    const sonnet = r.models.find((m) => m.id === 'claude-sonnet-5-5');
    assert.ok(sonnet, `models: ${r.models.map((m) => m.id).join(', ')}`);
    assert.deepEqual([sonnet.vendor, sonnet.maxInputTokens], [VENDOR, 1_000_000]);
    assert.equal(r.text, 'Checking Oslo.');
    assert.deepEqual(r.toolCalls, [{ callId: 'toolu_host1', name: 'get_weather', input: { city: 'Oslo' } }]);
    assert.ok((r.tokens ?? 0) > 100, `countTokens answered ${r.tokens}`);
    assert.deepEqual(ext.lm.testConsent.asked, [CONSUMER], 'VS Code named the calling extension, and it was asked about');

    const body = api.messageRequests[0].body as Body;
    console.log(`      the fake received: model ${body.model}, thinking ${JSON.stringify(body.thinking)}, tools ${JSON.stringify(body.tools?.map((t) => t.name))}, breakpoints ${breakpoints(body).join(', ')}`);
    assert.deepEqual(body.thinking, { type: 'adaptive' });
    assert.deepEqual(body.tools?.map((t) => t.name), ['get_weather']);
    // One short tool is below the model's minimum cacheable prefix, so the plan spends no slot on it (core/cachePlan.ts).
    assert.deepEqual(breakpoints(body), ['messages[0].content[0]']);

    const last = ext.usage.tracker.lines.at(-1);
    assert.deepEqual([last?.kind, last?.caller], ['provider', CONSUMER]);
    assert.match(ext.usage.statusText(), /tok/);
    assert.match(ext.usage.tooltipMarkdown(), /sonnet-5-5 claude-test\.lm-consumer/, `the status bar tooltip names the calling extension: ${ext.usage.tooltipMarkdown()}`);
    const report = await ext.usage.reportData();
    assert.ok(report.callers.some((c) => c.caller === CONSUMER && c.requests >= 1), 'the usage report lists it');

    api.queue(reply.text('Sunny in Oslo.'));
    const r2 = await ask({ prompt: LONG, withTool: true, followUp: { text: 'Checking Oslo.', callId: 'toolu_host1', name: 'get_weather', input: { city: 'Oslo' }, result: 'sunny' } });
    assert.equal(r2.text, 'Sunny in Oslo.', JSON.stringify(r2.error));
    const u = api.messageRequests[1].usage!;
    const prompt = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;
    console.log(`      second request in the same chat: ${u.cache_read_input_tokens} of ${prompt} prompt tokens read from the cache (${((u.cache_read_input_tokens / prompt) * 100).toFixed(1)}%)`);
    assert.ok(u.cache_read_input_tokens > 0);
    const second = api.messageRequests[1].body as Body;
    assert.deepEqual(second.messages[1].content.map((c) => c.type), ['thinking', 'text', 'tool_use'], 'the thinking of the tool-use turn went back');
  });

  it('a denied extension gets NoPermissions and nothing is sent; Deny is remembered until revoked', async () => {
    await ext.lm.consent.revoke(CONSUMER);
    ext.lm.testConsent!.answer = 'deny';
    ext.lm.testConsent!.asked.length = 0;
    const r = await ask({ prompt: 'hello' });
    assert.match(r.error?.message ?? '', /may not use Claude with your API key/);
    await ask({ prompt: 'hello' });
    assert.deepEqual(ext.lm.testConsent!.asked, [CONSUMER]);
    assert.equal(api.messageRequests.length, 0);
    await ext.lm.consent.revoke(CONSUMER);
    ext.lm.testConsent!.answer = 'allow';
  });

  it('cancelling the request in the consumer aborts the HTTP request', async () => {
    api.queue({ kind: 'text', text: 'z'.repeat(3000), chunkSize: 10, delayMs: 30 });
    const started = Date.now();
    const r = await ask({ prompt: 'long please', cancelAfterParts: 2 });
    assert.equal(r.error, undefined);
    assert.ok(r.text.length < 3000, `stopped early (${r.text.length} chars)`);
    await until('the partial usage', () => ext.usage.tracker.lines.some((l) => l.kind === 'provider' && !l.exact));
    assert.ok(Date.now() - started < 8_000, 'did not wait for the whole reply (9 s at this pace)');
  });

  it('the setting turns the provider off', async () => {
    await config().update('languageModelProvider.enabled', false, vscode.ConfigurationTarget.Global);
    await until('the models to go', () => false, 300).catch(() => {});
    const r = await ask({ prompt: 'hello' });
    assert.deepEqual(r.models, []);
    await config().update('languageModelProvider.enabled', undefined, vscode.ConfigurationTarget.Global);
  });
});

describe('Tools of other extensions and MCP servers in our chat', () => {
  let api: FakeApi;
  let ext: ClaudeChatApi;
  const config = () => vscode.workspace.getConfiguration('claudeChat');
  before(async () => {
    api = await startFakeApi();
    ext = await activated();
    await config().update('baseURL', api.url, vscode.ConfigurationTarget.Global);
    await ext.keys.set(DEFAULT_TEST_KEY, api.url);
  });
  after(async () => {
    await ext.keys.clear();
    await config().update('baseURL', undefined, vscode.ConfigurationTarget.Global);
    await api.close();
  });
  beforeEach(async () => {
    api.reset();
    await ext.chat.newChat();
  });

  /** Sends `text` and waits until the call `toolId` waits for approval; returns the turn and the send's promise. */
  async function sendUntilPending(text: string): Promise<{ done: Promise<void>; turn: () => Turn; toolId: string }> {
    const done = ext.chat.handle({ type: 'send', text });
    const turn = () => ext.chat.session.history.at(-1)!;
    await until('a call waiting for approval', () => turn()?.blocks.some((b) => b.kind === 'tool_use' && b.toolStatus === 'pending-approval'));
    const toolId = turn().blocks.find((b) => b.kind === 'tool_use' && b.toolStatus === 'pending-approval')!.toolId!;
    return { done, turn, toolId };
  }
  /** The tool_result blocks of the newest request. */
  const results = () => (api.messageRequests.at(-1)!.body as Body).messages.flatMap((m) => m.content).filter((c) => c.type === 'tool_result');

  it("an extension's tool (registerTool): listed with its source, off until chosen; approval shows, the result returns in the next request, a rejection is an is_error", async () => {
    const entry = ext.lm.bridge.catalog().find((t) => t.name === 'fixture_readNote');
    assert.ok(entry, `vscode.lm.tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
    assert.deepEqual([entry.origin, entry.enabled], [{ kind: 'extension', id: 'claude-test.lm-tools', name: 'Fixture Tools (test)' }, false]);
    assert.ok(!ext.tools.definitions().some((d) => d.name === 'fixture_readNote'), 'not offered until the user turns it on');
    await ext.lm.bridge.setEnabled({ fixture_readNote: true });
    const def = ext.tools.definitions().find((d) => d.name === 'fixture_readNote');
    assert.ok(def, 'offered after the workspace tools');
    assert.deepEqual(def.input_schema, { type: 'object', properties: { id: { type: 'string', description: 'The note id, e.g. n1.' } }, required: ['id'], additionalProperties: false });

    api.queue(reply.toolUse('fixture_readNote', { id: 'n1' }), reply.text('Your note says to buy milk.'));
    const a = await sendUntilPending('What does note n1 say?');
    const use = a.turn().blocks.find((b) => b.toolId === a.toolId)!;
    assert.equal(use.toolSource, 'extension "Fixture Tools (test)" (claude-test.lm-tools)');
    await ext.chat.handle({ type: 'toolDecision', toolId: a.toolId, decision: 'approve' });
    await a.done;
    const [ok] = results();
    assert.equal(ok.is_error, undefined);
    assert.match(String(ok.content), /^Output of the tool "fixture_readNote" \(extension "Fixture Tools \(test\)" \(claude-test\.lm-tools\)\)\. It comes from outside/);
    assert.match(String(ok.content), /<tool-output>\nnote n1: buy milk\n<\/tool-output>$/);
    assert.equal(a.turn().blocks.find((b) => b.kind === 'tool_result')?.untrusted, true, 'marked untrusted in the transcript');

    api.queue(reply.toolUse('fixture_readNote', { id: 'n2' }), reply.text('Fine, I will not read it.'));
    const b = await sendUntilPending('And note n2?');
    await ext.chat.handle({ type: 'toolDecision', toolId: b.toolId, decision: 'reject' });
    await b.done;
    const rejected = results().at(-1)!;
    assert.equal(rejected.is_error, true);
    assert.match(String(rejected.content), /declined/);

    const calls = await vscode.commands.executeCommand<{ input: unknown }[]>('claudeTest.tools.calls');
    api.queue(reply.toolUse('fixture_readNote', { id: 5 }), reply.text('Oops.'));
    await ext.chat.handle({ type: 'send', text: 'Note five?' });
    const invalid = results().at(-1)!;
    assert.equal(invalid.is_error, true);
    assert.match(String(invalid.content), /input\/id: Instance type "number" is invalid\. Expected "string"/);
    assert.equal((await vscode.commands.executeCommand<unknown[]>('claudeTest.tools.calls')).length, calls.length, 'an invalid input never reached the tool');
  });

  it("Stop cancels a running tool of another extension through invokeTool's token", async () => {
    await ext.lm.bridge.setEnabled({ fixture_readNote: true });
    api.queue(reply.toolUse('fixture_readNote', { id: 'slow' }), reply.text('never sent'));
    const a = await sendUntilPending('Read the slow note');
    await ext.chat.handle({ type: 'toolDecision', toolId: a.toolId, decision: 'approve' });
    const use = () => a.turn().blocks.find((b) => b.toolId === a.toolId)!;
    await until('the tool to run', () => use().toolStatus === 'running');
    const calls = () => vscode.commands.executeCommand<{ input: { id?: string }; cancelled: boolean }[]>('claudeTest.tools.calls');
    await new Promise((r) => setTimeout(r, 200));
    ext.chat.session.stop();
    await a.done;
    let last: { input: { id?: string }; cancelled: boolean } | undefined;
    for (let i = 0; i < 100 && !last?.cancelled; i++) {
      last = (await calls()).at(-1);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(last, { input: { id: 'slow' }, cancelled: true }, 'the tool saw the cancellation');
    assert.equal(a.turn().status, 'stopped');
    assert.equal(api.messageRequests.length, 1, 'nothing more was sent');
  });

  it('MCP: a configured server is listed as not started until started; then its tool is called like any other', async () => {
    const servers = await ext.lm.servers();
    assert.ok(servers.some((s) => s.name === 'calc' && /server\.mjs$/.test(s.launch)), JSON.stringify(servers));
    assert.equal(vscode.lm.tools.some((t) => t.name.startsWith('mcp_calc_')), false, 'not started on demand (reference §2.6)');
    await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
    await until('mcp_calc_add', () => vscode.lm.tools.some((t) => t.name === 'mcp_calc_add'), 30_000);
    const add = vscode.lm.tools.find((t) => t.name === 'mcp_calc_add')!;
    assert.ok(add.tags.includes('mcp'));
    const entry = ext.lm.bridge.catalog().find((t) => t.name === 'mcp_calc_add');
    assert.deepEqual([entry?.origin, entry?.enabled], [{ kind: 'mcp', server: 'calc' }, true], 'MCP tools are on by default');

    api.queue(reply.toolUse('mcp_calc_add', { a: 2, b: 3 }), reply.text('2 + 3 = 5.'));
    const a = await sendUntilPending('What is 2 + 3?');
    assert.equal(a.turn().blocks.find((b) => b.toolId === a.toolId)?.toolSource, 'MCP server "calc"');
    await ext.chat.handle({ type: 'toolDecision', toolId: a.toolId, decision: 'workspace' });
    await a.done;
    assert.match(String(results()[0].content), /<tool-output>\n5\n<\/tool-output>$/);

    api.queue(reply.toolUse('mcp_calc_add', { a: 'x', b: 3 }), reply.text('Sorry.'));
    await ext.chat.handle({ type: 'send', text: 'x + 3?' });
    const bad = results().at(-1)!;
    assert.equal(bad.is_error, true, 'VS Code would have passed {a:"x"} on (reference §2.3); we refuse it');
    assert.match(String(bad.content), /input\/a: Instance type "string" is invalid\. Expected "number"/);

    api.queue(reply.toolUse('mcp_calc_add', { a: 40, b: 2 }), reply.text('42.'));
    await ext.chat.handle({ type: 'send', text: '40 + 2? (allowed in this workspace: no question)' });
    assert.match(String(results().at(-1)!.content), /\n42\n/);
  });
});
