import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conversation, newConversation } from '../../../src/core/conversation';
import { ConversationStore } from '../../../src/core/conversationStore';
import { toMarkdown } from '../../../src/core/exportMarkdown';
import type { Logger } from '../../../src/core/ports';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';
import { lastTurnEnd, recordedSession, withoutCache } from './helpers';

function conv(title: string, turns = 1): Conversation {
  const c = newConversation();
  c.title = title;
  for (let i = 0; i < turns; i++) {
    c.turns.push({ id: `t${i}`, userText: `question ${i}`, model: 'claude-sonnet-5-5', status: 'complete', blocks: [{ id: `t${i}b0`, kind: 'text', text: `answer ${i}`, complete: true }] });
  }
  return c;
}

const logs: string[] = [];
const logger: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };

describe('ConversationStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'claude-chat-store-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('round-trips a conversation exactly and remembers which one was open', async () => {
    const c = conv('first', 3);
    await new ConversationStore(dir, logger).save(c);
    const fresh = new ConversationStore(dir, logger);
    assert.equal(await fresh.openId(), c.id);
    assert.deepEqual(await fresh.load(c.id), c);
    assert.deepEqual((await fresh.list()).map((i) => [i.title, i.turnCount]), [['first', 3]]);
  });

  it('writes atomically: no temp files are left, and concurrent saves do not interleave', async () => {
    const store = new ConversationStore(dir, logger);
    const c = conv('busy', 1);
    await Promise.all(Array.from({ length: 20 }, (_, i) => {
      c.turns[0].userText = `v${i}`;
      return store.save(c);
    }));
    const files = await fs.readdir(join(dir, 'conversations'));
    assert.deepEqual(files, [`${c.id}.json`]);
    assert.equal((await new ConversationStore(dir, logger).load(c.id))?.turns[0].userText, 'v19');
    assert.ok(!(await fs.readdir(dir)).some((f) => f.endsWith('.tmp')));
  });

  it('moves a corrupt file aside, reports it once, and keeps working', async () => {
    const reported: string[] = [];
    const c = conv('will break');
    await new ConversationStore(dir, logger).save(c);
    await fs.writeFile(join(dir, 'conversations', `${c.id}.json`), '{"id": "half-writt');
    const store = new ConversationStore(dir, logger, (m) => reported.push(m));
    assert.equal(await store.load(c.id), undefined);
    assert.equal(reported.length, 1);
    const names = await fs.readdir(join(dir, 'conversations'));
    assert.ok(names.some((n) => n.startsWith(`${c.id}.json.corrupt-`)), 'the bad file is kept for inspection');
    const other = conv('still fine');
    await store.save(other);
    assert.equal((await store.load(other.id))?.title, 'still fine');
  });

  it('rebuilds a corrupt index from the conversation files', async () => {
    const a = conv('a');
    const b = conv('b');
    const s1 = new ConversationStore(dir, logger);
    await s1.save(a);
    await s1.save(b);
    await fs.writeFile(join(dir, 'index.json'), 'not json');
    const reported: string[] = [];
    const s2 = new ConversationStore(dir, logger, (m) => reported.push(m));
    assert.deepEqual((await s2.list()).map((i) => i.title).sort(), ['a', 'b']);
    assert.equal(reported.length, 1);
  });

  it('renames and deletes; a deleted conversation can be saved back (Undo)', async () => {
    const store = new ConversationStore(dir, logger);
    const c = conv('old name');
    await store.save(c);
    await store.rename(c.id, '  new name ');
    assert.equal((await store.load(c.id))?.title, 'new name');
    const removed = await store.delete(c.id);
    assert.equal((await store.list()).length, 0);
    assert.equal(await store.openId(), undefined);
    await store.save(removed!);
    assert.equal((await store.list())[0].title, 'new name');
  });

  it('refuses ids that could escape the folder', async () => {
    const store = new ConversationStore(dir, logger);
    await assert.rejects(store.load('../../etc/passwd'), /invalid conversation id/);
  });
});

describe('Export to Markdown', () => {
  it('contains the turns and no key', () => {
    const c = conv('Exported', 2);
    c.turns[1].blocks.unshift({ id: 'x', kind: 'thinking', text: 'pondering', complete: true, signature: 'sig' });
    const md = toMarkdown(c);
    assert.match(md, /^# Exported/);
    assert.match(md, /## You\n\nquestion 1/);
    assert.match(md, /answer 1/);
    assert.match(md, /<details><summary>Thinking<\/summary>/);
    assert.ok(!md.includes(DEFAULT_TEST_KEY) && !md.includes('sk-ant'));
  });
});

describe('Context window', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({ models: [{ id: 'claude-tiny-test', max_input_tokens: 3000, max_tokens: 1024 }] });
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  function tinySession() {
    return recordedSession({
      apiKey: async () => DEFAULT_TEST_KEY,
      settings: () => ({ model: 'claude-tiny-test', maxTokens: 500, baseURL: api.url, maxAttempts: 1 }),
      contextWindow: () => 3000,
    });
  }

  it('leaves out the oldest turns so the request fits, keeps the newest, and says so', async () => {
    const { session, rec } = tinySession();
    const notices = () => rec.events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));
    for (let i = 0; i < 8; i++) {
      api.queue({ kind: 'text', text: `reply ${i} ` + 'z'.repeat(1200) });
      await session.send(`question ${i} ` + 'y'.repeat(1200));
    }
    assert.equal(lastTurnEnd(rec).status, 'complete', 'no "prompt is too long"');
    assert.ok(notices().length > 0 && /Left out the \d+ oldest/.test(notices()[0]), notices().join('\n'));
    const last = api.messageRequests.at(-1)!.body as { messages: { content: { text: string }[] }[] };
    const msgs = withoutCache(last.messages) as { content: { text: string }[] }[];
    assert.ok(msgs.at(-1)!.content[0].text.startsWith('question 7'), 'the newest turn is sent');
    assert.ok(!msgs[0].content[0].text.startsWith('question 0'), 'the oldest turn is left out');
    assert.ok(api.requests.some((r) => r.path === '/v1/messages/count_tokens'), 'counted with the API');
    assert.ok((session.conversation.contextStart ?? 0) > 0);
    assert.equal(session.history.length, 8, 'left-out turns stay in the conversation');
  });

  it('after "prompt is too long" offers the trim, which then fits and retries', async () => {
    const { session, rec } = tinySession();
    for (let i = 0; i < 3; i++) {
      api.queue({ kind: 'text', text: `r${i} ` + 'q'.repeat(900) });
      await session.send(`m${i} ` + 'p'.repeat(900));
    }
    api.queue({ kind: 'error', status: 400, message: 'prompt is too long: 208310 tokens > 200000 maximum' });
    await session.send('one more');
    assert.equal(lastTurnEnd(rec).error?.action, 'trim');
    await session.trimAndRetry();
    assert.equal(lastTurnEnd(rec).status, 'complete');
    assert.ok((session.conversation.contextStart ?? 0) > 0);
  });
});
