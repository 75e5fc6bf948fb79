// The dispatch test's cases for the request controls next to the model picker (effort, tool choice, web tools):
// what is offered per model, what goes on the wire, and the question before a change that breaks a warm cache.
import * as assert from 'node:assert/strict';
import { CapabilityTable } from '../../../src/core/capabilities';
import { BREAK_ANYWAY } from '../../../src/core/chat/requestControls';
import type { ToolCall, ToolResult, ToolRunContext } from '../../../src/core/tools/types';
import { reply, type FakeApi } from '../../fake-api/server';
import { chatHarness, Harness, HarnessOptions } from './fakes';
import type { Cases } from './turnCases';

type Body = { output_config?: { effort?: string }; tool_choice?: { type: string }; tools?: { name: string; type?: string; max_uses?: number; allowed_domains?: string[] }[] };
const body = (api: FakeApi, i = -1) => api.messageRequests.at(i)!.body as Body;
const table = new CapabilityTable();
const caps = (m: string) => table.get(m);
const WEB = { search: true, fetch: true, allowedDomains: ['https://Code.VisualStudio.com/'], blockedDomains: [], maxUses: 3 };

const tools = {
  definitions: () => [{ name: 'read_file', description: 'Read a file.', input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } } }],
  run: async (calls: ToolCall[], ctx: ToolRunContext): Promise<ToolResult[]> =>
    calls.map((c) => {
      ctx.onStatus?.(c.id, 'done');
      return { toolUseId: c.id, content: 'file text', isError: false };
    }),
};

async function harness(api: FakeApi, opts: HarnessOptions = {}): Promise<Harness> {
  return chatHarness(api, { capabilities: caps, ...opts });
}

const lastControls = (h: Harness) => h.of('controls').at(-1)!.controls;

