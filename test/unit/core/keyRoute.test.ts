// Where the API key may go (issue 12 item 1): only the user's own baseURL counts, plain http only to loopback,
// and before the key first goes to a host other than api.anthropic.com the user allows that host. Through the real
// SDK against fake APIs on 127.0.0.1; the refusal path through the HostApproval port (the modal in the extension).
import * as assert from 'node:assert/strict';
import { ApiKeyService } from '../../../src/core/apiKey';
import { runRefactor } from '../../../src/core/editor/refactor';
import { ANTHROPIC_BASE_URL, Endpoint, EndpointError, parseEndpoint, SettingInspection, userBaseURL } from '../../../src/core/endpoint';
import { describeError } from '../../../src/core/errors';
import { ApprovedHosts, HostApproval, HostDeclinedError, KeyRoute } from '../../../src/core/keyRoute';
import { ModelCatalog } from '../../../src/core/modelCatalog';
import type { SecretStore } from '../../../src/core/ports';
import { createClient } from '../../../src/core/sdk';
import { ModelService } from '../../../src/host/models';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';
import { lastTurnEnd, recordedSession, FakeClock } from './helpers';

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

class MemoryApproved implements ApprovedHosts {
  readonly origins = new Set<string>();
  has(o: string) {
    return this.origins.has(o);
  }
  async add(o: string) {
    this.origins.add(o);
  }
}

/** The modal, as a port: answers `answer` and records which host:port it was asked about. */
class ScriptedApproval implements HostApproval {
  readonly asked: string[] = [];
  constructor(public answer: boolean) {}
  async confirm(ep: Endpoint): Promise<boolean> {
    this.asked.push(ep.hostPort);
    await new Promise((r) => setImmediate(r)); // a modal takes a while: concurrent callers must share one question
    return this.answer;
  }
}

/** Counts every fetch the process makes while installed (the SDK calls globalThis.fetch). */
function spyFetch(): { calls: string[]; restore(): void } {
  const original = globalThis.fetch;
  const calls: string[] = [];
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return original(input, init);
  }) as typeof fetch;
  return { calls, restore: () => (globalThis.fetch = original) };
}

function routeFor(setting: SettingInspection, approval: HostApproval, approved: ApprovedHosts = new MemoryApproved()) {
  let current = setting;
  const route = new KeyRoute({ approval, approved, setting: () => current });
  return { route, set: (s: SettingInspection) => (current = s) };
}

const keyEverywhere = (api: FakeApi) => api.requests.filter((r) => JSON.stringify(r.headers).includes(DEFAULT_TEST_KEY));

