// Checkpoints: an agent turn that edits files (through the real tool runner on a temp workspace) records their
// text before the turn; "Restore checkpoint" shows the diff, asks, writes every file back in one apply, and can
// rewind the chat. A file changed after the turn is never overwritten without asking. A checkpoint is data from
// disk: tampered contents, paths out of the workspace, .git and protected files are handled as such.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationStore } from '../../../src/core/conversationStore';
import { newConversation, Turn } from '../../../src/core/conversation';
import { prune, recordChange, sha256 } from '../../../src/core/session/checkpoints';
import { OVERWRITE, RESTORE, RESTORE_AND_REWIND, restoreCheckpoint, SKIP } from '../../../src/core/session/restore';
import { planRestore } from '../../../src/core/session/restorePlan';
import { FakeApi, startFakeApi } from '../../fake-api/server';
import { chatHarness, Harness } from '../chat/fakes';
import { agentWorkspace, AgentWorkspace, FsRestorePort } from './helpers';

const edit = (path: string, from: string, to: string) => ({ type: 'tool_use' as const, name: 'propose_edit', input: { path, old_string: from, new_string: to } });
const create = (path: string, content: string) => ({ type: 'tool_use' as const, name: 'create_file', input: { path, content } });

describe('Checkpoints and restore', () => {
  let api: FakeApi;
  let w: AgentWorkspace;
  let restore: FsRestorePort;
  let h: Harness;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(async () => {
    api.reset();
    w = agentWorkspace({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n', 'notes.md': 'notes\n' });
    restore = new FsRestorePort();
    h = await chatHarness(api, { tools: w.runner, checkpoints: { workspace: w.port, restore } });
  });
  afterEach(() => w.cleanup());

  /** Turn 1: a plain question. Turn 2: the agent edits a.ts and b.ts and creates c.ts. */
  async function agentTurn(): Promise<Turn> {
    api.queue({ kind: 'text', text: 'Sure.' });
    await h.app.handle({ type: 'send', text: 'hello' });
    api.queue(
      { kind: 'message', blocks: [edit('src/a.ts', 'a = 1', 'a = 2'), edit('src/b.ts', 'b = 1', 'b = 2')] },
      { kind: 'message', blocks: [edit('src/a.ts', 'a = 2', 'a = 3'), create('src/c.ts', 'export const c = 3;\n')] },
      { kind: 'text', text: 'Changed a, b, added c.' },
    );
    await h.app.handle({ type: 'send', text: 'bump a and b, add c' });
    return h.app.session.history[1];
  }

  it('an agent turn that edits two files records them; Restore shows the diff, reverts both in one apply, and rewinds', async () => {
    const turn = await agentTurn();
    assert.equal(await w.read('src/a.ts'), 'export const a = 3;\n');
    assert.deepEqual(turn.checkpoint!.files.map((f) => [f.path, f.before === null]), [['src/a.ts', false], ['src/b.ts', false], ['src/c.ts', true]]);
    assert.equal(h.app.session.conversation.blobs![turn.checkpoint!.files[0].before!], 'export const a = 1;\n', 'the text before the turn, not before the second edit');
    assert.equal(h.app.session.history[0].checkpoint, undefined, 'a turn that changed nothing has no checkpoint');
    const before = h.app.session.conversation;
    restore.answers.push(RESTORE_AND_REWIND);
    await h.app.handle({ type: 'restoreCheckpoint', turnId: turn.id });
    assert.equal(restore.diffs.length, 1, 'the diff is shown before anything is written');
    assert.deepEqual(restore.diffs[0].files.map((f) => [f.path, f.current, f.restored]), [
      ['src/a.ts', 'export const a = 3;\n', 'export const a = 1;\n'],
      ['src/b.ts', 'export const b = 2;\n', 'export const b = 1;\n'],
      ['src/c.ts', 'export const c = 3;\n', undefined],
    ]);
    assert.deepEqual(restore.questions[0].actions, [RESTORE, RESTORE_AND_REWIND]);
    assert.equal(restore.applied.length, 1, 'one apply: one undoable edit');
    assert.equal(await w.read('src/a.ts'), 'export const a = 1;\n');
    assert.equal(await w.read('src/b.ts'), 'export const b = 1;\n');
    assert.equal(existsSync(w.file('src/c.ts')), false, 'the file the turn created is gone');
    assert.notEqual(h.app.session.conversation.id, before.id, 'rewound into a fork');
    assert.deepEqual(h.app.session.history.map((t) => t.userText), ['hello']);
    assert.equal((await h.store.load(before.id))?.turns.length, 2, 'the full conversation stays in the history');
    assert.match(h.of('notice').map((n) => n.message).join('\n'), /Restored 3 files to before that turn/);
  });

  it('a file the user changed after the turn is detected: skipped, cancelled or overwritten only as chosen', async () => {
    const turn = await agentTurn();
    w.write('src/a.ts', 'export const a = 3; // mine\n');
    restore.answers.push(SKIP, RESTORE);
    await h.app.handle({ type: 'restoreCheckpoint', turnId: turn.id });
    assert.match(restore.questions[0].message, /A file was changed after Claude edited it: src\/a\.ts/);
    assert.deepEqual(restore.questions[0].actions, [OVERWRITE, SKIP]);
    assert.equal(await w.read('src/a.ts'), 'export const a = 3; // mine\n', 'the user\'s change is kept');
    assert.equal(await w.read('src/b.ts'), 'export const b = 1;\n');
    assert.equal(h.app.session.history.length, 2, 'not rewound');

    w.write('src/b.ts', 'export const b = 2;\n');
    restore.questions.length = 0;
    restore.answers.push(undefined);
    await h.app.handle({ type: 'restoreCheckpoint', turnId: turn.id });
    assert.equal(restore.questions.length, 1);
    assert.equal(await w.read('src/a.ts'), 'export const a = 3; // mine\n', 'cancelled: nothing written');
    assert.equal(await w.read('src/b.ts'), 'export const b = 2;\n');

    restore.answers.push(OVERWRITE, RESTORE);
    await h.app.handle({ type: 'restoreCheckpoint', turnId: turn.id });
    assert.equal(await w.read('src/a.ts'), 'export const a = 1;\n', 'overwritten only when the user said so');
  });

  it('refuses tampered contents, paths out of the workspace and .git; names why protected files are asked', async () => {
    const conv = newConversation();
    const turn: Turn = { id: 't1', userText: 'x', blocks: [], status: 'complete', model: 'm' };
    conv.turns.push(turn);
    const rec = (path: string, before: string | undefined, after: string) => recordChange(conv, turn, { path, before, after }, 1, 1e9);
    rec('src/a.ts', 'export const a = 1;\n', 'export const a = 1;\n// edited\n');
    w.write('src/a.ts', 'export const a = 1;\n// edited\n');
    rec('../outside.txt', 'secret\n', 'x');
    rec('.git/config', '[core]\n', '[core]\nhooksPath = evil\n');
    rec('.vscode/tasks.json', '{}', '{"tasks":[]}');
    w.write('.vscode/tasks.json', '{"tasks":[]}');
    rec('src/b.ts', 'export const b = 1;\n', 'export const b = 9;\n');
    w.write('src/b.ts', 'export const b = 9;\n');
    symlinkSync(join(w.ws, '..'), join(w.ws, 'up'));
    rec('up/outside.txt', 'outside the workspace\n', 'changed\n');
    // Tamper: b.ts's saved "before" no longer matches its hash.
    conv.blobs![turn.checkpoint!.files.find((f) => f.path === 'src/b.ts')!.before!] = 'export const b = "tampered";\n';
    const plan = await planRestore(conv, 0, w.port);
    const refused = Object.fromEntries(plan.refused.map((r) => [r.path, r.reason]));
    assert.match(refused['../outside.txt'], /outside|Refused/);
    assert.match(refused['up/outside.txt'], /outside the workspace/);
    assert.match(refused['.git/config'], /\.git folder/);
    assert.match(refused['src/b.ts'], /missing or were altered/);
    assert.deepEqual(plan.files.map((f) => f.path), ['src/a.ts', '.vscode/tasks.json']);
    assert.match(plan.files[1].protectedReason!, /\.vscode holds VS Code settings/);
    restore.answers.push(RESTORE);
    const r = await restoreCheckpoint(conv, 0, { workspace: w.port, restore }, false);
    assert.equal(r.kind, 'restored');
    assert.match(restore.questions[0].detail, /\.vscode\/tasks\.json: restored \(protected: \.vscode holds/);
    assert.match(restore.questions[0].detail, /\.git\/config: not restored, it is inside a \.git folder/);
    assert.equal(await w.read('src/a.ts'), 'export const a = 1;\n');
    assert.equal(existsSync(join(w.ws, '..', 'outside.txt')) && (await w.read('../outside.txt')), 'outside the workspace\n', 'nothing outside was written');
  });

  it('persist with the conversation, bounded: the oldest are pruned, unused contents dropped, a pruned one cannot restore', async () => {
    const conv = newConversation();
    for (let i = 0; i < 5; i++) {
      const t: Turn = { id: `t${i}`, userText: `q${i}`, blocks: [], status: 'complete', model: 'm' };
      conv.turns.push(t);
      recordChange(conv, t, { path: 'src/a.ts', before: `v${i}`.repeat(300), after: `v${i + 1}`.repeat(300) }, i, 2500);
    }
    const live = conv.turns.filter((t) => t.checkpoint && !t.checkpoint.pruned).map((t) => t.id);
    // Each turn's "after" is the next one's "before": stored once, so three turns fit 2,500 characters (4 x 600).
    assert.deepEqual(live, ['t2', 't3', 't4'], 'only the newest fit');
    const kept = new Set(Object.keys(conv.blobs!));
    assert.ok([...kept].every((hash) => sha256(conv.blobs![hash]) === hash), 'content-addressed');
    assert.ok(Object.values(conv.blobs!).reduce((n, v) => n + v.length, 0) <= 2500);
    const store = new ConversationStore(mkdtempSync(join(tmpdir(), 'cp-store-')), { info() {}, warn() {}, error() {} });
    await store.save(conv);
    const loaded = (await store.load(conv.id))!;
    assert.deepEqual(loaded.turns.map((t) => t.checkpoint), conv.turns.map((t) => t.checkpoint));
    assert.deepEqual(loaded.blobs, conv.blobs);
    restore.answers.push(RESTORE);
    const r = await restoreCheckpoint(loaded, 1, { workspace: w.port, restore }, false);
    assert.equal(r.kind, 'nothing');
    assert.match((r as { message: string }).message, /dropped to keep checkpoints within their size limit/);
    prune(loaded, 0);
    assert.equal(loaded.blobs, undefined, 'a bound of 0 keeps no contents');
  });
});
