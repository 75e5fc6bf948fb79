// The dispatch test's cases for the conversation list, the model, the context and the editor (see dispatch.test.ts).
import * as assert from 'node:assert/strict';
import type { WebviewToHost } from '../../../src/shared/protocol';
import { FakeComposerHost, tempWorkspace } from '../composer/fakeHost';
import { INITIAL_TURNS_SENT, PAGE_TURNS } from '../../../src/core/chat/turnPages';
import { newConversation } from '../../../src/core/conversation';
import { bigTurns, chatHarness, until } from './fakes';
import { Cases, withTurn } from './turnCases';
import type { SessionCase } from './sessionCases';

type Rest = Exclude<WebviewToHost['type'], 'ready' | 'send' | 'stop' | 'retry' | 'continue' | 'continueTools' | 'trim' | 'toolDecision' | SessionCase | AttachmentMessage | 'setEffort' | 'setToolChoice' | 'setWebTools'>;
/** Their cases are in ../attachments/attachmentCases.ts. */
export type AttachmentMessage = 'attachFile' | 'attachUris' | 'pickAttachments' | 'removeAttachment' | 'openAttachment' | 'openCitation' | 'imagePrepared';

export const CONVERSATION_CASES: Cases<Rest> = {
  loadOlder: {
    title: 'a long conversation opens with its newest turns; each loadOlder answers the page before the view\'s first turn, for the open conversation only',
    async run(api) {
      const h = await chatHarness(api);
      const conv = { ...newConversation(), title: 'long', turns: bigTurns(300) };
      await h.store.save(conv, false);
      await h.app.handle({ type: 'openConversation', id: conv.id });
      const state = h.of('state').at(-1)!.state;
      assert.equal(state.conversationId, conv.id);
      // Its meter (an estimate of the whole conversation) comes right after the state rather than in it.
      const at = h.posted.map((m) => m.type).lastIndexOf('state');
      assert.equal(state.meter, undefined);
      assert.equal(h.posted[at + 1]?.type, 'meter');
      assert.deepEqual(state.turns.map((t) => t.id), conv.turns.slice(-INITIAL_TURNS_SENT).map((t) => t.id));
      assert.equal(state.olderTurns, 300 - INITIAL_TURNS_SENT);

      await h.app.handle({ type: 'loadOlder', conversationId: conv.id, before: state.turns[0].id });
      const page = h.of('olderTurns').at(-1)!;
      const end = 300 - INITIAL_TURNS_SENT;
      assert.deepEqual(page.turns.map((t) => t.id), conv.turns.slice(end - PAGE_TURNS, end).map((t) => t.id));
      assert.deepEqual({ conversationId: page.conversationId, before: page.before, olderTurns: page.olderTurns }, { conversationId: conv.id, before: state.turns[0].id, olderTurns: end - PAGE_TURNS });

      // Another conversation's request is stale (its state is on the way): no answer, no state.
      const posted = h.posted.length;
      await h.app.handle({ type: 'loadOlder', conversationId: 'cother', before: 'tb5' });
      assert.equal(h.posted.length, posted);
      // A first turn the conversation no longer has: the view is out of date and gets the state again.
      await h.app.handle({ type: 'loadOlder', conversationId: conv.id, before: 'tgone' });
      assert.deepEqual(h.posted.slice(posted).map((m) => m.type), ['state', 'meter']);
      // A new turn: the state still ends with it, the older ones still come by page.
      await withTurn(api, h, 'one more');
      await h.app.pushState();
      const after = h.of('state').at(-1)!.state;
      assert.equal(after.turns.at(-1)!.userText, 'one more');
      assert.equal(after.turns.length, INITIAL_TURNS_SENT);
      assert.equal(after.olderTurns, 301 - INITIAL_TURNS_SENT);
      // A conversation sent whole still carries its meter in the state.
      await h.app.handle({ type: 'newChat' });
      await withTurn(api, h, 'short');
      await h.app.pushState();
      assert.ok(h.of('state').at(-1)!.state.meter, 'a short conversation\'s state has its meter');
    },
  },
  complete: {
    title: 'answers @ with ranked workspace files and / with the commands, under the id it was asked with',
    async run(api) {
      const w = tempWorkspace({ 'src/alpha.ts': 'a', 'src/beta.ts': 'b', 'README.md': 'r' });
      try {
        const h = await chatHarness(api, { composer: new FakeComposerHost(w.ws) });
        await h.app.handle({ type: 'complete', id: 7, trigger: '/', query: 'ex' });
        assert.deepEqual(h.of('completions').at(-1), { type: 'completions', id: 7, items: [{ kind: 'command', label: '/explain', detail: '[what to focus on]', description: 'Explain the selected code, the active file, or what you mention', insert: '/explain ' }] });
        await h.app.composer!.index.snapshot();
        await h.app.composer!.index.settled();
        await h.app.handle({ type: 'complete', id: 8, trigger: '@', query: 'alph' });
        const items = h.of('completions').filter((m) => m.id === 8).at(-1)!.items;
        assert.deepEqual(items[0], { kind: 'file', label: 'alpha.ts', detail: 'src', insert: '@file:src/alpha.ts ' });
      } finally {
        w.cleanup();
      }
    },
  },
  newChat: {
    title: 'empties the conversation and forgets which one was open',
    async run(api) {
      const h = await chatHarness(api);
      await withTurn(api, h);
      await until('saved', async () => (await h.store.openId()) === h.app.session.conversation.id);
      await h.app.handle({ type: 'newChat' });
      const state = h.of('state').at(-1)!.state;
      assert.deepEqual(state.turns, []);
      assert.notEqual(state.conversationId, undefined);
      assert.equal(await h.store.openId(), undefined);
    },
  },
  showHistory: {
    title: 'shows the saved conversations, newest first, with the open one marked',
    async run(api) {
      const h = await chatHarness(api);
      await withTurn(api, h, 'first chat');
      await until('saved', async () => (await h.store.list()).length === 1);
      await h.app.handle({ type: 'showHistory' });
      const msg = h.of('history').at(-1)!;
      assert.equal(msg.show, true);
      assert.deepEqual(msg.items.map((i) => i.title), ['first chat']);
      assert.equal(msg.openId, h.app.session.conversation.id);
    },
  },
  openConversation: {
    title: 'opens a saved conversation and sends its state; refused while a reply streams',
    async run(api) {
      const h = await chatHarness(api);
      await withTurn(api, h, 'the first');
      await h.app.history.saveOpen();
      const first = h.app.session.conversation.id;
      await h.app.handle({ type: 'newChat' });
      await withTurn(api, h, 'the second');
      await h.app.handle({ type: 'openConversation', id: first });
      assert.equal(h.of('state').at(-1)!.state.turns[0].userText, 'the first');
      api.queue({ kind: 'text', text: 'x'.repeat(200), chunkSize: 2, delayMs: 10 });
      const done = h.app.handle({ type: 'send', text: 'busy now' });
      await until('streaming', () => h.app.session.busy);
      const states = h.of('state').length;
      await h.app.handle({ type: 'openConversation', id: 'cdoesnotmatter' });
      assert.equal(h.of('state').length, states, 'not while busy');
      h.app.session.stop();
      await done;
    },
  },
  renameConversation: {
    title: 'asks for a title (not empty) and renames it',
    async run(api) {
      const h = await chatHarness(api);
      await withTurn(api, h, 'old title');
      await h.app.history.saveOpen();
      h.fake.inputs.push('New title');
      await h.app.handle({ type: 'renameConversation', id: h.app.session.conversation.id });
      assert.equal(h.fake.inputRequests[0].validate?.('   '), 'A title cannot be empty.');
      assert.deepEqual((await h.store.list()).map((i) => i.title), ['New title']);
      assert.equal(h.app.session.conversation.title, 'New title');
    },
  },
  deleteConversation: {
    title: 'deletes at once, and Undo brings it back',
    async run(api) {
      const h = await chatHarness(api);
      await withTurn(api, h, 'doomed');
      await h.app.history.saveOpen();
      const id = h.app.session.conversation.id;
      h.fake.answers.push('Undo');
      await h.app.handle({ type: 'deleteConversation', id });
      assert.deepEqual(h.fake.named('info'), [['info', 'Deleted "doomed".', 'Undo']]);
      assert.deepEqual((await h.store.list()).map((i) => i.id), [id], 'restored by Undo');
      assert.equal(h.app.session.conversation.id, id, 'open again');
      h.fake.answers.push(undefined);
      await h.app.handle({ type: 'deleteConversation', id });
      assert.deepEqual(await h.store.list(), []);
      assert.deepEqual(h.of('state').at(-1)!.state.turns, []);
    },
  },
  exportConversation: {
    title: 'opens the conversation as Markdown; an empty one only says so',
    async run(api) {
      const h = await chatHarness(api);
      await h.app.handle({ type: 'exportConversation' });
      assert.deepEqual(h.fake.named('info'), [['info', 'There is nothing to export yet: this conversation is empty.']]);
      await withTurn(api, h, 'export me', 'exported reply');
      await h.app.handle({ type: 'exportConversation' });
      const md = String(h.fake.named('openMarkdown')[0][1]);
      assert.match(md, /export me/);
      assert.match(md, /exported reply/);
    },
  },
  setModel: {
    title: 'sets the conversation\'s model; the setting\'s own model clears the override',
    async run(api) {
      const h = await chatHarness(api);
      await h.app.handle({ type: 'setModel', model: 'claude-haiku-5-5' });
      assert.equal(h.app.session.conversation.model, 'claude-haiku-5-5');
      assert.equal(h.of('model').at(-1)!.model, 'claude-haiku-5-5');
      await withTurn(api, h);
      assert.equal((api.messageRequests.at(-1)!.body as { model: string }).model, 'claude-haiku-5-5');
      await h.app.handle({ type: 'setModel', model: 'claude-sonnet-5-5' });
      assert.equal(h.app.session.conversation.model, undefined);
      h.settings.model = 'claude-opus-5-5';
      h.modelChanged.fire();
      assert.equal(h.of('model').at(-1)!.model, 'claude-opus-5-5', 'a settings change reaches the picker');
    },
  },
  refreshModels: {
    title: 'lists the models again, bypassing the cache',
    async run(api) {
      const h = await chatHarness(api);
      await until('the first list', () => h.refreshModels.length === 1);
      await h.app.handle({ type: 'refreshModels' });
      assert.deepEqual(h.refreshModels, [false, true]);
      assert.deepEqual(h.of('models').at(-1)!.models.map((m) => m.id), ['claude-sonnet-5-5', 'claude-haiku-5-5']);
    },
  },
  draft: {
    title: 'counts the next request\'s tokens once typing pauses (count_tokens), and only for the last draft',
    async run(api) {
      const h = await chatHarness(api, { contextWindow: 200_000 });
      await h.app.handle({ type: 'draft', text: 'a' });
      await h.app.handle({ type: 'draft', text: 'a draft of a question' });
      await until('the estimate', () => h.of('estimate').length === 1);
      const e = h.of('estimate')[0];
      assert.ok(e.tokens! > 0 && e.contextWindow === 200_000);
      assert.equal(api.requests.filter((r) => r.path === '/v1/messages/count_tokens').length, 1, 'debounced to one count');
      assert.ok(h.usage.log.some((l) => l.endsWith('estimate')));
    },
  },
  removeContext: {
    title: 'detaches a context document and sends the chips',
    async run(api) {
      const h = await chatHarness(api);
      h.app.attachContext([{ id: 'file:///a.ts', label: 'a.ts', kind: 'file', text: 'x'.repeat(40) }, { id: 'file:///b.ts', label: 'b.ts', kind: 'file', text: 'y' }]);
      assert.deepEqual(h.of('context').at(-1)!.items.map((c) => [c.label, c.tokens]), [['a.ts', 10], ['b.ts', 1]]);
      await h.app.handle({ type: 'removeContext', id: 'file:///a.ts' });
      assert.deepEqual(h.of('context').at(-1)!.items.map((c) => c.label), ['b.ts']);
      assert.deepEqual(h.app.session.context.map((d) => d.id), ['file:///b.ts']);
    },
  },
  revealContext: {
    title: 'reveals an attached selection at its lines; an unknown id does nothing',
    async run(api) {
      const h = await chatHarness(api);
      h.app.attachContext([{ id: 'sel', label: 'a.ts:3-4', uri: 'file:///w/a.ts', kind: 'selection', text: 'x', range: { startLine: 2, endLine: 3 } }]);
      await h.app.handle({ type: 'revealContext', id: 'sel' });
      await h.app.handle({ type: 'revealContext', id: 'nope' });
      assert.deepEqual(h.fake.named('reveal'), [['reveal', 'file:///w/a.ts', { startLine: 2, endLine: 3 }]]);
    },
  },
  revealRef: {
    title: 'reveals the file range a message was about',
    async run(api) {
      const h = await chatHarness(api);
      api.queue({ kind: 'text', text: 'It greets.' });
      await h.app.send('Explain this', { label: 'src/a.ts', uri: 'file:///w/src/a.ts', startLine: 4, endLine: 9 });
      await h.app.handle({ type: 'revealRef', turnId: h.app.session.history[0].id });
      await h.app.handle({ type: 'revealRef', turnId: 'unknown' });
      assert.deepEqual(h.fake.named('reveal'), [['reveal', 'file:///w/src/a.ts', { startLine: 4, endLine: 9 }]]);
    },
  },
  runCommand: {
    title: 'runs "Set API Key" or opens the extension\'s settings',
    async run(api) {
      const h = await chatHarness(api);
      await h.app.handle({ type: 'runCommand', command: 'setApiKey' });
      await h.app.handle({ type: 'runCommand', command: 'openSettings' });
      assert.deepEqual(h.fake.calls.filter((c) => c[0] === 'setApiKey' || c[0] === 'openSettings'), [['setApiKey'], ['openSettings', 'claudeChat']]);
    },
  },
  openLink: {
    title: 'opens http(s) and mailto links; refuses command:, file:, javascript: and says so',
    async run(api) {
      const h = await chatHarness(api);
      for (const href of ['https://example.com/a?b=c', 'HTTP://example.com', 'mailto:a@b.c', 'command:workbench.action.terminal.new', 'file:///etc/passwd', 'javascript:alert(1)', 'no-scheme-here', '']) {
        await h.app.handle({ type: 'openLink', href });
      }
      assert.deepEqual(h.fake.named('openExternal').map((c) => c[1]), ['https://example.com/a?b=c', 'HTTP://example.com', 'mailto:a@b.c']);
      assert.deepEqual(h.fake.named('warn').map((c) => c[1]), [
        'Claude API Chat does not open "command:" links from replies.',
        'Claude API Chat does not open "file:" links from replies.',
        'Claude API Chat does not open "javascript:" links from replies.',
      ]);
    },
  },
  codeBlockAction: {
    title: 'hands copy / insert / apply of a code block to the code-block port',
    async run(api) {
      const h = await chatHarness(api);
      for (const action of ['copy', 'insert', 'apply'] as const) await h.app.handle({ type: 'codeBlockAction', action, code: 'const x = 1;', lang: 'ts' });
      assert.deepEqual(h.fake.named('codeBlock').map((c) => c[1]), ['copy', 'insert', 'apply']);
      assert.deepEqual(h.fake.named('codeBlock')[0].slice(2), ['const x = 1;', 'ts']);
    },
  },
};
