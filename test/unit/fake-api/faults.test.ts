// Faults: retries and their signals, mid-stream errors, dropped connections, stalls, malformed SSE.
import Anthropic, {
  AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, InternalServerError,
  OverloadedError, RateLimitError,
} from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { reply } from '../../fake-api/server';
import { MODEL, rejectsWith, sdk, useFakeApi, user } from './helpers';

const base = { model: MODEL, max_tokens: 1024, messages: [user('hi')] };

describe('fake API: faults', () => {
  const api = useFakeApi();
  const retryCounts = () => api().messageRequests.map((r) => r.headers['x-stainless-retry-count']);
  const gaps = () => {
    const t = api().messageRequests.map((r) => r.receivedAtReal);
    return t.slice(1).map((x, i) => x - t[i]);
  };

  it('the SDK retries 429 and 529, honouring retry-after-ms, visible in X-Stainless-Retry-Count', async () => {
    api().queue(reply.rateLimited({ retryAfterMs: 60 }), reply.error(529, { headers: { 'retry-after-ms': '30' } }), reply.text('Finally.'));
    const m = await sdk(api(), { maxRetries: 2 }).messages.create(base);
    assert.equal((m.content[0] as Anthropic.TextBlock).text, 'Finally.');
    assert.deepEqual(retryCounts(), ['0', '1', '2']);
    const [g1, g2] = gaps();
    // Default backoff would be at least 375 ms then 750 ms; the headers asked for 60 and 30.
    assert.ok(g1 >= 55 && g1 < 370, `first gap ${g1} ms`);
    assert.ok(g2 >= 25 && g2 < 370, `second gap ${g2} ms`);
  });

  it('retry-after in seconds is honoured when there is no retry-after-ms', async () => {
    api().queue(reply.rateLimited({ retryAfter: 1 }), reply.text('ok'));
    await sdk(api(), { maxRetries: 1 }).messages.create(base);
    const [g] = gaps();
    assert.ok(g >= 990 && g < 1600, `gap ${g} ms`);
  });

  it('gives up after maxRetries with the last error, and obeys x-should-retry: false', async () => {
    const fast = { headers: { 'retry-after-ms': '5' } };
    api().queue(reply.error(529, fast), reply.error(529, fast), reply.error(529, fast), reply.text('never reached'));
    await rejectsWith(sdk(api(), { maxRetries: 2 }).messages.create(base), OverloadedError);
    assert.deepEqual(retryCounts(), ['0', '1', '2']);
    assert.equal(api().pendingReplies, 1);
    api().reset();
    api().queue(reply.error(500, { headers: { 'x-should-retry': 'false' } }), reply.text('never reached'));
    await rejectsWith(sdk(api(), { maxRetries: 2 }).messages.create(base), InternalServerError);
    assert.equal(api().messageRequests.length, 1);
    api().reset();
    api().queue(reply.rateLimited({ retryAfterMs: 5 }));
    await rejectsWith(sdk(api(), { maxRetries: 0 }).messages.create(base), RateLimitError);
  });

  it('a mid-stream `event: error` is a plain APIError with no status, not retried', async () => {
    api().queue(reply.streamError('Hello there, this stream breaks.', 2), reply.text('never reached'));
    const client = sdk(api(), { maxRetries: 2 });
    const texts: string[] = [];
    const stream = client.messages.stream(base).on('text', (t) => texts.push(t));
    const err = await rejectsWith(stream.finalMessage(), APIError);
    assert.equal(err.status, undefined);
    assert.ok(!(err instanceof OverloadedError) && !(err instanceof InternalServerError));
    assert.equal(err.type, 'overloaded_error');
    assert.equal(texts.join(''), 'Hello there, thi');
    assert.equal(api().messageRequests.length, 1, 'not retried');

    api().reset();
    api().queue(reply.streamError('abc', 0, 'api_error', 'Internal server error'));
    const raw = await client.messages.create({ ...base, stream: true });
    const types: string[] = [];
    const e2 = await rejectsWith(async () => {
      for await (const ev of raw) types.push(ev.type);
    }, APIError);
    assert.equal(e2.type, 'api_error');
    assert.deepEqual(types, ['message_start'], 'the error follows message_start; no message_stop');
  });

  it('a connection dropped before the response is retried, then surfaces as APIConnectionError', async () => {
    api().queue(reply.drop('headers'), reply.text('second try'));
    const m = await sdk(api(), { maxRetries: 1 }).messages.create(base);
    assert.equal((m.content[0] as Anthropic.TextBlock).text, 'second try');
    assert.deepEqual(retryCounts(), ['0', '1']);
    api().reset();
    api().queue(reply.drop('headers'), reply.drop('headers'));
    const err = await rejectsWith(sdk(api(), { maxRetries: 1 }).messages.stream(base).finalMessage(), APIConnectionError);
    assert.ok(!(err instanceof APIConnectionTimeoutError));
    assert.equal(api().messageRequests.length, 2);
  });

  it('a connection dropped mid-stream ends the stream with an error and no message', async () => {
    api().queue(reply.drop(2, 'This reply is cut off in the middle.'));
    const texts: string[] = [];
    const stream = sdk(api(), { maxRetries: 2 }).messages.stream(base).on('text', (t) => texts.push(t));
    const err = await rejectsWith(stream.finalMessage(), AnthropicError);
    assert.ok(!(err instanceof APIError), `not an HTTP error: ${err.constructor.name}`);
    assert.equal(texts.join(''), 'This reply is cu');
    assert.equal(api().messageRequests.length, 1, 'a broken body is not retried');
  });

  it('a stall before the headers hits the SDK timeout (APIConnectionTimeoutError)', async () => {
    api().queue(reply.stall(5_000), reply.stall(5_000));
    const t0 = Date.now();
    await rejectsWith(sdk(api(), { timeout: 250, maxRetries: 1 }).messages.create(base), APIConnectionTimeoutError);
    const took = Date.now() - t0;
    assert.ok(took >= 500 && took < 3_000, `two attempts of 250 ms plus backoff, took ${took} ms`);
    assert.deepEqual(retryCounts(), ['0', '1']);
  });

  it('a stall mid-stream pauses the bytes, then the reply continues', async () => {
    api().queue(reply.stall(300, 1, 'abcdefghijkl'));
    const at: number[] = [];
    const client = sdk(api(), { timeout: 100 }); // the timeout covers only the wait for headers
    const m = await client.messages.stream(base).on('text', () => at.push(Date.now())).finalMessage();
    assert.equal((m.content[0] as Anthropic.TextBlock).text, 'abcdefghijkl');
    assert.equal(at.length, 2);
    // A pause the client can see (half the stall: delivery of the first chunk may itself be late under load).
    assert.ok(at[1] - at[0] >= 150, `gap ${at[1] - at[0]} ms`);
  });

  it('a hang mid-stream lasts until the client aborts; the server stays usable', async () => {
    api().queue(reply.stall(undefined, 1, 'first chunk then nothing'));
    const client = sdk(api());
    const stream = client.messages.stream(base);
    stream.on('text', () => setTimeout(() => stream.abort(), 50));
    await rejectsWith(stream.finalMessage(), APIUserAbortError);
    const m = await client.messages.create(base);
    assert.equal(m.type, 'message');
  });

  it('malformed SSE: bad JSON fails the stream; a frame without event: is skipped', async () => {
    const client = sdk(api());
    api().queue({ kind: 'text', text: 'abcdefgh', chunkSize: 4, fault: { type: 'malformed', at: 1, variant: 'invalid-json' } });
    const err = await rejectsWith(client.messages.stream(base).finalMessage(), AnthropicError);
    assert.match(err.message, /JSON/);
    api().queue({ kind: 'text', text: 'abcdefgh', chunkSize: 4, fault: { type: 'malformed', at: 1, variant: 'no-event-name' } });
    const m = await client.messages.stream(base).finalMessage();
    assert.equal((m.content[0] as Anthropic.TextBlock).text, 'abcd', 'SDK 1.x skips the nameless frame');
  });

  it('faults in non-streaming requests: error becomes its HTTP status, drop/stall act before the body', async () => {
    const client = sdk(api(), { maxRetries: 0, timeout: 200 });
    api().queue(reply.streamError('x', 0));
    await rejectsWith(client.messages.create(base), OverloadedError);
    api().queue(reply.drop(3));
    await rejectsWith(client.messages.create(base), APIConnectionError);
    api().queue(reply.stall(2_000, 0));
    await rejectsWith(client.messages.create(base), APIConnectionTimeoutError);
  });
});
