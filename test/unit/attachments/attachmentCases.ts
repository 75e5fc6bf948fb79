// The dispatch test's cases for the attachment messages (see ../chat/dispatch.test.ts): paste, drop, pick, remove,
// open, open a citation, and the webview's answer to prepareImage, through the real ChatApp against the fake API.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttachmentMessage } from '../chat/conversationCases';
import { chatHarness, until } from '../chat/fakes';
import type { Cases } from '../chat/turnCases';
import { makePdf, makePng } from '../../support/media';
import { attachmentDeps, fakePrepare, FakeFiles, TINY_THUMB } from './attachmentFakes';

type Body = { messages: { role: string; content: { type: string; text?: string; source?: { type: string; media_type: string; data: string }; citations?: unknown; title?: string; cache_control?: unknown }[] }[] };
const body = (b: unknown) => b as Body;

export const PNG_1000 = makePng(1000, 1000);

export const ATTACHMENT_CASES: Cases<AttachmentMessage> = {
  attachFile: {
    title: 'a pasted image becomes a chip, goes with the next message as an image block before its text, and the next message reads it from the cache',
    async run(api) {
      const deps = attachmentDeps();
      const h = await chatHarness(api, { attachments: deps });
      await h.app.handle({ type: 'attachFile', localId: 'l1', name: 'shot.png', data: PNG_1000.toString('base64'), thumbnail: TINY_THUMB });
      const chips = h.of('attachments').at(-1)!;
      assert.deepEqual(chips.settled, ['l1']);
      assert.equal(chips.items.length, 1);
      const chip = chips.items[0];
      assert.equal(chip.name, 'shot.png');
      assert.equal(chip.mediaType, 'image/png');
      assert.deepEqual([chip.width, chip.height, chip.bytes], [1000, 1000, PNG_1000.length]);
      assert.equal(chip.tokens, 36 * 36, 'ceil(1000/28)^2 (the documented formula)');
      assert.equal(chip.thumbnail, TINY_THUMB);
      assert.ok(!('hash' in chip), 'the content hash stays in the engine');
      await h.app.handle({ type: 'send', text: 'What is in this picture?' });
      const first = body(api.messageRequests[0].body).messages.at(-1)!;
      assert.deepEqual(first.content.map((b) => b.type), ['image', 'text']);
      assert.deepEqual(first.content[0].source, { type: 'base64', media_type: 'image/png', data: PNG_1000.toString('base64') });
      assert.deepEqual(first.content[1].cache_control, { type: 'ephemeral' }, 'the turn breakpoint covers the image before it');
      assert.equal(h.of('attachments').at(-1)!.items.length, 0, 'the chips went with the message');
      const turn = h.of('state').length ? (await h.app.state()).turns[0] : undefined;
      assert.equal(turn?.attachments?.[0].name, 'shot.png', 'the sent message shows it');
      const stored = readdirSync(join(deps.dir, h.app.session.conversation.id));
      assert.equal(stored.length, 1);
      assert.deepEqual(readFileSync(join(deps.dir, h.app.session.conversation.id, stored[0])), PNG_1000);
      await h.app.handle({ type: 'send', text: 'And now?' });
      const [u1, u2] = api.messageRequests.map((r) => r.usage!);
      const prompt1 = u1.input_tokens + u1.cache_creation_input_tokens + u1.cache_read_input_tokens;
      assert.ok(u1.cache_creation_input_tokens > 1296, `the first request wrote the image to the cache (${u1.cache_creation_input_tokens})`);
      assert.equal(u2.cache_read_input_tokens, prompt1, 'the second request read the whole first prompt, image included');
    },
  },
  attachUris: {
    title: 'a PDF dragged from the explorer is a chip with its page count and goes as a document block with citations on',
    async run(api) {
      const files = new FakeFiles();
      files.byUri.set('file:///w/spec.pdf', { name: 'spec.pdf', bytes: makePdf(3), uri: 'file:///w/spec.pdf' });
      const h = await chatHarness(api, { attachments: attachmentDeps(files) });
      await h.app.handle({ type: 'attachUris', uris: ['file:///w/spec.pdf', 'file:///elsewhere/x.png'] });
      assert.deepEqual(files.calls[0], ['read', ['file:///w/spec.pdf', 'file:///elsewhere/x.png']]);
      const chip = h.of('attachments').at(-1)!.items[0];
      assert.equal(chip.mediaType, 'application/pdf');
      assert.equal(chip.pages, 3);
      assert.ok(h.of('notice').some((n) => /x\.png.*not attached/.test(n.message)), 'the one outside is refused, by name');
      await h.app.handle({ type: 'send', text: 'Summarise it.' });
      const doc = body(api.messageRequests[0].body).messages.at(-1)!.content[0];
      assert.equal(doc.type, 'document');
      assert.equal(doc.source?.media_type, 'application/pdf');
      assert.equal(doc.title, 'spec.pdf');
      assert.deepEqual(doc.citations, { enabled: true });
    },
  },
  pickAttachments: {
    title: 'the attach button opens the picker; a renamed .exe and an SVG are refused by name and nothing is attached',
    async run(api) {
      const files = new FakeFiles();
      files.picked = [
        { name: 'setup.png', bytes: Buffer.from('MZ\x90\x00\x03 this is a Windows program', 'latin1') },
        { name: 'logo.svg', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') },
        { refused: '"huge.pdf" was not attached: it is 30.0 MB, and attachments can be at most 20.0 MB.' },
      ];
      const h = await chatHarness(api, { attachments: attachmentDeps(files) });
      await h.app.handle({ type: 'pickAttachments' });
      const notes = h.of('notice').map((n) => n.message);
      assert.match(notes[0], /^"setup\.png" was not attached: only PNG, JPEG, GIF and WebP images and PDF files can be attached/);
      assert.match(notes[1], /^"logo\.svg" was not attached: it is an SVG image/);
      assert.match(notes[2], /huge\.pdf.*30\.0 MB/);
      assert.equal(h.of('attachments').at(-1)!.items.length, 0);
      await h.app.handle({ type: 'send', text: '' });
      assert.equal(api.messageRequests.length, 0, 'nothing to send, nothing sent');
    },
  },
  removeAttachment: {
    title: 'removes a waiting chip and its stored file; the message then goes without it',
    async run(api) {
      const deps = attachmentDeps();
      const h = await chatHarness(api, { attachments: deps });
      await h.app.handle({ type: 'attachFile', localId: 'l1', name: 'a.png', data: makePng(40, 30).toString('base64') });
      const id = h.of('attachments').at(-1)!.items[0].id;
      const folder = join(deps.dir, h.app.session.conversation.id);
      assert.equal(readdirSync(folder).length, 1);
      await h.app.handle({ type: 'removeAttachment', id });
      assert.equal(h.of('attachments').at(-1)!.items.length, 0);
      assert.equal(readdirSync(folder).length, 0, 'the stored copy went too');
      await h.app.handle({ type: 'send', text: 'plain' });
      assert.deepEqual(body(api.messageRequests[0].body).messages.at(-1)!.content.map((b) => b.type), ['text']);
    },
  },
  openAttachment: {
    title: 'opens a waiting or sent attachment in an editor tab (its source when known, else the stored copy)',
    async run(api) {
      const files = new FakeFiles();
      const deps = attachmentDeps(files);
      files.byUri.set('file:///w/a.png', { name: 'a.png', bytes: makePng(20, 20), uri: 'file:///w/a.png' });
      const h = await chatHarness(api, { attachments: deps, prepare: fakePrepare });
      await h.app.handle({ type: 'attachUris', uris: ['file:///w/a.png'] });
      const id = h.of('attachments').at(-1)!.items[0].id;
      await h.app.handle({ type: 'send', text: 'see' });
      await h.app.handle({ type: 'openAttachment', id });
      const [, target] = files.calls.find((c) => c[0] === 'open')! as [string, { path: string; uri?: string }];
      assert.equal(target.uri, 'file:///w/a.png');
      assert.ok(existsSync(target.path) && target.path.startsWith(deps.dir), 'the stored copy exists, inside the store');
      await h.app.handle({ type: 'openAttachment', id: 'not-an-attachment' });
      assert.equal(files.calls.filter((c) => c[0] === 'open').length, 1, 'an unknown id opens nothing');
    },
  },
  openCitation: {
    title: 'a footnote opens its PDF at the cited page; one without a known PDF opens nothing',
    async run(api) {
      const files = new FakeFiles();
      files.byUri.set('file:///w/spec.pdf', { name: 'spec.pdf', bytes: makePdf(4), uri: 'file:///w/spec.pdf' });
      const h = await chatHarness(api, { attachments: attachmentDeps(files) });
      await h.app.handle({ type: 'attachUris', uris: ['file:///w/spec.pdf'] });
      const id = h.of('attachments').at(-1)!.items[0].id;
      await h.app.handle({ type: 'send', text: 'cite it' });
      const turn = h.app.session.history[0];
      turn.blocks[0].citations = [{ citedText: 'x', startPage: 3, endPage: 4, attachmentId: id }, { citedText: 'y', startPage: 1 }];
      await h.app.handle({ type: 'openCitation', turnId: turn.id, blockId: turn.blocks[0].id, index: 0 });
      await h.app.handle({ type: 'openCitation', turnId: turn.id, blockId: turn.blocks[0].id, index: 1 });
      await h.app.handle({ type: 'openCitation', turnId: turn.id, blockId: turn.blocks[0].id, index: 7 });
      const opened = files.calls.filter((c) => c[0] === 'openPdfAt');
      assert.equal(opened.length, 1);
      assert.equal(opened[0][2], 3);
      assert.match(String(opened[0][1]), /\.pdf$/);
    },
  },
  imagePrepared: {
    title: 'an image read by the host is downscaled by the webview (with a note), and the copy it sends back is checked',
    async run(api) {
      const files = new FakeFiles();
      files.byUri.set('file:///w/big.png', { name: 'big.png', bytes: makePng(2400, 1200), uri: 'file:///w/big.png' });
      const deps = attachmentDeps(files);
      const h = await chatHarness(api, { attachments: deps, prepare: fakePrepare });
      await h.app.handle({ type: 'attachUris', uris: ['file:///w/big.png'] });
      const ask = h.of('prepareImage')[0];
      assert.equal(ask.maxEdge, 2000);
      const chip = h.of('attachments').at(-1)!.items[0];
      assert.deepEqual([chip.width, chip.height], [2000, 1000]);
      assert.equal(chip.note, 'Downscaled from 2400×1200 to 2000×1000');
      assert.equal(chip.thumbnail, TINY_THUMB);
      // A webview answering for a request nobody made, or with junk, changes nothing.
      await h.app.handle({ type: 'imagePrepared', requestId: 'p999', width: 1, height: 1, data: 'AAAA' });
      // One answering with a copy that is still too large is not believed.
      const liar = await chatHarness(api, {
        attachments: attachmentDeps(files),
        prepare: async (m) => ({ type: 'imagePrepared', requestId: m.requestId, width: 2400, height: 1200, data: makePng(2400, 1200).toString('base64'), mediaType: 'image/png' }),
      });
      await liar.app.handle({ type: 'attachUris', uris: ['file:///w/big.png'] });
      await until('the refusal', () => liar.of('notice').length > 0);
      assert.match(liar.of('notice')[0].message, /"big\.png" was not attached: it is still 2400×1200/);
    },
  },
};
