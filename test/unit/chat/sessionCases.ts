// The dispatch test's cases for the long-session messages (see dispatch.test.ts): compact, edit and resend,
// restore a checkpoint. The behaviour in depth is in test/unit/session/.
import * as assert from 'node:assert/strict';
import { RESTORE_AND_REWIND } from '../../../src/core/session/restore';
import { agentWorkspace, chatRequests, FsRestorePort, requestText, scripted, summaryRequests } from '../session/helpers';
import { chatHarness, until } from './fakes';
import type { Cases } from './turnCases';

export type SessionCase = 'compact' | 'editResend' | 'restoreCheckpoint';

export const SESSION_CASES: Cases<SessionCase> = {
  compact: {
    title: 'summarizes the older turns now: a divider, a notice with the cost, and the next request carries the summary',
    async run(api) {
      const h = await chatHarness(api, { contextWindow: 200_000 });
      const s = scripted(api);
      for (const q of ['first question about parsers', 'second question', 'third question']) await h.app.handle({ type: 'send', text: q });
      await h.app.handle({ type: 'compact' });
      assert.equal(summaryRequests(api).length, 1);
      const compacted = h.of('compacted');
      assert.equal(compacted.length, 1);
      assert.equal(compacted[0].compaction.turns, 2, 'the newest turn stays verbatim');
      assert.match(h.of('notice').map((n) => n.message).join('\n'), /Compacted the conversation as asked: 2 earlier turns are now a summary, written by claude-haiku-5-5; cost \$\d/);
      s.chat.push({ kind: 'text', text: 'ok' });
      await h.app.handle({ type: 'send', text: 'fourth' });
      const last = requestText(chatRequests(api).at(-1)!);
      assert.match(last, /conversation-summary/);
      assert.doesNotMatch(last, /first question about parsers/);
      await until('saved with its compaction', async () => ((await h.store.load(h.app.session.conversation.id))?.compactions?.length ?? 0) === 1);
    },
  },
  editResend: {
    title: 'forks before the edited message; the original stays whole in the history',
    async run(api) {
      const h = await chatHarness(api);
      for (const q of ['one', 'two', 'three']) await h.app.handle({ type: 'send', text: q });
      const old = h.app.session.conversation;
      await h.app.handle({ type: 'editResend', turnId: old.turns[1].id, text: 'two, edited' });
      const fork = h.app.session.conversation;
      assert.notEqual(fork.id, old.id);
      assert.deepEqual(fork.turns.map((t) => t.userText), ['one', 'two, edited']);
      assert.deepEqual(fork.forkOf, { conversationId: old.id, turnId: old.turns[1].id });
      assert.equal((await h.store.load(old.id))?.turns.length, 3, 'the old branch is reachable in the history');
      const sent = api.messageRequests.at(-1)!.body as { messages: { content: { text?: string }[] }[] };
      assert.deepEqual(sent.messages.map((m) => m.content.map((b) => b.text).join('')), ['one', 'You said: one', 'two, edited']);
    },
  },
  restoreCheckpoint: {
    title: 'restores the files an agent turn changed after showing the diff, and rewinds when asked',
    async run(api) {
      const w = agentWorkspace({ 'a.ts': 'export const a = 1;\n' });
      try {
        const restore = new FsRestorePort();
        const h = await chatHarness(api, { tools: w.runner, checkpoints: { workspace: w.port, restore } });
        api.queue({ kind: 'message', blocks: [{ type: 'tool_use', name: 'propose_edit', input: { path: 'a.ts', old_string: 'a = 1', new_string: 'a = 2' } }] }, { kind: 'text', text: 'Done.' });
        await h.app.handle({ type: 'send', text: 'make it 2' });
        assert.equal(await w.read('a.ts'), 'export const a = 2;\n');
        assert.deepEqual(h.of('turnEnd').at(-1)!.outcome.checkpoint, { paths: ['a.ts'], available: true });
        restore.answers.push(RESTORE_AND_REWIND);
        await h.app.handle({ type: 'restoreCheckpoint', turnId: h.app.session.history[0].id });
        assert.equal(await w.read('a.ts'), 'export const a = 1;\n');
        assert.equal(restore.diffs.length, 1);
        assert.equal(h.app.session.history.length, 0, 'rewound to before the turn');
      } finally {
        w.cleanup();
      }
    },
  },
};
