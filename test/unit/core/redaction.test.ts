// The key never reaches a person's screen or a file through an error (issue 12 item 6). A gateway that echoes
// the key in its error bodies (test/support/keyEcho.ts) answers the real SDK; each sink is checked: what the
// webview would receive (the provider posts through redactDeep), the log lines (ChannelLogger), the messages
// shown in notifications and the chat (describeError), and exports. The key here is deliberately NOT shaped
// like an Anthropic key, so only knowing the current key can redact it.
import * as assert from 'node:assert/strict';
import { ApiKeyService } from '../../../src/core/apiKey';
import { batchReport } from '../../../src/core/batch/report';
import type { BatchResults } from '../../../src/core/batch/results';
import type { PendingBatch } from '../../../src/core/batch/types';
import { newConversation } from '../../../src/core/conversation';
import { describeError } from '../../../src/core/errors';
import { toMarkdown } from '../../../src/core/exportMarkdown';
import { Connect } from '../../../src/core/keyRoute';
import type { SecretStore } from '../../../src/core/ports';
import { forgetSecretsForTest, redact, redactDeep, rememberSecret } from '../../../src/core/redact';
import { createClient } from '../../../src/core/sdk';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { ChannelLogger } from '../../../src/host/logger';
import { ModelService } from '../../../src/host/models';
import type { HostToWebview } from '../../../src/shared/protocol';
import { KeyEcho, startKeyEcho } from '../../support/keyEcho';
import { FakeClock, lastTurnEnd, recordedSession } from './helpers';

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

/** A LogOutputChannel's three methods, recording what would be written. */
function recordingChannel() {
  const lines: string[] = [];
  return { lines, channel: { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } };
}

/** Built at run time so no key-shaped literal sits in the sources. */
const keyShaped = () => ['sk', 'ant', 'api03', 'Zx9'.repeat(30) + '-AbCdEfAA'].join('-');

