// The dispatch test's cases, one per WebviewToHost type (see dispatch.test.ts). Split in two files by subject:
// the turn (sending, stopping, retrying, tools) here, the conversation and the editor in conversationCases.ts.
import * as assert from 'node:assert/strict';
import { CONTINUE_PROMPT } from '../../../src/core/chatSession';
import type { ToolCall, ToolResult, ToolRunContext } from '../../../src/core/tools/types';
import type { WebviewToHost } from '../../../src/shared/protocol';
import type { FakeApi } from '../../fake-api/server';
import { chatHarness, Harness, until } from './fakes';
import { scripted } from '../session/helpers';

export type Case = { title: string; run(api: FakeApi): Promise<void> };
export type Cases<K extends WebviewToHost['type']> = Record<K, Case>;

export const lastRequestText = (api: FakeApi) => {
  const msgs = (api.messageRequests.at(-1)!.body as { messages: { content: { type: string; text?: string }[] }[] }).messages;
  return msgs.at(-1)!.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
};

export async function withTurn(api: FakeApi, h: Harness, text = 'hello', reply = 'hi there'): Promise<void> {
  api.queue({ kind: 'text', text: reply });
  await h.app.handle({ type: 'send', text });
}

/** A runner that answers every call, for the tool-cap test. */
const echoTools = {
  definitions: () => [{ name: 'read_file', description: 'Read a file.', input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } } }],
  run: async (calls: ToolCall[], ctx: ToolRunContext): Promise<ToolResult[]> =>
    calls.map((c) => {
      ctx.onStatus?.(c.id, 'done');
      return { toolUseId: c.id, content: `read ${JSON.stringify(c.input)}`, isError: false };
    }),
};

