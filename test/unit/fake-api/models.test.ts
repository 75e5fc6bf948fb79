// GET /v1/models with pagination (driven by the SDK's auto-pagination) and GET /v1/models/{id}.
import { BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { rejectsWith, sdk, useFakeApi, user } from './helpers';

const NEWEST_FIRST = [
  'claude-fable-5-2', 'claude-mythos-5-2', 'claude-haiku-5-5', 'claude-opus-5-5', 'claude-sonnet-5-5', 'claude-fable-5-1',
  'claude-mythos-5-1', 'claude-opus-5', 'claude-sonnet-5', 'claude-fable-5', 'claude-mythos-5', 'claude-opus-4-8',
  'claude-opus-4-7', 'claude-sonnet-4-6', 'claude-opus-4-6', 'claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001',
  'claude-sonnet-4-5-20250929',
];

describe('fake API: models', () => {
  const api = useFakeApi();

  it('lists active and deprecated models newest first; the SDK pages through with after_id', async () => {
    const ids: string[] = [];
    for await (const m of sdk(api()).models.list({ limit: 5 })) ids.push(m.id);
    assert.deepEqual(ids, NEWEST_FIRST);
    const q = api().requests.map((r) => r.query);
    assert.deepEqual(q, [
      { limit: '5' },
      { limit: '5', after_id: 'claude-sonnet-5-5' },
      { limit: '5', after_id: 'claude-fable-5' },
      { limit: '5', after_id: 'claude-opus-4-6' },
    ]);
  });

  it('one page has has_more, first_id and last_id; limit defaults to 20', async () => {
    const client = sdk(api());
    const page = await client.models.list({ limit: 2 });
    assert.deepEqual(page.data.map((m) => m.id), NEWEST_FIRST.slice(0, 2));
    assert.equal(page.has_more, true);
    assert.equal(page.first_id, 'claude-fable-5-2');
    assert.equal(page.last_id, 'claude-mythos-5-2');
    const all = await client.models.list();
    assert.equal(all.data.length, NEWEST_FIRST.length);
    assert.equal(all.has_more, false);
    const back = await client.models.list({ before_id: 'claude-opus-5', limit: 3 });
    assert.deepEqual(back.data.map((m) => m.id), ['claude-sonnet-5-5', 'claude-fable-5-1', 'claude-mythos-5-1']);
    assert.equal(back.has_more, true);
    const beyond = await client.models.list({ after_id: 'claude-sonnet-4-5-20250929' });
    assert.deepEqual(beyond.data, []);
    assert.equal(beyond.has_more, false);
  });

  it('rejects a limit outside 1..1000', async () => {
    await rejectsWith(sdk(api()).models.list({ limit: 0 }), BadRequestError);
    const err = await rejectsWith(sdk(api()).models.list({ limit: 1001 }), BadRequestError);
    assert.match(err.message, /limit: Input should be less than or equal to 1000/);
    assert.equal((await sdk(api()).models.list({ limit: 1000 })).data.length, NEWEST_FIRST.length);
  });

  it('retrieves realistic ModelInfo by id or alias, 404 for an unknown id', async () => {
    const client = sdk(api());
    const opus = await client.models.retrieve('claude-opus-4-8');
    assert.equal(opus.type, 'model');
    assert.equal(opus.display_name, 'Claude Opus 4.8');
    assert.equal(opus.created_at, '2026-05-28T00:00:00Z');
    assert.equal(opus.max_input_tokens, 1_000_000);
    assert.equal(opus.max_tokens, 128_000);
    assert.equal(opus.line, 'opus');
    assert.equal(opus.capabilities?.thinking.supported, true);
    assert.equal(opus.capabilities?.thinking.types.adaptive.supported, true);
    assert.equal(opus.capabilities?.thinking.types.enabled.supported, false);
    const haiku = await client.models.retrieve('claude-haiku-4-5');
    assert.equal(haiku.id, 'claude-haiku-4-5-20251001');
    assert.equal(haiku.max_input_tokens, 200_000);
    assert.equal(haiku.max_tokens, 64_000);
    const sonnet45 = await client.models.retrieve('claude-sonnet-4-5');
    assert.equal(sonnet45.lifecycle, 'deprecated');
    assert.equal(sonnet45.retires_at, '2026-11-30T00:00:00Z');
    const err = await rejectsWith(client.models.retrieve('claude-nonexistent-9'), NotFoundError);
    assert.equal((err.error as { error: { message: string } }).error.message, 'model: claude-nonexistent-9');
  });

  it('shows retired models only on request', async () => {
    const page = await sdk(api()).models.list({ lifecycle: ['retired'] });
    assert.deepEqual(page.data.map((m) => m.id), ['claude-opus-4-1-20250805', 'claude-opus-4-20250514', 'claude-sonnet-4-20250514']);
  });

  it('tests can add a model; it is listed in date order and accepted by /v1/messages', async () => {
    api().models.add({ id: 'claude-test-9', display_name: 'Claude Test 9', created_at: '2026-12-01T00:00:00Z', max_tokens: 1000 });
    const client = sdk(api());
    const first = await client.models.list({ limit: 1 });
    assert.equal(first.data[0].id, 'claude-test-9');
    const m = await client.messages.create({ model: 'claude-test-9', max_tokens: 100, messages: [user('hi')] });
    assert.equal(m.model, 'claude-test-9');
    api().reset();
    assert.equal((await client.models.list({ limit: 1 })).data[0].id, 'claude-fable-5-2', 'reset() removes added models');
  });
});

describe('ModelCatalog over the fake API', () => {
  const api = useFakeApi();

  it('lists each model once, newest first, with both capability views (the provider caps and the raw table)', async () => {
    const { ModelCatalog } = await import('../../../src/core/modelCatalog');
    const models = await new ModelCatalog().list(sdk(api()), true);
    assert.deepEqual(models.map((m) => m.id), NEWEST_FIRST, 'no model listed twice (a duplicate showed twice in the picker)');
    const withCaps = models.filter((m) => m.capabilities);
    assert.ok(withCaps.length > 0, 'the fake reports capabilities');
    for (const m of withCaps) assert.ok(m.caps, `${m.id} carries the provider's caps too`);
  });
});
