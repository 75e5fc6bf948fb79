// read_file on an image or PDF: it comes back as an image or document block inside the tool_result (by the file's
// bytes, not its name), within the same limits as a pasted one; confinement by real path still holds; and a reply
// citing an attached PDF shows the citation, kept on the block, that opens the right file.
import * as assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceToolRunner } from '../../../src/core/tools/runner';
import { FakeApi, reply, startFakeApi } from '../../fake-api/server';
import { chatHarness } from '../chat/fakes';
import { harness, makeWorkspace, NodePort } from '../tools/nodePort';
import { makePdf, makePng } from '../../support/media';
import { attachmentDeps, fakePrepare, FakeFiles } from './attachmentFakes';

type Body = { messages: { role: string; content: { type: string; content?: { type: string; source?: { media_type: string; data: string } }[]; is_error?: boolean }[] }[] };

describe('attachments: read_file on images and PDFs', () => {
  let api: FakeApi;
  let w: ReturnType<typeof makeWorkspace>;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => {
    api.reset();
    w = makeWorkspace();
  });
  afterEach(() => w.cleanup());

  it('the runner returns the bytes of an image or PDF (by content) and text for a text file named .png', async () => {
    writeFileSync(join(w.ws, 'shot.png'), makePng(64, 32));
    writeFileSync(join(w.ws, 'really-a-png.txt'), makePng(8, 8));
    writeFileSync(join(w.ws, 'spec.pdf'), makePdf(2));
    writeFileSync(join(w.ws, 'notes.png'), 'just text\n');
    const h = harness(NodePort.single(w.ws));
    const [img, renamed, doc, text] = await h.run([
      { name: 'read_file', input: { path: 'shot.png' } },
      { name: 'read_file', input: { path: 'really-a-png.txt' } },
      { name: 'read_file', input: { path: 'spec.pdf' } },
      { name: 'read_file', input: { path: 'notes.png' } },
    ]);
    assert.match(img.content, /^shot\.png: PNG image, 64×32, \d+ KB\.$/);
    assert.equal(img.media?.[0].name, 'shot.png');
    assert.equal(renamed.media?.length, 1, 'a PNG named .txt is still an image');
    assert.match(doc.content, /^spec\.pdf: PDF, \d+ (KB|bytes)\.$/);
    assert.equal(text.media, undefined);
    assert.match(text.content, /just text/);
  });

  it('still refuses an image outside the workspace through a symlink', async () => {
    writeFileSync(join(w.outside, 'secret.png'), makePng(10, 10));
    symlinkSync(join('..', 'outside', 'secret.png'), join(w.ws, 'pic.png'));
    const [r] = await harness(NodePort.single(w.ws)).run([{ name: 'read_file', input: { path: 'pic.png' } }]);
    assert.equal(r.isError, true);
    assert.equal(r.media, undefined);
    assert.match(r.content, /outside the workspace/);
  });

  it('in a chat: the next request carries the image inside the tool_result; an oversized one is downscaled first', async () => {
    writeFileSync(join(w.ws, 'docs.png'), makePng(2400, 600));
    const runner = harness(NodePort.single(w.ws)).runner as WorkspaceToolRunner;
    const h = await chatHarness(api, { attachments: attachmentDeps(), tools: runner, prepare: fakePrepare });
    api.queue(reply.toolUse('read_file', { path: 'docs.png' }), reply.text('It is a wide banner.'));
    await h.app.handle({ type: 'send', text: 'Look at docs.png' });
    const second = api.messageRequests[1].body as Body;
    const result = second.messages.at(-1)!.content[0];
    assert.equal(result.type, 'tool_result');
    assert.deepEqual(result.content?.map((b) => b.type), ['text', 'image']);
    const sent = Buffer.from(result.content![1].source!.data, 'base64');
    assert.equal(sent.readUInt32BE(16), 2000, 'downscaled to 2000 px wide before sending');
    const block = h.app.session.history[0].blocks.find((b) => b.kind === 'tool_result')!;
    assert.equal(block.attachments?.[0].note, 'Downscaled from 2400×600 to 2000×500');
    assert.equal((await h.app.state()).turns[0].blocks.find((b) => b.kind === 'tool_result')?.attachments?.[0].name, 'docs.png');
  });

  it('in a chat: an image that cannot be sent becomes an is_error result that says why; no bad request is made', async () => {
    writeFileSync(join(w.ws, 'huge.png'), makePng(9000, 4));
    const runner = harness(NodePort.single(w.ws)).runner as WorkspaceToolRunner;
    // The webview cannot decode it, so nothing can make it fit.
    const h = await chatHarness(api, { attachments: attachmentDeps(), tools: runner, prepare: async (m) => ({ type: 'imagePrepared', requestId: m.requestId, error: 'The source image cannot be decoded.' }) });
    api.queue(reply.toolUse('read_file', { path: 'huge.png' }), reply.text('I could not see it.'));
    await h.app.handle({ type: 'send', text: 'Look at huge.png' });
    assert.equal(api.messageRequests.length, 2, 'both requests were accepted by the fake');
    const result = (api.messageRequests[1].body as Body).messages.at(-1)!.content[0];
    assert.equal(result.is_error, true);
    assert.match(String(result.content), /"huge\.png" was not attached: it could not be decoded as an image \(The source image cannot be decoded\.\)/);
  });

  it('a reply citing an attached PDF: each citation lands on its text block, names the file and page, and opens it', async () => {
    const files = new FakeFiles();
    files.byUri.set('file:///w/report.pdf', { name: 'report.pdf', bytes: makePdf(5), uri: 'file:///w/report.pdf' });
    const h = await chatHarness(api, { attachments: attachmentDeps(files) });
    await h.app.handle({ type: 'attachUris', uris: ['file:///w/report.pdf'] });
    api.queue(reply.cited([['Growth was ', undefined], ['12%', { document_index: 0, start_page_number: 4, cited_text: 'Revenue grew 12 percent.' }]]));
    await h.app.handle({ type: 'send', text: 'What was the growth?' });
    const cites = h.of('citation');
    assert.equal(cites.length, 1);
    assert.deepEqual(cites[0].citation, { citedText: 'Revenue grew 12 percent.', title: 'report.pdf', startPage: 4, endPage: 5, attachmentId: h.app.session.history[0].attachments![0].id });
    const turn = (await h.app.state()).turns[0];
    assert.deepEqual(turn.blocks[1].citations, [cites[0].citation], 'kept on the block (and saved with it)');
    await h.app.handle({ type: 'openCitation', turnId: turn.id, blockId: turn.blocks[1].id, index: 0 });
    assert.equal(files.calls.at(-1)![0], 'openPdfAt');
    assert.equal(files.calls.at(-1)![2], 4);
  });
});