export const OPTION_CASES: Cases<'setEffort' | 'setToolChoice' | 'setWebTools'> = {
  setEffort: {
    title: 'offers only the levels the model takes, sends output_config.effort, shows it on the turn; asks before breaking a warm cache',
    async run(api) {
      // A system prompt over Opus 4.6's 4,096-token cache minimum, so the first message warms the cache.
      const h = await harness(api, { settings: { model: 'claude-opus-4-6', systemPrompt: 'Be exact. '.repeat(2000) } });
      assert.deepEqual(lastControls(h).effort.options, ['low', 'medium', 'high', 'max'], 'no xhigh on Opus 4.6');
      await h.app.handle({ type: 'setEffort', effort: 'low' });
      assert.equal(lastControls(h).effort.value, 'low');
      api.queue(reply.text('quick'));
      await h.app.handle({ type: 'send', text: 'hi' });
      assert.deepEqual(body(api).output_config, { effort: 'low' });
      assert.equal(h.app.session.history[0].effort, 'low');
      // The cache is warm now: changing the effort asks first; dismissing keeps it.
      h.fake.answers.push(undefined);
      await h.app.handle({ type: 'setEffort', effort: 'max' });
      assert.match(String(h.fake.named('warn').at(-1)?.[1]), /Changing the effort makes the next message write the conversation's [\d,]+ cached tokens to the prompt cache again/);
      assert.equal(h.app.session.conversation.effort, 'low');
      assert.equal(lastControls(h).effort.value, 'low', 'the control snaps back');
      h.fake.answers.push(BREAK_ANYWAY);
      await h.app.handle({ type: 'setEffort', effort: 'max' });
      assert.equal(h.app.session.conversation.effort, 'max');
      // A model without effort: the control offers nothing and nothing is sent.
      const haiku = await harness(api, { settings: { model: 'claude-haiku-4-5' } });
      assert.deepEqual(lastControls(haiku).effort.options, []);
      await haiku.app.handle({ type: 'setEffort', effort: 'high' });
      api.queue(reply.text('ok'));
      await haiku.app.handle({ type: 'send', text: 'hi' });
      assert.equal(body(api).output_config, undefined, 'Haiku 4.5 would answer "This model does not support the effort parameter."');
    },
  },
  setToolChoice: {
    title: 'none and any go on the wire (any on the first round only); any is not offered where forced tool choice is rejected',
    async run(api) {
      const h = await harness(api, { tools });
      assert.deepEqual(lastControls(h).toolChoice.options, ['auto', 'none', 'any']);
      await h.app.handle({ type: 'setToolChoice', choice: 'any' });
      api.queue(reply.toolUse('read_file', { path: 'a.ts' }), reply.text('done'));
      await h.app.handle({ type: 'send', text: 'look' });
      assert.deepEqual(body(api, 0).tool_choice, { type: 'any' });
      assert.equal(body(api, 1).tool_choice, undefined, 'after its tool call the model may answer');
      await h.app.handle({ type: 'setToolChoice', choice: 'none' }); // a prompt under the cache minimum: nothing to lose, no question
      api.queue(reply.text('no tools'));
      await h.app.handle({ type: 'send', text: 'again' });
      assert.deepEqual(body(api).tool_choice, { type: 'none' });
      // Opus 5.5 rejects forced tool choice: not offered, and a stored "any" is not sent.
      const opus = await harness(api, { tools, settings: { model: 'claude-opus-5-5' } });
      assert.deepEqual(lastControls(opus).toolChoice.options, ['auto', 'none']);
      await opus.app.handle({ type: 'setToolChoice', choice: 'any' });
      api.queue(reply.text('fine'));
      await opus.app.handle({ type: 'send', text: 'hi' });
      assert.equal(body(api).tool_choice, undefined);
      assert.equal(opus.app.session.history[0].status, 'complete');
      // Thinking "enabled" rejects forced tool choice on every model.
      const thinking = await harness(api, { tools, settings: { thinking: 'enabled', thinkingBudget: 1024, maxTokens: 4096 } });
      assert.deepEqual(lastControls(thinking).toolChoice.options, ['auto', 'none']);
    },
  },
  setWebTools: {
    title: 'adds the server tools with the domain list and max_uses; off in Restricted Mode',
    async run(api) {
      const h = await harness(api, { tools, settings: { web: WEB } });
      assert.equal(lastControls(h).web.on, false, 'off by default');
      await h.app.handle({ type: 'setWebTools', on: true });
      assert.equal(lastControls(h).web.on, true);
      api.queue(reply.text('ok'));
      await h.app.handle({ type: 'send', text: 'search' });
      const sent = body(api).tools!;
      assert.deepEqual(sent.map((t) => t.type ?? t.name), ['read_file', 'web_search_20250305', 'web_fetch_20250910']);
      assert.deepEqual(sent[1].allowed_domains, ['code.visualstudio.com'], 'no scheme, lower case');
      assert.equal(sent[1].max_uses, 3);
      const restricted = await harness(api, { settings: { web: WEB, webDefault: true }, webBlocked: () => 'Restricted Mode' });
      assert.deepEqual(lastControls(restricted).web, { on: false, available: false, note: 'Restricted Mode' });
      await restricted.app.handle({ type: 'setWebTools', on: true });
      api.queue(reply.text('ok'));
      await restricted.app.handle({ type: 'send', text: 'search' });
      assert.equal(body(api).tools, undefined, 'no web tools in Restricted Mode, even with claudeChat.web.enabled');
      // Both domain lists: the API would answer 400, so the request is not sent and the settings are named.
      const both = await harness(api, { settings: { web: { ...WEB, blockedDomains: ['evil.example'] }, webDefault: true } });
      const before = api.messageRequests.length;
      await both.app.handle({ type: 'send', text: 'x' });
      assert.equal(api.messageRequests.length, before);
      assert.match(both.app.session.history[0].error?.message ?? '', /allowedDomains and claudeChat\.web\.blockedDomains cannot both be set/);
    },
  },
};
