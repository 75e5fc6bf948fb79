// The mapping between vscode.lm parts and the Messages API, both directions, in plain node.
import * as assert from 'node:assert/strict';
import type { MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { ReplyFolder, ToolInputError } from '../../../src/core/lm/fromStream';
import { capsFromApi, effectiveCaps, thinkingFor } from '../../../src/core/lm/modelCaps';
import type { LmMessage, LmResponsePart } from '../../../src/core/lm/parts';
import { buildProviderRequest } from '../../../src/core/lm/request';
import { ThinkingMemory } from '../../../src/core/lm/thinkingMemory';
import { toApiMessages } from '../../../src/core/lm/toMessages';
import { ToolNameMap } from '../../../src/core/lm/toolNames';
import { chatInformation } from '../../../src/core/lm/chatInfo';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const bytes = (s: string) => new TextEncoder().encode(s);
const user = (...content: LmMessage['content']): LmMessage => ({ role: 1, content });
const assistant = (...content: LmMessage['content']): LmMessage => ({ role: 2, content });
const text = (value: string) => ({ kind: 'text' as const, value });

describe('vscode.lm -> Messages API', () => {
  it('maps roles, appends role 3 to system, merges same-role messages and puts tool results first', () => {
    const r = toApiMessages([
      { role: 3, content: [text('Be brief.')] },
      user(text('one')),
      user(text('two')),
      assistant(text('calling'), { kind: 'toolCall', callId: 'c1', name: 'lookup', input: { q: 'x' } }),
      user(text('after'), { kind: 'toolResult', callId: 'c1', content: [text('found it')] }),
    ]);
    assert.deepEqual(r.system, [{ type: 'text', text: 'Be brief.' }]);
    assert.deepEqual(r.messages, [
      { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'calling' }, { type: 'tool_use', id: 'c1', name: 'lookup', input: { q: 'x' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: [{ type: 'text', text: 'found it' }] }, { type: 'text', text: 'after' }] },
    ]);
  });

  it('maps image and PDF data parts to base64 blocks, text and JSON to text, and drops markers and unknown parts', () => {
    const r = toApiMessages([
      user(
        text('look'),
        { kind: 'data', mimeType: 'image/png', data: PNG },
        { kind: 'data', mimeType: 'application/pdf', data: bytes('%PDF-1.4') },
        { kind: 'data', mimeType: 'text/x-json', data: bytes('{"a":1}') },
        { kind: 'data', mimeType: 'cache_control', data: bytes('ephemeral') },
        { kind: 'data', mimeType: 'application/octet-stream', data: PNG },
        { kind: 'data', mimeType: 'image/bmp', data: PNG },
        { kind: 'unknown' },
        { kind: 'thinking', value: 'old thoughts' },
        text('   '),
      ),
    ]);
    assert.deepEqual(r.messages[0].content, [
      { type: 'text', text: 'look' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: Buffer.from(PNG).toString('base64') } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: Buffer.from('%PDF-1.4').toString('base64') } },
      { type: 'text', text: '{"a":1}' },
      { type: 'text', text: '[an image/bmp image was left out: the API takes JPEG, PNG, GIF and WebP]' },
    ]);
  });

  it('maps tool-result content (text, images, prompt-tsx) and marks errors; an empty result still answers the call', () => {
    const r = toApiMessages([
      assistant({ kind: 'toolCall', callId: 'a', name: 't', input: {} }, { kind: 'toolCall', callId: 'b', name: 't', input: {} }),
      user(
        { kind: 'toolResult', callId: 'a', content: [text('ok'), { kind: 'data', mimeType: 'image/png', data: PNG }, { kind: 'tsx', value: { node: 1 } }] },
        { kind: 'toolResult', callId: 'b', content: [], isError: true },
      ),
    ]);
    const [a, b] = r.messages[1].content as { type: string; content: unknown; is_error?: boolean }[];
    assert.deepEqual(a.content, [
      { type: 'text', text: 'ok' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: Buffer.from(PNG).toString('base64') } },
      { type: 'text', text: '{"node":1}' },
    ]);
    assert.deepEqual([b.content, b.is_error], ['The tool failed without a message.', true]);
  });

  it("gives a caller's tool names that the API refuses a valid name, and maps calls back to the caller's name", () => {
    const names = new ToolNameMap();
    const req = buildProviderRequest(
      [user(text('hi')), assistant({ kind: 'toolCall', callId: 'c', name: 'my.tool/v2', input: {} }), user({ kind: 'toolResult', callId: 'c', content: [text('r')] })],
      [{ name: 'my.tool/v2', description: 'x', inputSchema: { type: 'object', properties: { a: { type: 'string' } } } }, { name: 'my_tool_v2', description: 'y' }],
      1,
      { model: 'claude-sonnet-5-5', maxTokens: 1000, thinking: 'off', thinkingBudget: 2048 },
    );
    void names;
    assert.deepEqual(req.params.tools?.map((t) => (t as { name: string }).name), ['my_tool_v2', 'my_tool_v2_2']);
    assert.deepEqual((req.params.tools?.[1] as { input_schema: unknown }).input_schema, { type: 'object', properties: {} }, 'a missing schema becomes an empty object schema');
    const call = (req.params.messages[1].content as { type: string; name?: string }[]).find((b) => b.type === 'tool_use');
    assert.equal(call?.name, 'my_tool_v2');
    const parts: LmResponsePart[] = [];
    const folder = new ReplyFolder(req.names, (p) => parts.push(p));
    for (const e of toolCallEvents('toolu_1', 'my_tool_v2_2', '{"q":1}')) folder.fold(e);
    assert.deepEqual(parts, [{ kind: 'toolCall', callId: 'toolu_1', name: 'my_tool_v2', input: { q: 1 } }]);
  });

  it('applies the core cache plan: the last tool, the system block and the newest user turns get cache_control', () => {
    const long = 'word '.repeat(800);
    const req = buildProviderRequest(
      [{ role: 3, content: [text(`System ${long}`)] }, user(text(`first ${long}`)), assistant(text('answer')), user(text('second'))],
      [{ name: 'a', description: 'A', inputSchema: { type: 'object', properties: {} } }],
      1,
      { model: 'claude-sonnet-5-5', maxTokens: 1000, thinking: 'off', thinkingBudget: 2048 },
    );
    const p = req.params;
    assert.deepEqual((p.system as { cache_control?: unknown }[])[0].cache_control, { type: 'ephemeral' });
    const marked = p.messages.map((m) => (m.content as { cache_control?: unknown }[]).some((b) => b.cache_control !== undefined));
    assert.deepEqual(marked, [true, false, true], 'both user turns carry a breakpoint (the newest and the previous request\'s)');
  });
});

