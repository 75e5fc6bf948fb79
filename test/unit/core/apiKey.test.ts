import * as assert from 'node:assert/strict';
import { ApiKeyService, SECRET_KEY_NAME } from '../../../src/core/apiKey';
import type { Connect } from '../../../src/core/keyRoute';
import type { SecretStore } from '../../../src/core/ports';
import { createClient } from '../../../src/core/sdk';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';

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

/** Straight to the given base URL (the extension passes KeyRoute.client; see keyRoute.test.ts). */
const direct: Connect = (apiKey, baseURL) => createClient({ apiKey, baseURL: baseURL ?? '' });

describe('ApiKeyService', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('checks a key with one GET /v1/models call before storing it', async () => {
    const secrets = new MemorySecrets();
    const keys = new ApiKeyService(secrets, direct, {});
    const r = await keys.set(`  ${DEFAULT_TEST_KEY}\n`, api.url);
    assert.deepEqual(r, { ok: true });
    assert.equal(secrets.map.get(SECRET_KEY_NAME), DEFAULT_TEST_KEY, 'stored trimmed');
    assert.equal(api.requests.length, 1);
    assert.equal(api.requests[0].method, 'GET');
    assert.equal(api.requests[0].path, '/v1/models');
  });

  it('does not store a key the API rejects, and the message does not echo it', async () => {
    const secrets = new MemorySecrets();
    const keys = new ApiKeyService(secrets, direct, {});
    const bad = 'sk-ant-test.not-a-real-key-00000000000';
    const r = await keys.set(bad, api.url);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && /rejected/.test(r.message) && !r.message.includes(bad));
    assert.equal(secrets.map.size, 0);
  });

  it('refuses an obviously malformed key without a network call', async () => {
    const keys = new ApiKeyService(new MemorySecrets(), direct, {});
    const r = await keys.set('sk-ant with spaces in it 000000', api.url);
    assert.equal(r.ok, false);
    assert.equal(api.requests.length, 0);
  });

  it('reports an unreachable API clearly and stores nothing', async () => {
    const secrets = new MemorySecrets();
    const keys = new ApiKeyService(secrets, direct, {});
    const r = await keys.set(DEFAULT_TEST_KEY, 'http://127.0.0.1:9');
    assert.equal(r.ok, false);
    assert.ok(!r.ok && /Could not reach the API/.test(r.message), !r.ok ? r.message : '');
    assert.equal(secrets.map.size, 0);
  });

  it('falls back to ANTHROPIC_API_KEY, and a stored key wins over it', async () => {
    const secrets = new MemorySecrets();
    const keys = new ApiKeyService(secrets, direct, { ANTHROPIC_API_KEY: 'sk-ant-test.from-env-000000000000' });
    assert.deepEqual(await keys.resolve(), { key: 'sk-ant-test.from-env-000000000000', source: 'env' });
    await secrets.store(SECRET_KEY_NAME, 'sk-ant-test.stored-0000000000000');
    assert.equal((await keys.resolve()).source, 'env', 'the resolved key is cached until SecretStorage reports a change');
    keys.invalidate(); // what the host does on secrets.onDidChange
    assert.deepEqual(await keys.resolve(), { key: 'sk-ant-test.stored-0000000000000', source: 'secret' });
    await keys.clear();
    assert.equal((await keys.resolve()).source, 'env');
    assert.equal((await new ApiKeyService(new MemorySecrets(), direct, {}).resolve()).source, 'none');
  });
});