describe('key route: where the API key may go', () => {
  let user: FakeApi;
  let workspace: FakeApi;
  before(async () => {
    user = await startFakeApi();
    workspace = await startFakeApi();
  });
  after(async () => {
    await user.close();
    await workspace.close();
  });
  beforeEach(() => {
    user.reset();
    workspace.reset();
  });

  it('a workspace or folder baseURL is ignored: the key check and the model list go to the user\'s server only', async () => {
    const approval = new ScriptedApproval(true);
    const { route } = routeFor({ defaultValue: '', globalValue: user.url, workspaceValue: workspace.url, workspaceFolderValue: workspace.url }, approval);
    const keys = new ApiKeyService(new MemorySecrets(), route.client, {});
    assert.deepEqual(await keys.set(DEFAULT_TEST_KEY), { ok: true });
    const models = await new ModelService(keys, route.client).list(true);
    assert.ok(models.models.length > 0, models.error);
    assert.equal(workspace.requests.length, 0, 'the workspace\'s server received nothing');
    assert.equal(keyEverywhere(user).length, 2, 'GET /v1/models?limit=1 (key check), then the model list');
    assert.deepEqual(approval.asked, [`127.0.0.1:${new URL(user.url).port}`]);
  });

  it('only a workspace value: the default (api.anthropic.com) is used, nothing is asked, the workspace gets nothing', async () => {
    assert.equal(userBaseURL({ defaultValue: '', workspaceValue: workspace.url, workspaceFolderValue: workspace.url }), '');
    assert.equal(userBaseURL({ workspaceValue: workspace.url }), '');
    assert.equal(userBaseURL(undefined), '');
    assert.equal(userBaseURL({ globalValue: 42, defaultValue: '' }), '', 'a non-string user value falls back to the default');
    const approval = new ScriptedApproval(true);
    const { route } = routeFor({ defaultValue: '', workspaceValue: workspace.url }, approval);
    const ep = await route.endpoint();
    assert.equal(ep.baseURL, ANTHROPIC_BASE_URL);
    assert.equal(ep.official, true);
    assert.deepEqual(approval.asked, []);
    assert.equal(workspace.requests.length, 0);
  });

  it('plain http to a host that is not this machine is refused before any client exists: no connection attempt', async () => {
    const approval = new ScriptedApproval(true);
    const spy = spyFetch();
    try {
      for (const url of ['http://api.example.invalid', 'http://api.example.invalid:8080/v1', 'http://10.0.0.7:8080', 'http://0.0.0.0:8080', 'http://localhost.example.invalid']) {
        const { route } = routeFor({ globalValue: url }, approval);
        await assert.rejects(route.client(DEFAULT_TEST_KEY), (e: Error) => e instanceof EndpointError && /plain http/.test(e.message) && /only for this machine/.test(e.message), url);
        // The low-level factory refuses it too, whoever calls it.
        await assert.rejects(createClient({ apiKey: DEFAULT_TEST_KEY, baseURL: url }), EndpointError, url);
        const keys = new ApiKeyService(new MemorySecrets(), route.client, {});
        const check = await keys.set(DEFAULT_TEST_KEY);
        assert.ok(!check.ok && /plain http/.test(check.message), url);
      }
    } finally {
      spy.restore();
    }
    assert.deepEqual(spy.calls, [], 'no request was attempted');
    assert.deepEqual(approval.asked, [], 'a refused URL is not even offered to the user');
  });

  it('refuses credentials in the URL (without echoing them), other schemes, queries; normalises host case and slashes', async () => {
    const refused: [string, RegExp][] = [
      ['https://user:hunter2-password@gateway.example.com', /user name or password/],
      ['https://user@gateway.example.com', /user name or password/],
      ['ftp://gateway.example.com', /must start with https/],
      ['file:///etc/passwd', /must start with https/],
      ['https://gateway.example.com/v1?x=1', /query/],
      ['https://gateway.example.com/#frag', /query or #fragment/],
      ['not a url', /not a valid URL/],
    ];
    for (const [url, re] of refused) {
      assert.throws(() => parseEndpoint(url), (e: Error) => e instanceof EndpointError && re.test(e.message) && !e.message.includes('hunter2'), url);
    }
    const cases: [string, Partial<Endpoint>][] = [
      ['', { baseURL: 'https://api.anthropic.com', official: true, hostPort: 'api.anthropic.com:443' }],
      ['  https://API.Anthropic.COM/  ', { baseURL: 'https://api.anthropic.com', official: true }],
      ['https://api.anthropic.com:443', { official: true }],
      ['https://api.anthropic.com:8443', { official: false, hostPort: 'api.anthropic.com:8443' }],
      ['https://Gateway.Example.com/anthropic//', { baseURL: 'https://gateway.example.com/anthropic', origin: 'https://gateway.example.com', hostPort: 'gateway.example.com:443', official: false, loopback: false }],
      ['HTTP://LOCALHOST:8080/', { baseURL: 'http://localhost:8080', hostPort: 'localhost:8080', loopback: true }],
      ['http://127.1:9', { baseURL: 'http://127.0.0.1:9', loopback: true }],
      ['http://127.255.0.3', { hostPort: '127.255.0.3:80', loopback: true }],
      ['http://[::1]:8080', { baseURL: 'http://[::1]:8080', hostPort: '[::1]:8080', loopback: true }],
      ['http://[0:0:0:0:0:0:0:1]:8080', { hostPort: '[::1]:8080', loopback: true }],
      ['http://[::ffff:127.0.0.1]:8080', { loopback: true }],
      ['https://xn--80ak6aa92e.com', { hostPort: 'xn--80ak6aa92e.com:443' }],
      ['https://аррӏе.com', { hostPort: 'xn--80ak6aa92e.com:443', official: false }],
    ];
    for (const [url, want] of cases) {
      const got = parseEndpoint(url);
      for (const [k, v] of Object.entries(want)) assert.equal(got[k as keyof Endpoint], v, `${url}: ${k}`);
    }
  });

  it('a declined host: zero requests reach it on every path, the user is asked once, and the chat says why', async () => {
    const approval = new ScriptedApproval(false);
    const { route } = routeFor({ globalValue: user.url }, approval);
    const keys = new ApiKeyService(new MemorySecrets(), route.client, {});
    // Set API Key's check.
    const check = await keys.set(DEFAULT_TEST_KEY);
    assert.ok(!check.ok && /Nothing was sent/.test(check.message) && check.message.includes(`127.0.0.1:${new URL(user.url).port}`), JSON.stringify(check));
    // The model list.
    const models = await new ModelService({ resolve: async () => ({ key: DEFAULT_TEST_KEY, source: 'secret' }) } as unknown as ApiKeyService, route.client).list(true);
    assert.match(models.error ?? '', /Nothing was sent/);
    // A chat request and the token estimate (count_tokens), with the extension's client factory.
    const { session, rec } = recordedSession({
      apiKey: async () => DEFAULT_TEST_KEY,
      settings: () => ({ model: 'claude-sonnet-5-5', maxTokens: 256, baseURL: route.currentBaseURL() }),
      clock: new FakeClock(),
      clientFactory: route.client,
      contextWindow: () => 1_000_000,
    });
    await session.send('hello');
    const turn = lastTurnEnd(rec);
    assert.equal(turn.status, 'error');
    assert.match(turn.error?.message ?? '', /Nothing was sent: your API key may not go to 127\.0\.0\.1:\d+/);
    assert.equal(turn.error?.action, 'openSettings', 'the chat offers to open the settings');
    await assert.rejects(session.countTokens('draft'), HostDeclinedError);
    assert.match(describeError(new HostDeclinedError(parseEndpoint(user.url))).message, /Claude: Set API Key/);
    // Explain/refactor and batch review get their client the same way.
    await assert.rejects(route.client(DEFAULT_TEST_KEY, user.url).then((c) => runRefactor(c, { model: 'm', maxTokens: 10, file: { label: 'a', languageId: 'ts', text: 'x' }, selection: { text: 'x', startLine: 1, endLine: 1 }, instruction: 'i' })), HostDeclinedError);
    assert.equal(user.requests.length, 0, 'nothing reached the declined host');
    assert.equal(approval.asked.length, 1, 'a "no" is remembered for the session: no modal on every keystroke');
    // Asked again after the setting changed or the user ran Set API Key (resetDeclined), and then allowed.
    route.resetDeclined();
    approval.answer = true;
    assert.deepEqual(await keys.set(DEFAULT_TEST_KEY), { ok: true });
    assert.equal(approval.asked.length, 2);
    assert.equal(keyEverywhere(user).length, 1);
  });

  it('an allowed host is asked once (concurrent requests share one question), then remembered; another host asks again', async () => {
    const approval = new ScriptedApproval(true);
    const approved = new MemoryApproved();
    const { route, set } = routeFor({ globalValue: `${user.url}/` }, approval, approved);
    const catalog = new ModelCatalog();
    const clients = await Promise.all([route.client(DEFAULT_TEST_KEY), route.client(DEFAULT_TEST_KEY), route.client(DEFAULT_TEST_KEY)]);
    await Promise.all(clients.map((c) => catalog.list(c, true)));
    await route.client(DEFAULT_TEST_KEY);
    assert.deepEqual(approval.asked, [`127.0.0.1:${new URL(user.url).port}`]);
    assert.deepEqual([...approved.origins], [user.url], 'remembered per origin');
    // A new session (a reload) with the same store: not asked again.
    const again = routeFor({ globalValue: user.url }, approval, approved);
    await again.route.client(DEFAULT_TEST_KEY);
    assert.equal(approval.asked.length, 1);
    // The setting moves to another host (another port is another host): asked again, about that one.
    set({ globalValue: workspace.url });
    await catalog.list(await route.client(DEFAULT_TEST_KEY), true);
    assert.deepEqual(approval.asked, [`127.0.0.1:${new URL(user.url).port}`, `127.0.0.1:${new URL(workspace.url).port}`]);
    assert.equal(keyEverywhere(workspace).length, 1);
    // The Anthropic API itself is never asked about.
    assert.equal((await route.endpoint('https://api.anthropic.com')).official, true);
    assert.equal(approval.asked.length, 2);
  });

  it('ANTHROPIC_BASE_URL in the environment never redirects the key', async () => {
    const saved = process.env.ANTHROPIC_BASE_URL;
    process.env.ANTHROPIC_BASE_URL = workspace.url;
    try {
      const { route } = routeFor({ globalValue: user.url }, new ScriptedApproval(true));
      await new ModelCatalog().list(await route.client(DEFAULT_TEST_KEY), true);
      const def = await createClient({ apiKey: DEFAULT_TEST_KEY, baseURL: '' });
      assert.equal(def.baseURL, ANTHROPIC_BASE_URL, 'an empty setting means the Anthropic API, not the environment');
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_BASE_URL;
      else process.env.ANTHROPIC_BASE_URL = saved;
    }
    assert.equal(workspace.requests.length, 0);
    assert.equal(keyEverywhere(user).length, 1);
  });
});
