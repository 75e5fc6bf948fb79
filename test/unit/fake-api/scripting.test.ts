// Scripting the fake: queue, responder, recording, the clock, and loud failures for malformed scripts.
import Anthropic, { InternalServerError } from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { FakeClock, reply, ScriptedReply } from '../../fake-api/server';
import { MODEL, rejectsWith, sdk, useFakeApi, user } from './helpers';

const base = { model: MODEL, max_tokens: 100, messages: [user('hi')] };

describe('fake API: scripting', () => {
  const api = useFakeApi();

  it('throws at queue() time for a malformed reply, and queues nothing from that call', () => {
    const bad: Array<[unknown, RegExp]> = [
      [null, /a reply must be an object/],
      [{ kind: 'txt', text: 'a' }, /unknown reply kind "txt"/],
      [{ kind: 'text' }, /needs a string `text`/],
      [{ kind: 'text', text: 'a', stop_reason: 'end_turn' }, /unknown field "stop_reason"/],
      [{ kind: 'text', text: 'a', chunkSize: 0 }, /chunkSize must be a positive integer/],
      [{ kind: 'text', text: 'a', stopReason: 'done' }, /stopReason must be one of/],
      [{ kind: 'text', text: 'a', stopReason: 'stop_sequence' }, /needs a non-empty stopSequence/],
      [{ kind: 'text', text: 'a', stopReason: 'tool_use' }, /needs a tool_use block/],
      [{ kind: 'message', blocks: [{ type: 'image' }] }, /unknown block type "image"/],
      [{ kind: 'message', blocks: [{ type: 'tool_use', name: 'bad name', input: {} }] }, /tool_use name must match/],
      [{ kind: 'message', blocks: [{ type: 'tool_use', name: 'ok', input: [] }] }, /input must be a plain object/],
      [{ kind: 'text', text: 'a', fault: { type: 'explode' } }, /unknown fault type "explode"/],
      [{ kind: 'text', text: 'a', fault: { type: 'error', at: 'headers' } }, /fault.at must be an integer/],
      [{ kind: 'error', status: 200 }, /4xx\/5xx status/],
      [{ kind: 'error', status: 429, headers: { 'retry-after': 5 } }, /headers must map names to strings/],
    ];
    for (const [r, why] of bad) {
      assert.throws(() => api().queue(reply.text('fine'), r as ScriptedReply), why, JSON.stringify(r));
    }
    assert.equal(api().pendingReplies, 0, 'a failing queue() call queues none of its replies');
  });

  it('a responder answers when the queue is empty; its malformed reply fails the request loudly', async () => {
    const client = sdk(api(), { maxRetries: 2 });
    const seen: string[] = [];
    api().setResponder((req) => {
      const body = req.body as { messages: Array<{ content: string }> };
      seen.push(body.messages[0].content);
      if (body.messages[0].content === 'break') return { kind: 'text', txt: 'oops' } as never;
      return body.messages[0].content === 'default' ? undefined : reply.text(`responder: ${body.messages[0].content}`);
    });
    api().queue(reply.text('queued first'));
    const texts = async (q: string) => ((await client.messages.create({ ...base, messages: [user(q)] })).content[0] as Anthropic.TextBlock).text;
    assert.equal(await texts('one'), 'queued first');
    assert.equal(await texts('two'), 'responder: two');
    assert.equal(await texts('default'), 'You said: default');
    const quiet = console.error;
    console.error = () => undefined;
    try {
      const err = await rejectsWith(client.messages.create({ ...base, messages: [user('break')] }), InternalServerError);
      assert.match((err.error as { error: { message: string } }).error.message, /^fake-api script error: bad scripted reply \(unknown field "txt"/);
    } finally {
      console.error = quiet;
    }
    assert.equal(api().messageRequests.length, 4, 'not retried (x-should-retry: false)');
    assert.equal(api().scriptErrors.length, 1);
    assert.deepEqual(seen, ['two', 'default', 'break']);
    assert.throws(() => api().setResponder('nope' as never), /needs a function/);
  });

  it('records every request with method, path, query, headers and parsed body', async () => {
    const client = sdk(api());
    await client.messages.create(base);
    await client.messages.countTokens({ model: MODEL, messages: [user('count me')] });
    await client.models.list({ limit: 3 });
    const [m, c, l] = api().requests;
    assert.deepEqual([m.method, m.path], ['POST', '/v1/messages']);
    assert.deepEqual(m.body, base);
    assert.equal(m.headers['content-type'], 'application/json');
    assert.equal(m.headers['anthropic-version'], '2026-10-21');
    assert.deepEqual(m.usage, { input_tokens: 8, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 3 });
    assert.deepEqual([c.method, c.path, (c.body as { messages: unknown[] }).messages.length], ['POST', '/v1/messages/count_tokens', 1]);
    assert.deepEqual([l.method, l.path, l.query], ['GET', '/v1/models', { limit: '3' }]);
    assert.equal(api().messageRequests.length, 1);
    assert.notEqual(m.requestId, c.requestId);
  });

  it('the clock starts at a fixed epoch, moves only forward, and can be frozen', () => {
    const clock = new FakeClock({ ticking: false });
    assert.equal(clock.iso(), '2026-11-22T00:00:00.000Z');
    clock.advance(90_000);
    assert.equal(clock.iso(), '2026-11-22T00:01:30.000Z');
    assert.throws(() => clock.advance(-1), /ms >= 0/);
    const ticking = new FakeClock({ start: '2030-01-01T00:00:00Z' });
    ticking.freeze();
    const t = ticking.now();
    assert.equal(ticking.now(), t);
    assert.ok(t >= Date.parse('2030-01-01T00:00:00Z'));
    clock.reset();
    assert.equal(clock.iso(), '2026-11-22T00:00:00.000Z');
  });

  it('requires anthropic-version and rejects unknown versions', async () => {
    const noVersion = sdk(api(), { defaultHeaders: { 'anthropic-version': null } });
    const err = await rejectsWith(noVersion.messages.create(base), Anthropic.BadRequestError);
    assert.match(err.message, /anthropic-version: header is required/);
    const weird = sdk(api(), { defaultHeaders: { 'anthropic-version': '2099-01-01' } });
    await rejectsWith(weird.messages.create(base), Anthropic.BadRequestError);
  });
});
