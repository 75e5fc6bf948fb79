import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conversation, newConversation, toTurnView } from '../../../src/core/conversation';
import { ConversationStore } from '../../../src/core/conversationStore';
import { toMarkdown } from '../../../src/core/exportMarkdown';
import type { Logger } from '../../../src/core/ports';
import { DEFAULT_TEST_KEY } from '../../fake-api/server';
import { runWindows } from '../persist/windows';

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

  it('four windows (real processes) saving 10 conversations each at once: the list shows all 40', async function () {
    this.timeout(90_000);
    await runWindows('conversations', dir, 4, 10);
    const items = await new ConversationStore(dir, logger).list();
    assert.equal(items.length, 40, `listed ${items.length} of 40 conversations`);
    assert.equal((await fs.readdir(join(dir, 'conversations'))).length, 40);
  });

  it('refuses ids that could escape the folder', async () => {
    const store = new ConversationStore(dir, logger);
    await assert.rejects(store.load('../../etc/passwd'), /invalid conversation id/);
  });
});

describe('ConversationStore: badly shaped files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'claude-chat-hostile-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const good = conv('good', 2);
  /** Valid JSON of the wrong shape, each of which used to pass the loose check and throw at load or render. */
  const hostile: [string, (c: Conversation) => unknown][] = [
    ['turns:[null]', (c) => ({ ...c, turns: [null] })],
    ['blocks missing', (c) => ({ ...c, turns: c.turns.map(({ blocks: _b, ...t }) => t) })],
    ['blocks:[null]', (c) => ({ ...c, turns: c.turns.map((t) => ({ ...t, blocks: [null] })) })],
    ['a block of an unknown kind', (c) => ({ ...c, turns: c.turns.map((t) => ({ ...t, blocks: [{ ...t.blocks[0], kind: 'oops' }] })) })],
    ['title not a string', (c) => ({ ...c, title: { toString: 1 } })],
    ['an id that is not its file name', (c) => ({ ...c, id: 'someone-else' })],
  ];

  /** What the view does on a reload: restore the open conversation, list, open and render each listed one. */
  async function reload(store: ConversationStore): Promise<string[]> {
    const openId = await store.openId();
    if (openId) (await store.load(openId))?.turns.map(toTurnView);
    const items = await store.list();
    for (const i of items) (await store.load(i.id))!.turns.map(toTurnView);
    return items.map((i) => i.title);
  }

  for (const [what, make] of hostile) {
    it(`a conversation file with ${what}: the view still loads, the file is moved aside, one notice`, async () => {
      await new ConversationStore(dir, logger).save(good, false);
      const bad = conv('bad', 2);
      await new ConversationStore(dir, logger).save(bad); // the open one, so the restore reads it too
      await fs.writeFile(join(dir, 'conversations', `${bad.id}.json`), JSON.stringify(make(bad)));
      for (let reloads = 0; reloads < 2; reloads++) {
        const notices: string[] = [];
        const store = new ConversationStore(dir, logger, (m) => notices.push(m));
        assert.deepEqual(await reload(store), ['good']);
        assert.equal(notices.length, reloads === 0 ? 1 : 0, notices.join('\n'));
        if (reloads === 0) assert.match(notices[0], /could not be read .*moved to .*\.json\.corrupt-/);
      }
      const names = await fs.readdir(join(dir, 'conversations'));
      assert.ok(names.some((n) => n.startsWith(`${bad.id}.json.corrupt-`)), 'kept for inspection');
      assert.ok(!names.includes(`${bad.id}.json`));
    });
  }

  it('every bad shape at once, and a bad index: the view loads the good one, with ONE notice', async () => {
    await new ConversationStore(dir, logger).save(good);
    for (const [, make] of hostile) {
      const bad = conv('bad');
      await fs.writeFile(join(dir, 'conversations', `${bad.id}.json`), JSON.stringify(make(bad)));
    }
    await fs.writeFile(join(dir, 'index.json'), JSON.stringify({ version: 1, items: [null] }));
    const notices: string[] = [];
    const store = new ConversationStore(dir, logger, (m) => notices.push(m));
    assert.deepEqual(await reload(store), ['good']);
    assert.equal(notices.length, 1, notices.join('\n'));
    assert.match(notices[0], new RegExp(`^${hostile.length + 1} saved conversation files could not be read and were moved aside`));
    const aside = (await fs.readdir(join(dir, 'conversations'))).filter((n) => n.includes('.corrupt-'));
    assert.equal(aside.length, hostile.length);
  });

  for (const [what, index] of [
    ['items:[null]', { version: 1, items: [null] }],
    ['openId:"../x"', { version: 1, openId: '../x', items: [] }],
    ['an item id "../../etc/passwd"', { version: 1, items: [{ id: '../../etc/passwd', title: 'x', updatedAt: 1, turnCount: 1 }] }],
    ['items not an array', { version: 1, items: {} }],
  ] as const) {
    it(`an index with ${what}: moved aside, rebuilt from the files, one notice`, async () => {
      await new ConversationStore(dir, logger).save(good);
      await fs.writeFile(join(dir, 'index.json'), JSON.stringify(index));
      const notices: string[] = [];
      const store = new ConversationStore(dir, logger, (m) => notices.push(m));
      assert.equal(await store.openId(), undefined);
      assert.deepEqual(await reload(store), ['good']);
      assert.equal(notices.length, 1, notices.join('\n'));
      assert.match(notices[0], /index\.json: .*moved to .*index\.json\.corrupt-.* rebuilt/);
      assert.ok((await fs.readdir(dir)).some((n) => n.startsWith('index.json.corrupt-')));
    });
  }

  it('refuses ids that are not store ids before they become paths, for every operation', async () => {
    const store = new ConversationStore(dir, logger);
    const outside = join(dir, 'outside.json');
    await fs.writeFile(outside, JSON.stringify(conv('outside')));
    for (const id of ['../x', '../outside', '/etc/passwd', join(dir, 'outside'), 'a/b', 'a\\b', '.', '..', '', 'x'.repeat(65), 'con', 'NUL', 'a.b']) {
      await assert.rejects(store.load(id), /invalid conversation id/, id);
      await assert.rejects(store.delete(id), /invalid conversation id/, id);
      await assert.rejects(store.rename(id, 't'), /invalid conversation id/, id);
      await assert.rejects(store.setOpen(id), /invalid conversation id/, id);
      await assert.rejects(store.save({ ...conv('x'), id }), /invalid conversation id/, id);
    }
    assert.ok(await fs.stat(outside), 'nothing outside the store was touched');
  });
});

