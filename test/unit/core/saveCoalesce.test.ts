// Saves that wait behind a slow one are not queued once each (each with a deep copy of the whole conversation):
// the waiting save takes the newest state when it runs, and every caller's promise settles when it is on disk.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newConversation } from '../../../src/core/conversation';
import { ConversationStore } from '../../../src/core/conversationStore';

describe('ConversationStore: saves queued behind each other', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'save-coalesce-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the newest state once for a burst of saves, and every promise settles after it', async () => {
    const store = new ConversationStore(dir, { info() {}, warn() {}, error() {} });
    const c = newConversation();
    const copies: unknown[] = [];
    const parse = JSON.parse;
    // Count the deep copies saves take (JSON.parse of the conversation's JSON).
    JSON.parse = ((text: string, ...rest: unknown[]) => {
      const v = parse(text, ...(rest as []));
      if (v && typeof v === 'object' && (v as { id?: string }).id === c.id) copies.push(v);
      return v;
    }) as typeof JSON.parse;
    try {
      const saves: Promise<void>[] = [];
      for (let i = 0; i < 50; i++) {
        c.turns.push({ id: `t${i}`, userText: `q${i}`, blocks: [], status: 'complete', model: 'm' });
        saves.push(store.save(c));
      }
      await Promise.all(saves);
      assert.ok(copies.length <= 2, `${copies.length} deep copies for 50 saves`);
    } finally {
      JSON.parse = parse;
    }
    const onDisk = JSON.parse(readFileSync(join(dir, 'conversations', `${c.id}.json`), 'utf8'));
    assert.equal(onDisk.turns.length, 50, 'the newest state is on disk');
    assert.equal((await store.load(c.id))?.turns.length, 50);
  });
});
