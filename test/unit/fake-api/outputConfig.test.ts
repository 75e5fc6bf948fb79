// The fake's output_config (format and effort), strict tools and tool_choice, through the real SDK: the exact 400s
// the reference quotes, the model lists, and the default JSON answer under a format.
import Anthropic from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { reply } from '../../fake-api/server';
import { MODEL, rejectsWith, sdk, useFakeApi, user } from './helpers';

const base = { max_tokens: 1024, messages: [user('hi')] };
const schema = {
  type: 'object',
  properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, note: { type: 'string' } },
  required: ['name', 'tags'],
  additionalProperties: false,
};
const format = { type: 'json_schema' as const, schema };
const tool = { name: 'pick', input_schema: { type: 'object' as const, properties: { x: { type: 'string' } }, required: ['x'] } };

describe('fake API: output_config, strict tools and tool_choice', () => {
  const api = useFakeApi();
  const create = (p: Record<string, unknown>) => sdk(api()).messages.create({ model: MODEL, ...base, ...p } as unknown as Anthropic.MessageCreateParamsNonStreaming);
  const bad = async (p: Record<string, unknown>) => (await rejectsWith(create(p), Anthropic.BadRequestError)).error as { error: { message: string } };

  it('answers a format request with one JSON text block that matches the schema (required keys only by default)', async () => {
    const m = await create({ output_config: { format } });
    assert.equal(m.content.length, 1);
    assert.deepEqual(JSON.parse((m.content[0] as Anthropic.TextBlock).text), { name: '', tags: [] });
    api().queue(reply.json({ name: 'a', tags: ['x'] }, { chunkSize: 4 }));
    const s = await sdk(api()).messages.stream({ model: MODEL, ...base, output_config: { format } }).finalMessage();
    assert.deepEqual(JSON.parse((s.content[0] as Anthropic.TextBlock).text), { name: 'a', tags: ['x'] });
  });

  it('rejects schemas outside the supported subset with the reference texts', async () => {
    const open = { ...schema, additionalProperties: undefined };
    assert.equal((await bad({ output_config: { format: { type: 'json_schema', schema: open } } })).error.message,
      "output_config.format.schema: For 'object' type, 'additionalProperties' must be explicitly set to false");
    const min = { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'], additionalProperties: false };
    assert.equal((await bad({ tools: [{ ...tool, strict: true, input_schema: min }] })).error.message, "tools.0.custom: For 'integer' type, property 'minimum' is not supported");
    const loop = { $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } }, required: [], additionalProperties: false } }, $ref: '#/$defs/node' };
    assert.match((await bad({ output_config: { format: { type: 'json_schema', schema: loop } } })).error.message, /Circular reference detected in schema definitions: node -> node/);
    assert.equal((await bad({ output_config: { format: { type: 'json_schema', schema: { properties: {} } } } })).error.message, "Schema must have a 'type', 'anyOf', 'oneOf', or 'allOf' field");
    const many = { type: 'object', properties: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`p${i}`, { type: 'string' }])), required: [], additionalProperties: false };
    assert.equal((await bad({ output_config: { format: { type: 'json_schema', schema: many } } })).error.message,
      'Schemas contains too many optional parameters (25), which would make grammar compilation inefficient. Reduce the number of optional parameters in your tool schemas (limit: 24).');
  });

  it('effort: only the five values, only on models that take it, only the levels each takes', async () => {
    const m = await create({ output_config: { effort: 'low' } });
    assert.equal(m.type, 'message');
    assert.match((await bad({ output_config: { effort: 'adaptive' } })).error.message, /^output_config\.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'$/);
    assert.equal((await bad({ model: 'claude-haiku-4-5', output_config: { effort: 'low' } })).error.message, 'This model does not support the effort parameter.');
    await bad({ model: 'claude-opus-4-6', output_config: { effort: 'xhigh' } }); // no xhigh on Opus 4.6
    await create({ model: 'claude-opus-4-6', output_config: { effort: 'max' } });
    await bad({ model: 'claude-opus-4-5', output_config: { effort: 'max' } }); // no max on Opus 4.5
  });

  it('structured outputs only on models that support them (the list is per model)', async () => {
    api().models.add({ id: 'claude-no-grammar', structuredOutputs: false });
    assert.match((await bad({ model: 'claude-no-grammar', output_config: { format } })).error.message, /structured outputs are not supported for claude-no-grammar/);
    await bad({ model: 'claude-no-grammar', tools: [{ ...tool, strict: true, input_schema: { ...tool.input_schema, additionalProperties: false } }] });
    const info = await sdk(api()).models.retrieve('claude-no-grammar');
    assert.equal((info.capabilities as unknown as { structured_outputs: { supported: boolean } }).structured_outputs.supported, false);
  });

  it('forced tool choice: rejected with thinking enabled (every model) and outright on the configured models', async () => {
    const forced = { tools: [tool], tool_choice: { type: 'any' } };
    api().queue(reply.toolUse('pick', { x: 'a' }));
    await create(forced);
    assert.equal((await bad({ ...forced, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 } })).error.message, 'Thinking may not be enabled when tool_choice forces tool use.');
    for (const model of ['claude-fable-5-1', 'claude-mythos-5-1', 'claude-opus-5-5']) {
      assert.equal((await bad({ ...forced, model })).error.message, 'tool_choice: type "tool" and "any" are not supported for this model.', model);
      assert.equal((await bad({ model, tools: [tool], tool_choice: { type: 'tool', name: 'pick' } })).error.message, 'tool_choice: type "tool" and "any" are not supported for this model.');
    }
    api().features.rejectForcedToolChoice = [];
    api().queue(reply.toolUse('pick', { x: 'a' }));
    await create({ ...forced, model: 'claude-opus-5-5' }); // the list is configurable
    api().features.rejectForcedWithAdaptive = ['claude-fable-5'];
    await bad({ ...forced, model: 'claude-fable-5', thinking: { type: 'adaptive' } });
  });

  it('a script the API could not produce under tool_choice is a script error, not a reply', async () => {
    api().queue(reply.toolUse('pick', { x: 'a' }));
    await rejectsWith(create({ tools: [tool], tool_choice: { type: 'none' } }), Anthropic.InternalServerError);
    api().queue(reply.text('no call'));
    await rejectsWith(create({ tools: [tool], tool_choice: { type: 'any' } }), Anthropic.InternalServerError);
    assert.equal(api().scriptErrors.length, 2);
    api().queue(reply.text('fine'));
    const m = await create({ tools: [tool], tool_choice: { type: 'none' } });
    assert.equal((m.content[0] as Anthropic.TextBlock).text, 'fine');
  });

  it('count_tokens takes output_config but refuses server tools', async () => {
    const n = await sdk(api()).messages.countTokens({ model: MODEL, messages: [user('hi')], output_config: { format } });
    assert.ok(n.input_tokens > 0);
    await rejectsWith(sdk(api()).messages.countTokens({ model: MODEL, messages: [user('hi')], tools: [{ type: 'web_search_20250305', name: 'web_search' }] }), Anthropic.BadRequestError);
  });
});
