// A child process that plays one VS Code window writing to a shared storage folder (see windows.ts).
// argv: <kind> <dir> <count> <window> [compactBytes]. It waits for "go" from the parent so all windows write at once.
import { newConversation } from '../../../src/core/conversation';
import { ConversationStore } from '../../../src/core/conversationStore';
import { PendingStore } from '../../../src/core/batch/pendingStore';
import { UsageStore } from '../../../src/core/usage/store';
import type { Logger } from '../../../src/core/ports';

const [kind, dir, countText, window, compactText] = process.argv.slice(2);
const compactBytes = compactText ? Number(compactText) : undefined;
const count = Number(countText);
const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };

async function run(): Promise<void> {
  if (kind === 'usage') {
    const store = new UsageStore(dir, { compactBytes });
    for (let i = 0; i < count; i++) {
      await store.add({ model: 'claude-sonnet-5-5', inputTokens: 1, outputTokens: 2, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, batch: false, at: Date.now(), kind: 'chat', conversationId: 'c1', exact: true }, `w${window}`);
    }
    await store.flush();
  } else if (kind === 'pending') {
    const store = new PendingStore(dir);
    for (let i = 0; i < count; i++) {
      await store.add({ id: `msgbatch_w${window}_${i}`, created: Date.now(), model: 'claude-sonnet-5-5', instruction: 'Explain.', maxTokens: 512, baseURL: '', workspace: `w${window}`, files: {} });
    }
  } else if (kind === 'conversations') {
    const store = new ConversationStore(dir, quiet);
    for (let i = 0; i < count; i++) {
      const c = newConversation();
      c.title = `w${window} #${i}`;
      c.turns.push({ id: 't0', userText: 'q', model: 'claude-sonnet-5-5', status: 'complete', blocks: [{ id: 'b0', kind: 'text', text: 'a', complete: true }] });
      await store.save(c);
    }
  } else throw new Error(`unknown kind ${kind}`);
}

process.once('message', () => {
  run().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
});
process.send?.('ready');