export const TURN_CASES: Cases<'ready' | 'send' | 'stop' | 'retry' | 'continue' | 'continueTools' | 'trim' | 'toolDecision'> = {
  ready: {
    title: 'answers with the whole state, then the model list',
    async run(api) {
      const h = await chatHarness(api, { notReady: true });
      assert.equal(h.posted.length, 0, 'nothing reaches a page that has not said ready');
      await h.app.handle({ type: 'ready' });
      await until('the models', () => h.of('models').length === 1);
      assert.deepEqual(h.posted.map((m) => m.type), ['state', 'context', 'models']);
      assert.deepEqual(h.refreshModels, [false]);
    },
  },
  send: {
    title: 'streams the reply: the view gets the session events unchanged, the usage counter and the store are fed',
    async run(api) {
      const h = await chatHarness(api);
      const events: unknown[] = [];
      h.app.session.onDidEvent((e) => events.push(structuredClone(e)));
      h.posted.length = 0;
      api.queue({ kind: 'text', text: 'Hello there, friend.', chunkSize: 4 });
      await h.app.handle({ type: 'send', text: '  hi  ' });
      assert.equal(lastRequestText(api), 'hi', 'trimmed');
      assert.deepEqual(h.posted.filter((m) => m.type !== 'history'), events, 'forwarded one to one');
      assert.deepEqual(h.posted.map((m) => m.type).filter((t, i, a) => a[i - 1] !== t), ['turnStart', 'blockStart', 'blockDelta', 'blockStop', 'meter', 'turnEnd']);
      assert.deepEqual(h.usage.log.filter((l) => !l.startsWith('streaming')), ['record', 'streamEnded', h.usage.log.find((l) => l.startsWith('context'))]);
      assert.ok(h.usage.log.some((l) => l === 'streaming 5'), 'a live estimate of 20 characters');
      assert.deepEqual(h.fake.named('busy'), [['busy', true], ['busy', false]]);
      await until('the save', async () => (await h.store.list()).length === 1);
      h.guardAnswers.push(false);
      await h.app.handle({ type: 'send', text: 'refused by the spend guard' });
      assert.equal(api.messageRequests.length, 1, 'the spend guard said no: nothing sent');
      await h.app.handle({ type: 'send', text: '   ' });
      assert.equal(api.messageRequests.length, 1, 'blank: nothing sent');
    },
  },
  stop: {
    title: 'stops the reply at once and keeps what arrived',
    async run(api) {
      const h = await chatHarness(api);
      api.queue({ kind: 'text', text: 'z'.repeat(400), chunkSize: 4, delayMs: 10 });
      const done = h.app.handle({ type: 'send', text: 'long' });
      await until('some text', () => h.of('blockDelta').length >= 2);
      await h.app.handle({ type: 'stop' });
      await done;
      const end = h.of('turnEnd').at(-1)!;
      assert.equal(end.outcome.status, 'stopped');
      assert.ok(h.app.session.history[0].blocks[0].text.length < 400);
    },
  },
  retry: {
    title: 're-sends a failed turn, after asking the spend guard',
    async run(api) {
      const h = await chatHarness(api);
      api.queue({ kind: 'error', status: 500, errorType: 'api_error', message: 'Internal server error' });
      await h.app.handle({ type: 'send', text: 'please' });
      assert.equal(h.of('turnEnd').at(-1)!.outcome.status, 'error');
      h.guardAnswers.push(false);
      await h.app.handle({ type: 'retry' });
      assert.equal(api.messageRequests.length, 1, 'the guard said no');
      api.queue({ kind: 'text', text: 'ok now' });
      await h.app.handle({ type: 'retry' });
      assert.equal(h.app.session.history.length, 1);
      assert.equal(h.app.session.history[0].blocks[0].text, 'ok now');
    },
  },
  continue: {
    title: 'asks the model to go on after max_tokens',
    async run(api) {
      const h = await chatHarness(api, { settings: { maxTokens: 5 } });
      api.queue({ kind: 'text', text: 'a long answer that will not fit in five tokens' });
      await h.app.handle({ type: 'send', text: 'go' });
      assert.equal(h.of('turnEnd').at(-1)!.outcome.stopReason, 'max_tokens');
      api.queue({ kind: 'text', text: 'rest' });
      await h.app.handle({ type: 'continue' });
      assert.equal(lastRequestText(api), CONTINUE_PROMPT);
    },
  },
  continueTools: {
    title: 'lets the tool loop go on after the round cap',
    async run(api) {
      const h = await chatHarness(api, { tools: echoTools, settings: { maxToolRounds: 1 } });
      const call = { kind: 'message' as const, blocks: [{ type: 'tool_use' as const, name: 'read_file', input: { path: 'a' } }], stopReason: 'tool_use' as const };
      api.queue(call, { kind: 'text', text: 'finished' });
      await h.app.handle({ type: 'send', text: 'look' });
      assert.equal(h.of('turnEnd').at(-1)!.outcome.toolCapReached, true);
      await h.app.handle({ type: 'continueTools' });
      assert.equal(h.of('turnResume').length, 1);
      assert.equal(h.of('turnEnd').at(-1)!.outcome.status, 'complete');
      assert.equal(h.app.session.history[0].blocks.at(-1)!.text, 'finished');
    },
  },
  trim: {
    title: 'after "prompt is too long" with automatic compaction off, Compact and Retry compacts and sends again (on, it does so by itself)',
    async run(api) {
      const settings = { model: 'claude-tiny-test', maxTokens: 500, session: { autoCompact: false } as Record<string, unknown> };
      const h = await chatHarness(api, { contextWindow: 3000, settings });
      const s = scripted(api);
      for (let i = 0; i < 3; i++) {
        s.chat.push({ kind: 'text', text: `r${i} ` + 'q'.repeat(900) });
        await h.app.handle({ type: 'send', text: `m${i} ` + 'p'.repeat(900) });
      }
      s.chat.push({ kind: 'error', status: 400, message: 'prompt is too long: 3100 tokens > 3000 maximum' });
      await h.app.handle({ type: 'send', text: 'one more' });
      assert.equal(h.of('turnEnd').at(-1)!.outcome.error?.action, 'trim', 'automatic compaction is off: the user is asked');
      assert.equal(h.of('compacted').length, 0);
      await h.app.handle({ type: 'trim' });
      assert.equal(h.of('turnEnd').at(-1)!.outcome.status, 'complete');
      assert.equal(h.of('compacted').length, 1);
      assert.doesNotMatch(JSON.stringify(api.messageRequests.at(-1)!.body), /m0 p/, 'the oldest turn is in the summary now');
      assert.match(JSON.stringify(api.messageRequests.at(-1)!.body), /conversation-summary/);
      settings.session.autoCompact = true;
      s.chat.push({ kind: 'error', status: 400, message: 'prompt is too long: 3100 tokens > 3000 maximum' });
      await h.app.handle({ type: 'send', text: 'and again' });
      assert.equal(h.of('turnEnd').at(-1)!.outcome.status, 'complete', 'compacted once by itself and sent again');
      assert.equal(h.of('compacted').length, 2);
    },
  },
  toolDecision: {
    title: 'goes to the typed approval port, never through the command registry',
    async run(api) {
      const h = await chatHarness(api);
      for (const decision of ['approve', 'always', 'reject'] as const) await h.app.handle({ type: 'toolDecision', toolId: `toolu_${decision}`, decision });
      assert.deepEqual(h.fake.named('decide'), [['decide', 'toolu_approve', 'approve'], ['decide', 'toolu_always', 'always'], ['decide', 'toolu_reject', 'reject']]);
    },
  },
};