describe('thinking per model', () => {
  const caps = (model: string, api?: unknown) => effectiveCaps(model, capsFromApi(api));
  it('never sends thinking.enabled to a model that takes only adaptive, and none to one that has neither', () => {
    for (const m of ['claude-fable-5-2', 'claude-opus-4-8', 'claude-opus-5-5', 'claude-mythos-5-1']) {
      assert.deepEqual(thinkingFor(caps(m), 'on', 4096, 16000), { type: 'adaptive' }, m);
      assert.deepEqual(thinkingFor(caps(m), 'auto', 4096, 16000), { type: 'adaptive' }, m);
    }
    assert.equal(thinkingFor(caps('claude-haiku-4-5-20251001'), 'auto', 4096, 16000), undefined, 'auto: no budgeted thinking on a model without adaptive');
    assert.deepEqual(thinkingFor(caps('claude-haiku-4-5-20251001'), 'on', 4096, 16000), { type: 'enabled', budget_tokens: 4096 });
    assert.equal(thinkingFor(caps('claude-haiku-4-5-20251001'), 'on', 4096, 4096), undefined, 'a budget not below max_tokens is not sent');
    assert.equal(thinkingFor(caps('claude-sonnet-5-5'), 'off', 4096, 16000), undefined);
  });

  it('follows /v1/models capabilities over the id table', () => {
    const api = { thinking: { supported: true, types: { adaptive: { supported: false }, enabled: { supported: true } } }, image_input: { supported: false } };
    assert.deepEqual(thinkingFor(caps('claude-fable-9', api), 'on', 2048, 8000), { type: 'enabled', budget_tokens: 2048 });
    assert.equal(caps('claude-fable-9', api).imageInput, false);
    assert.equal(thinkingFor(caps('claude-fable-9', { thinking: { supported: false } }), 'on', 2048, 8000), undefined);
  });

  it('a required tool call drops thinking (the API refuses both) and falls back to auto where forcing is refused', () => {
    const msgs = [user(text('go'))];
    const tools = [{ name: 't', description: 'd' }];
    const s = { maxTokens: 16000, thinking: 'auto' as const, thinkingBudget: 4096 };
    const forced = buildProviderRequest(msgs, tools, 2, { model: 'claude-sonnet-5-5', ...s });
    assert.deepEqual([forced.params.tool_choice, forced.params.thinking], [{ type: 'any' }, undefined]);
    const refused = buildProviderRequest(msgs, tools, 2, { model: 'claude-opus-5-5', ...s });
    assert.deepEqual([refused.params.tool_choice, refused.params.thinking], [undefined, { type: 'adaptive' }]);
  });

  it("puts a tool-use turn's thinking back, and leaves thinking out when it is gone", () => {
    const memory = new ThinkingMemory();
    const names = new ToolNameMap();
    const parts: LmResponsePart[] = [];
    const folder = new ReplyFolder(names, (p) => parts.push(p), memory);
    const events: MessageStreamEvent[] = [
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'SIG' } },
      { type: 'content_block_stop', index: 0 },
      ...toolCallEvents('toolu_9', 'look', '{}', 1),
    ];
    for (const e of events) folder.fold(e);
    folder.finish();
    assert.deepEqual(parts.map((p) => p.kind), ['thinking', 'toolCall']);
    const loop = [user(text('q')), assistant({ kind: 'toolCall', callId: 'toolu_9', name: 'look', input: {} }), user({ kind: 'toolResult', callId: 'toolu_9', content: [text('r')] })];
    const s = { model: 'claude-sonnet-5-5', maxTokens: 16000, thinking: 'auto' as const, thinkingBudget: 4096 };
    const withMemory = buildProviderRequest(loop, [{ name: 'look', description: 'd' }], 1, s, memory);
    assert.deepEqual((withMemory.params.messages[1].content as { type: string }[])[0], { type: 'thinking', thinking: 'hmm', signature: 'SIG' });
    assert.deepEqual(withMemory.params.thinking, { type: 'adaptive' });
    const lost = buildProviderRequest(loop, [{ name: 'look', description: 'd' }], 1, s, new ThinkingMemory());
    assert.equal(lost.params.thinking, undefined);
    assert.match(lost.notes.join(), /no thinking to send back/);
  });
});

