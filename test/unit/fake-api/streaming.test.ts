// Every block type and stop reason, streamed and non-streamed, parsed by the real SDK.
import Anthropic from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { reply, ScriptedReply } from '../../fake-api/server';
import { assistant, MODEL, sdk, sdk0, useFakeApi, user } from './helpers';

type Event = Anthropic.RawMessageStreamEvent;

async function rawEvents(client: Anthropic, params: Omit<Anthropic.MessageCreateParamsStreaming, 'stream'>): Promise<Event[]> {
  const stream = await client.messages.create({ ...params, stream: true });
  const out: Event[] = [];
  for await (const ev of stream) out.push(ev);
  return out;
}

const base = { model: MODEL, max_tokens: 1024, messages: [user('hi')] };

describe('fake API: streaming and non-streaming messages', () => {
  const api = useFakeApi();

  it('answers the default echo with exact usage, over stream() and create()', async () => {
    const client = sdk(api());
    const stream = client.messages.stream(base);
    const m = await stream.finalMessage();
    assert.deepEqual(m.content, [{ type: 'text', text: 'You said: hi' }]);
    assert.equal(m.stop_reason, 'end_turn');
    assert.equal(m.stop_sequence, null);
    // tokens("hi") = 1, + 3 per block + 4 per message = 8; output tokens("You said: hi") = 3.
    assert.equal(m.usage.input_tokens, 8);
    assert.equal(m.usage.output_tokens, 3);
    assert.equal(m.usage.cache_read_input_tokens, 0);
    assert.equal(stream.request_id, api().messageRequests[0].requestId);
    assert.match(stream.request_id ?? '', /^req_011C/);
    assert.equal(api().messageRequests[0].headers['x-stainless-helper-method'], 'stream');

    const c = await client.messages.create(base);
    assert.deepEqual(c.content, [{ type: 'text', text: 'You said: hi', citations: null }]);
    assert.equal(c.usage.input_tokens, 8);
    assert.equal(c.usage.output_tokens, 3);
    assert.equal(c._request_id, api().messageRequests[1].requestId);
  });

  it('sends named events in the documented order with mandatory usage and one ping', async () => {
    api().queue(reply.text('Hello there!', { chunkSize: 5 }));
    const evs = await rawEvents(sdk(api()), base);
    assert.deepEqual(evs.map((e) => e.type), [
      'message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta',
      'content_block_stop', 'message_delta', 'message_stop',
    ]); // the SDK drops the ping; the raw test below sees it
    const start = evs[0] as Anthropic.RawMessageStartEvent;
    assert.equal(start.message.usage.input_tokens, 8);
    assert.equal(start.message.stop_reason, null);
    const delta = evs[6] as Anthropic.RawMessageDeltaEvent;
    assert.equal(delta.usage.output_tokens, 3);
    assert.deepEqual(evs.slice(2, 5).map((e) => (e as Anthropic.RawContentBlockDeltaEvent).delta), [
      { type: 'text_delta', text: 'Hello' }, { type: 'text_delta', text: ' ther' }, { type: 'text_delta', text: 'e!' },
    ]);
  });

  it('puts a ping after the first content_block_start and an event: line on every frame (raw wire)', async () => {
    api().queue(reply.text('abc'));
    // asResponse() hands back the raw HTTP response the SDK received, before its SSE parser drops pings.
    const res = await sdk(api()).messages.create({ ...base, stream: true }).asResponse();
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.match(res.headers.get('request-id') ?? '', /^req_/);
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    const names = frames.map((f) => /^event: (\w+)\ndata: /.exec(f)?.[1]);
    assert.deepEqual(names, ['message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    for (const f of frames) {
      const [, name, data] = /^event: (\w+)\ndata: (.*)$/s.exec(f) ?? [];
      assert.equal(JSON.parse(data).type, name);
    }
  });

  it('ends the response right after a mid-stream `event: error`, without message_stop (raw wire)', async () => {
    api().queue(reply.streamError('abcdefghijklmnop', 1));
    const res = await sdk(api()).messages.create({ ...base, stream: true }).asResponse();
    assert.equal(res.status, 200);
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    assert.deepEqual(frames.map((f) => /^event: (\w+)/.exec(f)?.[1]), ['message_start', 'content_block_start', 'ping', 'content_block_delta', 'error']);
    assert.deepEqual(JSON.parse(frames[4].split('data: ')[1]), { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('streams tool_use input as input_json_delta fragments starting with ""', async () => {
    api().queue(reply.toolUse('get_weather', { location: 'Paris', unit: 'c' }, { preamble: "I'll check.", id: 'toolu_01abc', chunkSize: 7 }));
    const client = sdk(api());
    const evs = await rawEvents(client, base);
    const frags = evs.filter((e): e is Anthropic.RawContentBlockDeltaEvent => e.type === 'content_block_delta' && e.index === 1)
      .map((e) => (e.delta as Anthropic.InputJSONDelta).partial_json);
    assert.equal(frags[0], '');
    assert.ok(frags.length > 3);
    assert.equal(frags.join(''), JSON.stringify({ location: 'Paris', unit: 'c' }));

    api().queue(reply.toolUse('get_weather', { location: 'Paris', unit: 'c' }, { preamble: "I'll check.", id: 'toolu_01abc' }));
    const seen: string[] = [];
    const m = await client.messages.stream(base).on('inputJson', (d) => seen.push(d)).finalMessage();
    assert.equal(m.stop_reason, 'tool_use');
    assert.deepEqual(m.content, [
      { type: 'text', text: "I'll check." },
      { type: 'tool_use', id: 'toolu_01abc', name: 'get_weather', input: { location: 'Paris', unit: 'c' } },
    ]);
    assert.equal(seen.join(''), JSON.stringify({ location: 'Paris', unit: 'c' }));
  });

  it('streams thinking with thinking_delta then one signature_delta, and accepts it sent back unmodified', async () => {
    const client = sdk(api());
    const thinking = { type: 'enabled' as const, budget_tokens: 2048 };
    api().queue(reply.thinking('Let me add 2 and 2.', 'Four.', { chunkSize: 6 }));
    const stream = client.messages.stream({ ...base, model: 'claude-sonnet-4-6', max_tokens: 4096, thinking });
    const pieces: string[] = [];
    stream.on('thinking', (d) => pieces.push(d));
    const m = await stream.finalMessage();
    const [th, text] = m.content as [Anthropic.ThinkingBlock, Anthropic.TextBlock];
    assert.equal(th.type, 'thinking');
    assert.equal(th.thinking, 'Let me add 2 and 2.');
    assert.equal(pieces.join(''), 'Let me add 2 and 2.');
    assert.ok(th.signature.length > 20);
    assert.equal(text.text, 'Four.');
    // output tokens: tokens("Let me add 2 and 2.") = 5 + tokens("Four.") = 2.
    assert.equal(m.usage.output_tokens, 7);

    const evs = await (async () => {
      api().queue(reply.thinking('abc', 'x'));
      return rawEvents(client, { ...base, model: 'claude-sonnet-4-6', max_tokens: 4096, thinking });
    })();
    const kinds = evs.filter((e) => e.type === 'content_block_delta' && e.index === 0).map((e) => (e as Anthropic.RawContentBlockDeltaEvent).delta.type);
    assert.deepEqual(kinds, ['thinking_delta', 'signature_delta']);
    const st = evs.find((e) => e.type === 'content_block_start') as Anthropic.RawContentBlockStartEvent;
    assert.deepEqual(st.content_block, { type: 'thinking', thinking: '', signature: '' });

    // Send the thinking block back in the next turn: accepted.
    const next = await client.messages.create({
      ...base, model: 'claude-sonnet-4-6', max_tokens: 4096, thinking,
      messages: [user('2+2?'), assistant([th, text]), user('And 3+3?')],
    });
    assert.equal(next.stop_reason, 'end_turn');
  });

  it('with display "omitted" sends only the signature, and the empty block round-trips', async () => {
    const client = sdk(api());
    const thinking = { type: 'adaptive' as const, display: 'omitted' as const };
    api().queue(reply.thinking('secret reasoning that is hidden', 'Done.'));
    const evs = await rawEvents(client, { ...base, thinking });
    const d0 = evs.filter((e) => e.type === 'content_block_delta' && e.index === 0).map((e) => (e as Anthropic.RawContentBlockDeltaEvent).delta.type);
    assert.deepEqual(d0, ['signature_delta']);
    api().queue(reply.thinking('secret reasoning that is hidden', 'Done.'));
    const m = await client.messages.create({ ...base, thinking });
    const th = m.content[0] as Anthropic.ThinkingBlock;
    assert.equal(th.thinking, '');
    assert.ok(th.signature);
    assert.equal(m.usage.output_tokens, 8 + 2, 'hidden thinking is still billed');
    const ok = await client.messages.create({ ...base, thinking, messages: [user('q'), assistant(m.content as Anthropic.ContentBlockParam[]), user('more')] });
    assert.equal(ok.type, 'message');
  });

  it('streams redacted_thinking as a start carrying data, no deltas, and checks it on the way back', async () => {
    const client = sdk(api());
    api().queue(reply.message([{ type: 'redacted_thinking' }, { type: 'text', text: 'Answer.' }]));
    const evs = await rawEvents(client, base);
    assert.equal(evs.filter((e) => e.type === 'content_block_delta' && e.index === 0).length, 0);
    const st = evs.find((e) => e.type === 'content_block_start' && e.index === 0) as Anthropic.RawContentBlockStartEvent;
    assert.equal(st.content_block.type, 'redacted_thinking');

    api().queue(reply.message([{ type: 'redacted_thinking', data: 'EmwKAhgBEgy3scripted' }, { type: 'text', text: 'Answer.' }]));
    const m = await client.messages.stream(base).finalMessage();
    assert.deepEqual(m.content[0], { type: 'redacted_thinking', data: 'EmwKAhgBEgy3scripted' });
    await client.messages.create({ ...base, messages: [user('q'), assistant(m.content as Anthropic.ContentBlockParam[]), user('next')] });
  });

  it('keeps several blocks in index order: thinking, text, two tool calls', async () => {
    const blocks: ScriptedReply = reply.message([
      { type: 'thinking', thinking: 'Two lookups needed.' },
      { type: 'text', text: 'Looking both up.' },
      { type: 'tool_use', name: 'lookup', input: { q: 'a' } },
      { type: 'tool_use', name: 'lookup', input: { q: 'b', n: [1, 2] } },
    ]);
    const client = sdk(api());
    api().queue(blocks);
    const s = await client.messages.stream(base).finalMessage();
    api().queue(blocks);
    const c = await client.messages.create(base);
    for (const m of [s, c]) {
      assert.deepEqual(m.content.map((b) => b.type), ['thinking', 'text', 'tool_use', 'tool_use']);
      assert.deepEqual((m.content[3] as Anthropic.ToolUseBlock).input, { q: 'b', n: [1, 2] });
      assert.match((m.content[2] as Anthropic.ToolUseBlock).id, /^toolu_01/);
      assert.equal(m.stop_reason, 'tool_use');
    }
  });

  it('reports every stop reason, streamed and not', async () => {
    const client = sdk(api());
    const cases: Array<{ r: ScriptedReply; params?: Partial<Anthropic.MessageCreateParamsNonStreaming>; stop: string; seq: string | null; text: string }> = [
      { r: reply.text('All done.'), stop: 'end_turn', seq: null, text: 'All done.' },
      // max_tokens 2 -> 8 characters, stop max_tokens.
      { r: reply.text('This answer is far too long.'), params: { max_tokens: 2 }, stop: 'max_tokens', seq: null, text: 'This ans' },
      { r: reply.text('one two STOP three'), params: { stop_sequences: ['STOP', 'three'] }, stop: 'stop_sequence', seq: 'STOP', text: 'one two ' },
      { r: reply.text('Scripted.', { stopReason: 'stop_sequence', stopSequence: '###' }), stop: 'stop_sequence', seq: '###', text: 'Scripted.' },
      { r: reply.text('I can’t help with that.', { stopReason: 'refusal', refusal: { category: 'cyber' } }), stop: 'refusal', seq: null, text: 'I can’t help with that.' },
    ];
    for (const k of cases) {
      for (const streamed of [true, false]) {
        api().queue(k.r);
        const params = { ...base, ...k.params };
        const m = streamed ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
        const what = `${k.stop} streamed=${streamed}`;
        assert.equal(m.stop_reason, k.stop, what);
        assert.equal(m.stop_sequence, k.seq, what);
        assert.equal((m.content[0] as Anthropic.TextBlock).text, k.text, what);
        if (k.stop === 'refusal') assert.deepEqual(m.stop_details, { type: 'refusal', category: 'cyber', explanation: null });
      }
    }
  });

  it('pre-warms the cache with max_tokens 0: empty content, stop max_tokens', async () => {
    const m = await sdk(api()).messages.create({ ...base, max_tokens: 0 });
    assert.deepEqual(m.content, []);
    assert.equal(m.stop_reason, 'max_tokens');
    assert.equal(m.usage.output_tokens, 0);
  });

  it('speaks the 0.x dialect too: x-api-key and anthropic-version 2023-06-01', async () => {
    const m = await sdk0(api()).messages.stream(base).finalMessage();
    assert.equal((m.content[0] as Anthropic.TextBlock).text, 'You said: hi');
    const h = api().messageRequests[0].headers;
    assert.equal(h['anthropic-version'], '2023-06-01');
    assert.equal(h['x-api-key'], 'sk-ant-test.fake-key-0000000000000000');
    assert.equal(h['authorization'], undefined);
    await sdk(api()).messages.create(base);
    const h1 = api().messageRequests[1].headers;
    assert.equal(h1['anthropic-version'], '2026-10-21');
    assert.equal(h1['authorization'], 'Bearer sk-ant-test.fake-key-0000000000000000');
  });
});
