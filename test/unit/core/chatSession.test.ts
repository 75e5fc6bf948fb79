import * as assert from 'node:assert/strict';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';
import { lastTurnEnd, sessionFor, withoutCache } from './helpers';

describe('ChatSession through the real SDK against the fake API', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('streams a reply as deltas and ends complete with usage', async () => {
    const text = 'Hello **there**, this is a streamed reply.';
    api.queue({ kind: 'text', text, chunkSize: 5 });
    const { session, rec } = sessionFor(api);
    await session.send('Hi');
    const deltas = rec.events.filter((e) => e.type === 'blockDelta');
    assert.equal(deltas.length, Math.ceil(text.length / 5), 'one listener delta per SSE text_delta');
    assert.equal(deltas.map((d) => (d.type === 'blockDelta' ? d.text : '')).join(''), text);
    const turn = lastTurnEnd(rec);
    assert.equal(turn.status, 'complete');
    assert.equal(turn.stopReason, 'end_turn');
    assert.equal(turn.blocks[0].text, text);
    assert.ok(turn.usage && turn.usage.inputTokens > 0 && turn.usage.outputTokens > 0);
    assert.deepEqual(rec.events.map((e) => e.type).filter((e, i, a) => a[i - 1] !== e), ['turnStart', 'blockStart', 'blockDelta', 'blockStop', 'usage', 'meter', 'turnEnd']);
  });

  it('sends the SDK 1.x wire headers and the request body the API expects', async () => {
    const { session } = sessionFor(api, { settings: { model: 'claude-opus-5-5', maxTokens: 321 } });
    await session.send('Check the wire');
    const req = api.messageRequests[0];
    assert.equal(req.headers['authorization'], `Bearer ${DEFAULT_TEST_KEY}`);
    assert.equal(req.headers['anthropic-version'], '2026-10-21');
    assert.equal(req.headers['x-stainless-retry-count'], '0');
    const body = req.body as Record<string, unknown>;
    assert.equal(body.model, 'claude-opus-5-5');
    assert.equal(body.max_tokens, 321);
    assert.equal(body.stream, true);
    assert.equal('temperature' in body, false, 'sampling params are not sent under 2026-10-21');
    assert.deepEqual(body.messages, [{ role: 'user', content: [{ type: 'text', text: 'Check the wire', cache_control: { type: 'ephemeral' } }] }]);
    assert.equal('system' in body, false, 'no empty system prompt is sent');
  });

  it('continues the same conversation on the next message', async () => {
    api.queue({ kind: 'text', text: 'First answer.' }, { kind: 'text', text: 'Second answer.' });
    const { session } = sessionFor(api);
    await session.send('one');
    await session.send('two');
    const body = api.messageRequests[1].body as { messages: unknown };
    assert.deepEqual(withoutCache(body.messages), [
      { role: 'user', content: [{ type: 'text', text: 'one' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'First answer.' }] },
      { role: 'user', content: [{ type: 'text', text: 'two' }] },
    ]);
  });

  it('stop aborts the HTTP request at once, keeps the partial text, and the next request is valid', async () => {
    const long = 'x'.repeat(400);
    api.queue({ kind: 'text', text: long, chunkSize: 4, delayMs: 20 });
    const { session, rec } = sessionFor(api);
    let deltas = 0;
    rec.onDelta = () => {
      deltas += 1;
      if (deltas === 3) session.stop();
    };
    const started = Date.now();
    await session.send('go');
    const turn = lastTurnEnd(rec);
    assert.equal(turn.status, 'stopped');
    assert.equal(turn.blocks[0].text, 'x'.repeat(12), 'exactly the three deltas received before stop are kept');
    assert.ok(Date.now() - started < 100 * 20, 'did not wait for the whole stream');
    assert.equal(session.busy, false);
    await session.send('next');
    const body = api.messageRequests[1].body as { messages: unknown };
    assert.deepEqual(withoutCache(body.messages), [
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'x'.repeat(12) }] },
      { role: 'user', content: [{ type: 'text', text: 'next' }] },
    ]);
  });

  it('a 401 becomes the "set your key" message without the key in it', async () => {
    const badKey = 'sk-ant-test.WRONG-key-1234567890abcdef';
    const { session, rec } = sessionFor(api, { key: badKey });
    await session.send('hello');
    const turn = lastTurnEnd(rec);
    assert.equal(turn.status, 'error');
    assert.equal(turn.error?.action, 'setApiKey');
    assert.match(turn.error!.message, /Set API Key/);
    assert.ok(!turn.error!.message.includes(badKey));
    assert.ok(!JSON.stringify(rec.events).includes(badKey), 'the key appears in no event');
  });

  it('with no key it asks for one and sends nothing', async () => {
    const { session, rec } = sessionFor(api, { key: undefined });
    await session.send('hello');
    assert.equal(lastTurnEnd(rec).error?.action, 'setApiKey');
    assert.equal(api.requests.length, 0);
  });

  it('a failed turn keeps the history valid: the failed question merges into the next user turn', async () => {
    api.queue({ kind: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded' });
    const { session, rec } = sessionFor(api, { settings: { maxAttempts: 1 } });
    await session.send('first');
    assert.equal(lastTurnEnd(rec).error?.action, 'retry');
    await session.send('second');
    const body = api.messageRequests[1].body as { messages: unknown };
    assert.deepEqual(withoutCache(body.messages), [{ role: 'user', content: [{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }] }]);
  });

  it('retry replaces the failed turn and re-sends it', async () => {
    api.queue({ kind: 'error', status: 500, errorType: 'api_error', message: 'Internal server error' }, { kind: 'text', text: 'ok now' });
    const { session } = sessionFor(api, { settings: { maxAttempts: 1 } });
    await session.send('please');
    await session.retry();
    assert.equal(session.history.length, 1);
    assert.equal(session.history[0].status, 'complete');
    assert.equal(session.history[0].blocks[0].text, 'ok now');
  });

  it('emits each event after the state it describes is true: not busy inside turnEnd, so a listener can send at once', async () => {
    api.queue({ kind: 'text', text: 'abc def ghi', chunkSize: 3 }, { kind: 'text', text: 'second' });
    const { session } = sessionFor(api);
    const seen: string[] = [];
    let followUp: Promise<void> | undefined;
    session.onDidEvent((e) => {
      const turn = session.history.at(-1)!;
      if (e.type === 'turnStart') seen.push(`start busy=${session.busy} same=${turn.id === e.turn.id} status=${turn.status}`);
      if (e.type === 'blockDelta') seen.push(`delta applied=${turn.blocks.find((b) => b.id === e.blockId)!.text.endsWith(e.text)}`);
      if (e.type === 'blockStop') seen.push(`stop complete=${turn.blocks.find((b) => b.id === e.blockId)!.complete}`);
      if (e.type === 'turnEnd') {
        seen.push(`end busy=${session.busy} status=${turn.status} outcome=${e.outcome.status}`);
        followUp ??= session.send('and then?');
      }
    });
    await session.send('hi');
    await followUp;
    assert.deepEqual([...new Set(seen)], ['start busy=true same=true status=streaming', 'delta applied=true', 'stop complete=true', 'end busy=false status=complete outcome=complete']);
    assert.equal(api.messageRequests.length, 2, 'the message sent from inside turnEnd went out');
    assert.equal(session.history.at(-1)!.blocks[0].text, 'second');
  });

  it('a listener that throws is logged and does not break the reply or the other listeners', async () => {
    const errors: string[] = [];
    const { ChatSession } = await import('../../../src/core/chatSession');
    const session = new ChatSession({
      apiKey: async () => DEFAULT_TEST_KEY,
      settings: () => ({ model: 'claude-sonnet-5-5', maxTokens: 1024, baseURL: api.url }),
      logger: { info() {}, warn() {}, error: (m) => errors.push(m) },
    });
    session.onDidEvent(() => {
      throw new Error('listener bug');
    });
    const ends: string[] = [];
    session.onDidEvent((e) => e.type === 'turnEnd' && ends.push(e.outcome.status));
    await session.send('hi');
    assert.deepEqual(ends, ['complete']);
    assert.ok(errors.length > 0 && errors.every((m) => m.includes('listener bug')));
  });
});