describe('Messages API stream -> vscode.lm parts', () => {
  it('streams text deltas as text parts and a tool call once its input is complete', () => {
    const parts: LmResponsePart[] = [];
    const folder = new ReplyFolder(new ToolNameMap(), (p) => parts.push(p));
    const events: MessageStreamEvent[] = [
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
      { type: 'content_block_stop', index: 0 },
      ...toolCallEvents('toolu_2', 'get', '{"k":"v"}', 1),
    ];
    for (const e of events) folder.fold(e);
    assert.deepEqual(parts, [text('Hel'), text('lo'), { kind: 'toolCall', callId: 'toolu_2', name: 'get', input: { k: 'v' } }]);
  });

  it('refuses a tool call whose input is not JSON instead of calling the tool with garbage', () => {
    const folder = new ReplyFolder(new ToolNameMap(), () => {});
    assert.throws(() => toolCallEvents('toolu_3', 'get', '{"k":', 0).forEach((e) => folder.fold(e)), ToolInputError);
  });
});

describe('model information', () => {
  it('lists real context windows and output limits, tool calling, and image input where the model has it', () => {
    const info = chatInformation([
      { id: 'claude-opus-4-5-20251101', displayName: 'Claude Opus 4.5', contextWindow: 200_000, maxOutput: 64_000, caps: { imageInput: true } },
      { id: 'claude-text-only', displayName: 'Text', contextWindow: 100_000, maxOutput: 4096, caps: { imageInput: false } },
    ]);
    assert.deepEqual(info.map((i) => [i.id, i.family, i.maxInputTokens, i.maxOutputTokens, i.capabilities.imageInput, i.capabilities.toolCalling]), [
      ['claude-opus-4-5-20251101', 'claude-opus-4-5', 200_000, 64_000, true, true],
      ['claude-text-only', 'claude-text-only', 100_000, 4096, false, true],
    ]);
  });
});

function toolCallEvents(id: string, name: string, json: string, index = 0): MessageStreamEvent[] {
  return [
    { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {}, caller: undefined } as never },
    { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(0, 3) } },
    { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(3) } },
    { type: 'content_block_stop', index },
  ];
}
