// Message Batches from create to results, timed by the fake clock.
import Anthropic, { AnthropicError, BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { reply } from '../../fake-api/server';
import { MODEL, rejectsWith, sdk, useFakeApi, user } from './helpers';

type Req = Anthropic.Messages.BatchCreateParams.Request;
const req = (custom_id: string, text = custom_id, params: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}): Req => ({
  custom_id, params: { model: MODEL, max_tokens: 100, messages: [user(text)], ...params },
});

async function results(client: Anthropic, id: string): Promise<Map<string, Anthropic.Messages.MessageBatchResult>> {
  const out = new Map<string, Anthropic.Messages.MessageBatchResult>();
  for await (const line of await client.messages.batches.results(id)) out.set(line.custom_id, line.result);
  return out;
}

describe('fake API: message batches', () => {
  const api = useFakeApi();

  it('goes from in_progress to ended as the clock moves, then serves JSONL results', async () => {
    const client = sdk(api());
    const created = await client.messages.batches.create({
      requests: [req('first', 'Hello'), req('second', 'World'), req('bad-model', 'x', { model: 'claude-2' })],
    });
    assert.match(created.id, /^msgbatch_01/);
    assert.equal(created.processing_status, 'in_progress');
    assert.deepEqual(created.request_counts, { processing: 3, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
    assert.equal(created.results_url, null);
    assert.match(created.created_at, /^2026-11-22T00:00:\d\d\.\d{3}Z$/);
    assert.equal(Date.parse(created.expires_at) - Date.parse(created.created_at), 24 * 3600_000);
    await rejectsWith(client.messages.batches.results(created.id), AnthropicError);

    api().clock.advance(59_000);
    assert.equal((await client.messages.batches.retrieve(created.id)).processing_status, 'in_progress');
    api().clock.advance(1_500);
    const done = await client.messages.batches.retrieve(created.id);
    assert.equal(done.processing_status, 'ended');
    assert.deepEqual(done.request_counts, { processing: 0, succeeded: 2, errored: 1, canceled: 0, expired: 0 });
    assert.equal(done.results_url, `${api().url}/v1/messages/batches/${created.id}/results`);
    assert.ok(done.ended_at);

    const r = await results(client, created.id);
    const first = r.get('first') as Anthropic.Messages.MessageBatchSucceededResult;
    assert.equal(first.type, 'succeeded');
    assert.deepEqual(first.message.content, [{ type: 'text', text: 'You said: Hello', citations: null }]);
    assert.equal(first.message.usage.service_tier, 'batch');
    assert.equal(first.message.usage.input_tokens, 9);
    const bad = r.get('bad-model') as Anthropic.Messages.MessageBatchErroredResult;
    assert.equal(bad.type, 'errored');
    assert.deepEqual(bad.error.error, { type: 'not_found_error', message: 'model: claude-2' });
    const resultsReq = api().requests[api().requests.length - 1];
    assert.equal(resultsReq.path, `/v1/messages/batches/${created.id}/results`);
  });

  it('applies scripted per-custom_id outcomes', async () => {
    const client = sdk(api());
    api().batches.setOutcome('a', { type: 'succeeded', reply: reply.toolUse('lookup', { q: 1 }) });
    api().batches.setOutcome('b', { type: 'errored', errorType: 'overloaded_error', message: 'Overloaded' });
    api().batches.setOutcome('c', { type: 'expired' });
    api().batches.setOutcome('d', { type: 'canceled' });
    const b = await client.messages.batches.create({ requests: ['a', 'b', 'c', 'd'].map((id) => req(id)) });
    api().clock.advance(60_000);
    const done = await client.messages.batches.retrieve(b.id);
    assert.deepEqual(done.request_counts, { processing: 0, succeeded: 1, errored: 1, canceled: 1, expired: 1 });
    const r = await results(client, b.id);
    const a = r.get('a') as Anthropic.Messages.MessageBatchSucceededResult;
    assert.equal(a.message.stop_reason, 'tool_use');
    assert.deepEqual((a.message.content[0] as Anthropic.ToolUseBlock).input, { q: 1 });
    assert.equal((r.get('b') as Anthropic.Messages.MessageBatchErroredResult).error.error.type, 'overloaded_error');
    assert.equal(r.get('c')?.type, 'expired');
    assert.equal(r.get('d')?.type, 'canceled');
    assert.throws(() => api().batches.setOutcome('x', { type: 'maybe' } as never), /bad batch outcome/);
  });

  it('cancel: canceling, then ended with the unfinished requests canceled', async () => {
    const client = sdk(api());
    // 4 requests over 60 s finish at 15, 30, 45 and 60 s.
    const b = await client.messages.batches.create({ requests: ['r1', 'r2', 'r3', 'r4'].map((id) => req(id)) });
    api().clock.advance(20_000);
    const canceling = await client.messages.batches.cancel(b.id);
    assert.equal(canceling.processing_status, 'canceling');
    assert.ok(canceling.cancel_initiated_at);
    api().clock.advance(1_000);
    const ended = await client.messages.batches.retrieve(b.id);
    assert.equal(ended.processing_status, 'ended');
    assert.deepEqual(ended.request_counts, { processing: 0, succeeded: 1, errored: 0, canceled: 3, expired: 0 });
    const r = await results(client, b.id);
    assert.deepEqual([...r.values()].map((x) => x.type), ['succeeded', 'canceled', 'canceled', 'canceled']);
    await rejectsWith(client.messages.batches.cancel(b.id), BadRequestError);
  });

  it('validates requests: custom_id pattern and uniqueness, required params', async () => {
    const client = sdk(api());
    const dup = await rejectsWith(client.messages.batches.create({ requests: [req('same'), req('same')] }), BadRequestError);
    const msg = (e: { error?: unknown }) => (e.error as { error: { message: string } }).error.message;
    assert.equal(msg(dup), 'requests.1.custom_id: Duplicate custom_id "same"; custom_id values must be unique within a batch');
    const pat = await rejectsWith(client.messages.batches.create({ requests: [req('has space')] }), BadRequestError);
    assert.equal(msg(pat), "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'");
    const long = await rejectsWith(client.messages.batches.create({ requests: [req('x'.repeat(65))] }), BadRequestError);
    assert.match(long.message, /custom_id/);
    const noMax = await rejectsWith(client.messages.batches.create({ requests: [{ custom_id: 'ok', params: { model: MODEL, messages: [user('hi')] } as never }] }), BadRequestError);
    assert.equal(msg(noMax), 'requests.0.params.max_tokens: Field required');
    await rejectsWith(client.messages.batches.create({ requests: [] }), BadRequestError);
    assert.equal(api().batches.ids.length, 0, 'nothing was created');
  });

  it('lists newest first with pagination, 404s unknown ids, deletes only ended batches', async () => {
    const client = sdk(api());
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await client.messages.batches.create({ requests: [req(`q${i}`)] })).id);
    const listed: string[] = [];
    for await (const b of client.messages.batches.list({ limit: 2 })) listed.push(b.id);
    assert.deepEqual(listed, [...ids].reverse());
    await rejectsWith(client.messages.batches.retrieve('msgbatch_01nope'), NotFoundError);
    await rejectsWith(client.messages.batches.delete(ids[0]), BadRequestError);
    api().clock.advance(60_000);
    assert.deepEqual(await client.messages.batches.delete(ids[0]), { id: ids[0], type: 'message_batch_deleted' });
    await rejectsWith(client.messages.batches.retrieve(ids[0]), NotFoundError);
  });
});