describe('redaction: the key never reaches the view, the log, a notification or an export', () => {
  let echo: KeyEcho;
  let key: string;
  const connect: Connect = (apiKey, baseURL) => createClient({ apiKey, baseURL: baseURL ?? echo.url });
  before(async () => {
    echo = await startKeyEcho();
  });
  after(() => echo.close());
  beforeEach(() => {
    forgetSecretsForTest();
    echo.requests.length = 0;
    key = `test-echo-key-${Math.random().toString(36).slice(2)}-0000000000`;
  });

  /** Resolves the key the way the extension does (SecretStorage), which is how redaction learns it. */
  async function keysWithStoredKey(): Promise<ApiKeyService> {
    const secrets = new MemorySecrets();
    await secrets.store('claudeChat.apiKey', key);
    const keys = new ApiKeyService(secrets, connect, {});
    assert.equal((await keys.resolve()).key, key);
    return keys;
  }

  function assertClean(where: string, text: unknown): void {
    const s = typeof text === 'string' ? text : JSON.stringify(text);
    assert.ok(s.length > 0, `${where}: nothing to check`);
    assert.ok(!s.includes(key), `${where} contains the key: ${s}`);
  }

  it('the token estimate (count_tokens) error, as posted to the webview and logged', async () => {
    const keys = await keysWithStoredKey();
    const { session } = recordedSession({
      apiKey: async () => (await keys.resolve()).key,
      settings: () => ({ model: 'claude-sonnet-5-5', maxTokens: 256, baseURL: echo.url }),
      clock: new FakeClock(),
      clientFactory: connect,
    });
    let raw: unknown;
    await session.countTokens('draft').catch((e: unknown) => (raw = e));
    assert.ok(raw, 'count_tokens failed');
    assert.ok(String((raw as Error).message).includes(key), 'the echo server did echo the key (the test can fail)');
    assert.equal(echo.requests.at(-1)?.path, '/v1/messages/count_tokens');
    // What chatController.scheduleEstimate posts: describeError(e) with no key passed.
    const message: HostToWebview = { type: 'estimate', error: describeError(raw).message };
    assertClean('estimate message', message);
    // The webview sink (ChatViewProvider.post) gets even a raw, unredacted message clean.
    assertClean('webview sink', redactDeep({ type: 'estimate', error: (raw as Error).message } as HostToWebview));
    const log = recordingChannel();
    new ChannelLogger(log.channel).warn(`estimate failed: ${String(raw)} ${JSON.stringify((raw as { error?: unknown }).error)}`);
    assertClean('log line', log.lines[0]);
  });

  it('the model list error (shown in the model picker) and its log line', async () => {
    const keys = await keysWithStoredKey();
    const r = await new ModelService(keys, connect).list(true);
    assert.equal(echo.requests.at(-1)?.path, '/v1/models');
    assertClean('models error', r.error);
    assertClean('webview sink', redactDeep({ type: 'models', models: [], current: 'm', error: r.error } as HostToWebview));
  });

  it('the Set API Key check: the message in the notification does not show the key being checked', async () => {
    const keys = new ApiKeyService(new MemorySecrets(), connect, {});
    const check = await keys.set(key);
    assert.equal(echo.requests.at(-1)?.path, '/v1/models');
    assert.equal(echo.requests.at(-1)?.key, key, 'the check did send the key to the server');
    assert.ok(!check.ok);
    assertClean('key check message', !check.ok && check.message);
    const log = recordingChannel();
    new ChannelLogger(log.channel).error(`key check: ${!check.ok && check.message}; echo said ${echo.requests.at(-1)?.key}`);
    assertClean('log line', log.lines[0]);
  });

  it('a chat request: the turn error, the engine\'s log, the exported Markdown', async () => {
    const keys = await keysWithStoredKey();
    const log = recordingChannel();
    const { session, rec } = recordedSession({
      apiKey: async () => (await keys.resolve()).key,
      settings: () => ({ model: 'claude-sonnet-5-5', maxTokens: 256, baseURL: echo.url, maxAttempts: 1 }),
      logger: new ChannelLogger(log.channel),
      clock: new FakeClock(),
      clientFactory: connect,
    });
    await session.send('hello');
    const turn = lastTurnEnd(rec);
    assert.equal(turn.status, 'error');
    assertClean('turn error', turn.error?.message);
    assert.ok(log.lines.length > 0);
    for (const l of log.lines) assertClean('engine log', l);
    // An export of a conversation whose error was saved unredacted (before this fix) is clean too.
    const conv = newConversation();
    conv.turns.push({ id: 't1', userText: 'hi', model: 'claude-sonnet-5-5', blocks: [], status: 'error', error: { message: `400 invalid key ${key}` } });
    assertClean('export', toMarkdown(conv));
  });

  it('a batch report: per-file errors that echo the key are redacted', () => {
    rememberSecret(key);
    const pending: PendingBatch = { id: 'msgbatch_1', created: 0, model: 'claude-sonnet-5-5', instruction: 'Review.', maxTokens: 100, baseURL: echo.url, workspace: 'ws', files: {} };
    const results: BatchResults = {
      results: [{ customId: 'f0', kind: 'errored', reason: `invalid_request_error: bad key ${key}` }],
      counts: { processing: 0, succeeded: 0, errored: 1, canceled: 0, expired: 0, missing: 0 },
      usage: [],
      retry: {},
    };
    assertClean('batch report', batchReport({ pending, results, book: PriceBook.builtIn() }));
  });

  it('redact(): remembered keys, key-shaped tokens and auth header values; nothing else changes', () => {
    rememberSecret(key);
    const shaped = keyShaped();
    const text = `a ${key} b ${shaped} c x-api-key: abc123def d "authorization":"Bearer tok.en-42" e Proxy-Authorization=Basic dXNlcjpwdw== f`;
    const out = redact(text);
    for (const secret of [key, shaped, 'abc123def', 'tok.en-42', 'dXNlcjpwdw==']) assert.ok(!out.includes(secret), `${secret} left in ${out}`);
    assert.match(out, /^a \[redacted\] b sk-ant-\[redacted\] c x-api-key: \[redacted\] d "authorization":"Bearer \[redacted\]" e Proxy-Authorization=Basic \[redacted\] f$/);
    // Code in a reply keeps its auth headers in the view and in exports (Insert/Apply must not write "[redacted]");
    // the key itself is still taken out there.
    const code = "fetch(url, { headers: { 'x-api-key': apiKey, Authorization: `Bearer ${token}` } }); // " + key;
    const viewed = redactDeep({ type: 'blockDelta', turnId: 't', blockId: 'b', text: code });
    assert.equal(viewed.text, code.replace(key, '[redacted]'));
    assert.equal(redact(code, { headerValues: false }), code.replace(key, '[redacted]'));
    assert.match(redact(code), /'x-api-key': \[redacted\]/, 'the log and error text redact header values');
    const plain = 'The x-api-key header is required. Use the model picker.';
    assert.equal(redact(plain), plain, 'ordinary text is left alone');
    assert.equal(redact('api key abc'), 'api key abc');
    // A message that needs no redaction is not copied; a nested one is.
    const clean = { type: 'notice', message: 'ok' } as const;
    assert.equal(redactDeep(clean), clean);
    const nested = { type: 'state', state: { turns: [{ error: { message: key } }] } };
    assertClean('nested', redactDeep(nested));
    assert.ok(JSON.stringify(nested).includes(key), 'the original is not mutated');
    let deep: unknown = key;
    for (let i = 0; i < 200; i++) deep = { d: deep };
    assertClean('deep', redactDeep(deep));
  });
});