describe('ConversationStore: two windows on one folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'claude-chat-windows-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('the list is reconciled with the files: another window\'s new conversation shows, a deleted one disappears, no save drops another\'s entry', async () => {
    const a = new ConversationStore(dir, logger);
    const b = new ConversationStore(dir, logger);
    const fromA = conv('from A');
    const fromB = conv('from B');
    await a.save(fromA);
    assert.deepEqual((await b.list()).map((i) => i.title), ['from A']);
    await b.save(fromB); // B's index is older than nothing A did
    await a.save({ ...fromA, title: 'from A, again', updatedAt: fromA.updatedAt + 1 }); // A had never seen B's conversation
    assert.deepEqual((await a.list()).map((i) => i.title).sort(), ['from A, again', 'from B']);
    assert.deepEqual((await b.list()).map((i) => i.title).sort(), ['from A, again', 'from B'], 'B sees A\'s new title');
    const index = JSON.parse(await fs.readFile(join(dir, 'index.json'), 'utf8')) as { items: { id: string }[] };
    assert.deepEqual(index.items.map((i) => i.id).sort(), [fromA.id, fromB.id].sort(), 'the index on disk has both');
    await b.delete(fromA.id);
    assert.deepEqual((await a.list()).map((i) => i.title), ['from B']);
    assert.deepEqual((await new ConversationStore(dir, logger).list()).map((i) => i.title), ['from B']);
  });

  it('two windows editing the same conversation: the last save wins for that file, the list keeps one entry, a warning is logged', async () => {
    const warnings: string[] = [];
    const log: Logger = { ...logger, warn: (m) => warnings.push(m) };
    const a = new ConversationStore(dir, log);
    const b = new ConversationStore(dir, log);
    const c = conv('shared', 1);
    await a.save(c);
    const inB = (await b.load(c.id))!;
    await b.list();
    await a.save({ ...c, turns: [...c.turns, { ...c.turns[0], id: 'tA' }] });
    await b.save({ ...inB, turns: [...inB.turns, { ...inB.turns[0], id: 'tB' }] });
    assert.deepEqual((await new ConversationStore(dir, logger).load(c.id))!.turns.map((t) => t.id), ['t0', 'tB']);
    assert.equal((await a.list()).length, 1);
    assert.ok(warnings.some((w) => /changed by another window.*last save wins/.test(w)), warnings.join('\n'));
  });

  it('tolerates what a gateway or a newer version may write: unknown fields and error actions, malformed usage counts', async () => {
    const store = new ConversationStore(dir, logger);
    const c = conv('lenient', 1);
    const t = c.turns[0] as unknown as Record<string, unknown>;
    t.usage = { inputTokens: undefined, outputTokens: 1.5, cacheReadTokens: 0, cacheWriteTokens: 0 };
    t.error = { message: 'boom', action: 'somethingNew' };
    t.futureField = { x: 1 };
    await store.save(c);
    const notices: string[] = [];
    const loaded = (await new ConversationStore(dir, logger, (m) => notices.push(m)).load(c.id))!;
    assert.deepEqual(notices, []);
    assert.equal(loaded.turns[0].usage, undefined);
    assert.deepEqual(loaded.turns[0].error, { message: 'boom' });
    assert.ok(!('futureField' in loaded.turns[0]));
    assert.equal(loaded.turns[0].blocks[0].text, 'answer 0');
  });

  it('does not save a conversation its own schema would refuse at load', async () => {
    const store = new ConversationStore(dir, logger);
    const c = conv('broken in memory');
    (c.turns[0] as unknown as { blocks: unknown }).blocks = [null];
    await assert.rejects(store.save(c), /unexpected content/);
    assert.deepEqual(await store.list(), []);
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
