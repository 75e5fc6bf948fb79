// Listing 1,000 conversations stat()ed every file on every listing. A folder whose stamp has not moved since the last
// listing (and last changed more than a moment before it) holds the same files: the listing is served from the cache
// with one stat. Anything another window adds, replaces or deletes moves the stamp and is seen at once.
import * as assert from 'node:assert/strict';
import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newConversation } from '../../../src/core/conversation';
import { ConversationStore } from '../../../src/core/conversationStore';

const logger = { info() {}, warn() {}, error() {} };

function conv(title: string) {
  const c = newConversation();
  c.title = title;
  c.turns.push({ id: 't1', userText: 'hi', blocks: [], status: 'complete', model: 'm' });
  return c;
}

describe('ConversationStore: listing from an unchanged folder', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'list-stamp-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists with one stat when nothing changed, and still sees what another window adds or deletes', async () => {
    const a = new ConversationStore(dir, logger);
    const b = new ConversationStore(dir, logger);
    for (let i = 0; i < 20; i++) await b.save(conv(`c${i}`), false);
    assert.equal((await a.list()).length, 20);
    await new Promise((r) => setTimeout(r, 2200)); // the folder's last change is now settled
    assert.equal((await a.list()).length, 20); // records the settled stamp
    const stat = fsp.stat;
    let stats = 0;
    fsp.stat = ((...args: Parameters<typeof stat>) => {
      stats++;
      return stat(...args);
    }) as typeof stat;
    try {
      assert.equal((await a.list()).length, 20);
      assert.equal(stats, 1, `${stats} stats for an unchanged folder`);
    } finally {
      fsp.stat = stat;
    }
    const added = conv('added by window b');
    await b.save(added, false);
    assert.ok((await a.list()).some((s) => s.id === added.id), 'a conversation another window added is listed');
    await b.delete(added.id);
    assert.ok(!(await a.list()).some((s) => s.id === added.id), 'a deleted one is gone');
  });
});
