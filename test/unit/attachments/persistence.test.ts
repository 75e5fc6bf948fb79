// Attachments across a reload: the conversation file keeps the hash, not the bytes; a new session sends the same
// request from the store; a hash that is not a hash never becomes a path; export links the stored copies; deleting a
// conversation deletes its attachments once Undo is over; stale folders are swept.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachmentBlocks, hasAttachmentData } from '../../../src/core/attachments/blocks';
import { AttachmentService, attachmentsOf } from '../../../src/core/attachments/service';
import { AttachmentStore, AttachmentStoreError, sha256 } from '../../../src/core/attachments/store';
import { limitsFrom } from '../../../src/core/attachments/limits';
import type { Attachment } from '../../../src/core/attachments/types';
import { newConversation, toApiMessages } from '../../../src/core/conversation';
import { ConversationStore } from '../../../src/core/conversationStore';
import { toMarkdown } from '../../../src/core/exportMarkdown';
import { FakeApi, startFakeApi } from '../../fake-api/server';
import { chatHarness } from '../chat/fakes';
import { makePdf, makePng } from '../../support/media';
import { attachmentDeps, TINY_THUMB } from './attachmentFakes';

const logger = { info() {}, warn() {}, error() {} };

describe('attachments: persistence', () => {
  let api: FakeApi;
  let dir: string;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(async () => {
    api.reset();
    dir = await fs.mkdtemp(join(tmpdir(), 'att-persist-'));
  });

  it('survives a reload: the saved file holds the hash (no base64), and the next request is byte-identical', async () => {
    const deps = attachmentDeps();
    const storeDir = join(dir, 'store');
    const png = makePng(600, 400);
    const h = await chatHarness(api, { attachments: deps, storeDir });
    await h.app.handle({ type: 'attachFile', localId: 'l1', name: 'ui.png', data: png.toString('base64'), thumbnail: TINY_THUMB });
    await h.app.handle({ type: 'attachUris', uris: [] });
    deps.files.byUri.set('file:///w/spec.pdf', { name: 'spec.pdf', bytes: makePdf(2), uri: 'file:///w/spec.pdf' });
    await h.app.handle({ type: 'attachUris', uris: ['file:///w/spec.pdf'] });
    await h.app.handle({ type: 'send', text: 'Look at both.' });
    await h.app.history.saveOpen();
    const id = h.app.session.conversation.id;
    const saved = readFileSync(join(storeDir, 'conversations', `${id}.json`), 'utf8');
    assert.ok(!saved.includes(png.toString('base64').slice(0, 200)), 'no image bytes in the conversation file');
    assert.ok(saved.length < 20_000, `the file stays small (${saved.length} chars)`);
    assert.match(saved, new RegExp(sha256(png)));
    const first = JSON.stringify((api.messageRequests[0].body as { messages: unknown[] }).messages[0]);

    // A new window: a new app on the same folders restores the conversation and sends it again.
    api.reset();
    const again = await chatHarness(api, { attachments: { ...deps }, storeDir });
    const restored = (await again.app.state()).turns[0];
    assert.deepEqual(restored.attachments?.map((a) => [a.name, a.mediaType, a.thumbnail !== undefined]), [['ui.png', 'image/png', true], ['spec.pdf', 'application/pdf', false]]);
    assert.equal(hasAttachmentData(again.app.session.history[0].attachments![0]), false, 'bytes are loaded only for a request');
    await again.app.handle({ type: 'send', text: 'And again?' });
    assert.equal(JSON.stringify((api.messageRequests[0].body as { messages: unknown[] }).messages[0]), first, 'the same first message, from the store');
  });

  it('a stored copy that is missing or was changed is not sent; the message says so and the rest goes', async () => {
    const store = new AttachmentStore(join(dir, 'att'));
    const png = makePng(30, 30);
    const hash = await store.put('c1', png, 'image/png');
    await fs.writeFile(store.path('c1', hash, 'image/png'), makePng(31, 30));
    const a: Attachment = { id: 'a1', name: 'x.png', mediaType: 'image/png', bytes: png.length, tokens: 4, hash };
    await new AttachmentService({ dir: store.dir, limits: () => limitsFrom(5, true), contextWindow: () => undefined, logger }).hydrate('c1', [a]);
    assert.equal(hasAttachmentData(a), false, 'a copy whose content does not match its name is not believed');
    assert.deepEqual(attachmentBlocks([a]), [{ type: 'text', text: '[The attachment "x.png" is no longer available: its stored copy is missing or damaged.]' }]);
  });

  it('a hash or conversation id that is not one never becomes a path (a conversation file is input)', async () => {
    const store = new AttachmentStore(join(dir, 'att'));
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), `${'a'.repeat(63)}/`, '']) assert.throws(() => store.path('c1', bad, 'image/png'), AttachmentStoreError);
    assert.throws(() => store.path('../x', 'a'.repeat(64), 'image/png'), AttachmentStoreError);
    // The conversation schema refuses such a file at load (it is moved aside), so it never reaches the store.
    const c = newConversation();
    c.turns.push({ id: 't1', userText: 'q', blocks: [], status: 'complete', model: 'm', attachments: [{ id: 'a', name: 'x.png', mediaType: 'image/png', bytes: 1, tokens: 1, hash: '../../../../etc/passwd' }] });
    await fs.mkdir(join(dir, 'conversations'), { recursive: true });
    await fs.writeFile(join(dir, 'conversations', `${c.id}.json`), JSON.stringify(c));
    const reports: string[] = [];
    assert.equal(await new ConversationStore(dir, logger, (m) => reports.push(m)).load(c.id), undefined);
    assert.equal(reports.length, 1);
    // So is a thumbnail that is not a small image data URL (it would be shown in the webview).
    c.turns[0].attachments![0].hash = 'a'.repeat(64);
    c.turns[0].attachments![0].thumbnail = 'javascript:alert(1)';
    await fs.writeFile(join(dir, 'conversations', `${c.id}.json`), JSON.stringify(c));
    const loaded = await new ConversationStore(dir, logger).load(c.id);
    assert.equal(loaded?.turns[0].attachments?.[0].thumbnail, undefined, 'the bad thumbnail is dropped, the conversation kept');
  });

  it('export to Markdown links each attachment to its stored copy', async () => {
    const c = newConversation();
    const a: Attachment = { id: 'a1', name: 'shot [1].png', mediaType: 'image/png', bytes: 10, tokens: 4, width: 20, height: 10, hash: 'a'.repeat(64) };
    c.turns.push({ id: 't1', userText: 'see', blocks: [], status: 'complete', model: 'm', attachments: [a] });
    const md = toMarkdown(c, () => '/store/c1/aaaa.png');
    assert.match(md, /- 📎 \[shot \\\[1\\\]\.png\]\(<file:\/\/\/store\/c1\/aaaa\.png>\) \(PNG image, 20×10\)/);
    assert.doesNotMatch(toMarkdown(c), /file:/, 'without a store, the name only');
  });

  it('deleting a conversation deletes its attachments once Undo is no longer offered; Undo keeps them', async () => {
    const deps = attachmentDeps();
    const h = await chatHarness(api, { attachments: deps });
    await h.app.handle({ type: 'attachFile', localId: 'l1', name: 'a.png', data: makePng(20, 20).toString('base64') });
    await h.app.handle({ type: 'send', text: 'keep?' });
    await h.app.history.saveOpen();
    const id = h.app.session.conversation.id;
    const folder = join(deps.dir, id);
    h.fake.answers.push('Undo');
    await h.app.handle({ type: 'deleteConversation', id });
    assert.ok(existsSync(folder), 'Undo: the attachments stay');
    h.fake.answers.push(undefined);
    await h.app.handle({ type: 'deleteConversation', id });
    assert.ok(!existsSync(folder), 'dismissed: the attachments are gone');
  });

  it('sweeps folders of conversations that are gone after a grace; keeps the open one and recent ones', async () => {
    const store = new AttachmentStore(join(dir, 'att'));
    for (const id of ['gone1', 'live1', 'fresh1']) await store.put(id, makePng(2, 2), 'image/png');
    const old = (Date.now() - 2 * 24 * 3600 * 1000) / 1000;
    utimesSync(join(store.dir, 'gone1'), old, old);
    utimesSync(join(store.dir, 'live1'), old, old);
    assert.equal(await store.sweep((id) => id === 'live1', Date.now(), 24 * 3600 * 1000), 1);
    assert.deepEqual(readdirSync(store.dir).sort(), ['fresh1', 'live1']);
  });

  it('a new chat drops what was waiting for the old, unsent one and its stored files', async () => {
    const deps = attachmentDeps();
    const h = await chatHarness(api, { attachments: deps });
    await h.app.handle({ type: 'attachFile', localId: 'l1', name: 'a.png', data: makePng(20, 20).toString('base64') });
    const old = h.app.session.conversation.id;
    assert.ok(existsSync(join(deps.dir, old)));
    await h.app.handle({ type: 'newChat' });
    assert.equal(h.of('attachments').at(-1)!.items.length, 0);
    assert.ok(!existsSync(join(deps.dir, old)));
    assert.deepEqual(attachmentsOf(h.app.session.history), []);
  });

  it('toApiMessages: attachments lead the user message, tool results carry theirs inside the tool_result', () => {
    const img: Attachment = { id: 'a1', name: 'a.png', mediaType: 'image/png', bytes: 1, tokens: 1, hash: 'a'.repeat(64) };
    const doc: Attachment = { id: 'a2', name: 'b.pdf', mediaType: 'application/pdf', bytes: 1, tokens: 1, hash: 'b'.repeat(64) };
    const msgs = toApiMessages([
      {
        id: 't1', userText: '', status: 'complete', model: 'm', attachments: [img, doc],
        blocks: [
          { id: 'b0', kind: 'tool_use', text: '{}', toolId: 'tu1', toolName: 'read_file', complete: true, input: { path: 'a.png' } },
          { id: 'b1', kind: 'tool_result', text: 'a.png: PNG image', toolId: 'tu1', complete: true, attachments: [img] },
          { id: 'b2', kind: 'text', text: 'It is a cat.', complete: true },
        ],
      },
    ]);
    assert.deepEqual((msgs[0].content as { type: string }[]).map((b) => b.type), ['text', 'text'], 'no text block for an empty message; missing bytes become notes');
    const tr = (msgs[2].content as { type: string; content: { type: string }[] }[])[0];
    assert.equal(tr.type, 'tool_result');
    assert.deepEqual(tr.content.map((b) => b.type), ['text', 'text']);
  });
});
