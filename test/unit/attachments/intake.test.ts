// Taking files in: every refusal names the file and says why; images over the limits are downscaled (by the
// webview's canvas, here a stand-in) with a note, or refused when nothing can downscale them; the bytes are stored
// once, by content; and the request-wide limits are checked before any request.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasAttachmentData } from '../../../src/core/attachments/blocks';
import { intake, IntakeContext } from '../../../src/core/attachments/intake';
import { limitsFrom } from '../../../src/core/attachments/limits';
import { checkRequestMedia } from '../../../src/core/attachments/preflight';
import { PrepareUnavailable, type ImagePreparer } from '../../../src/core/attachments/prepare';
import { AttachmentStore } from '../../../src/core/attachments/store';
import { type Attachment, isRefusal } from '../../../src/core/attachments/types';
import { makePdf, makePng, makeWebpHeader } from '../../support/media';
import { fakePrepare } from './attachmentFakes';

const preparer: ImagePreparer = {
  prepare: async (req) => {
    const a = await fakePrepare({ type: 'prepareImage', requestId: 'x', ...req });
    if (a.error) throw new Error(a.error);
    return { width: a.width!, height: a.height!, data: a.data, mediaType: a.mediaType, thumbnail: a.thumbnail };
  },
};
const noView: ImagePreparer = { prepare: async () => Promise.reject(new PrepareUnavailable('closed')) };

function ctx(extra: Partial<IntakeContext> = {}): IntakeContext {
  return { conversationId: 'c1', model: 'claude-sonnet-5-5', limits: limitsFrom(5, true), store: new AttachmentStore(mkdtempSync(join(tmpdir(), 'intake-'))), ...extra };
}

const refusal = async (name: string, bytes: Uint8Array, c = ctx()) => {
  const r = await intake({ name, bytes }, c);
  assert.ok(isRefusal(r), `${name} was refused`);
  return r.refused;
};

describe('attachments: intake', () => {
  it('refuses by name, with the reason: empty, 30 MB, a program, SVG, a broken header, an encrypted PDF, too many pages', async () => {
    assert.equal(await refusal('empty.png', new Uint8Array(0)), '"empty.png" was not attached: it is empty.');
    assert.equal(await refusal('huge.png', new Uint8Array(30 * 1024 * 1024)), '"huge.png" was not attached: it is 30.0 MB, and attachments can be at most 20.0 MB.');
    assert.match(await refusal('setup.exe', Buffer.from('MZ\x90\x00 program', 'latin1')), /^"setup\.exe" was not attached: only PNG, JPEG, GIF and WebP images and PDF files can be attached, and its content is none of these\.$/);
    assert.match(await refusal('icon.png', Buffer.from('<svg><script>alert(1)</script></svg>')), /"icon\.png" was not attached: it is an SVG image/);
    assert.match(await refusal('cut.png', makePng(10, 10).subarray(0, 20)), /looks like a PNG image, but its header cannot be read/);
    assert.match(await refusal('secret.pdf', makePdf(2, { encrypted: true })), /encrypted or password-protected/);
    assert.match(await refusal('book.pdf', makePdf(101), ctx({ contextWindow: 200_000, model: 'claude-haiku-4-5' })), /it has 101 pages, and claude-haiku-4-5 takes at most 100 PDF pages per request/);
    assert.equal(isRefusal(await intake({ name: 'book.pdf', bytes: makePdf(101) }, ctx({ contextWindow: 1_000_000 }))), false, '600 pages on a 1M model');
    assert.match(await refusal('../../etc/x\u0007.exe', Buffer.from('nope')), /^"x\.exe" was not attached/, 'a path becomes its last segment, control characters go');
  });

  it('takes a PNG named .jpg as a PNG (the bytes decide), stores it by content once, and holds its bytes for requests', async () => {
    const c = ctx();
    const bytes = makePng(640, 480);
    const a = (await intake({ name: 'photo.jpg', bytes }, c)) as Attachment;
    assert.equal(a.mediaType, 'image/png');
    assert.deepEqual([a.width, a.height, a.tokens], [640, 480, 23 * 18]);
    assert.match(a.hash, /^[0-9a-f]{64}$/);
    assert.ok(hasAttachmentData(a));
    const again = (await intake({ name: 'copy.png', bytes }, c)) as Attachment;
    assert.equal(again.hash, a.hash);
    assert.deepEqual(readdirSync(join(c.store.dir, 'c1')), [`${a.hash}.png`], 'one stored file for both');
  });

  it('downscales an image over 2000 px or over the size limit through the webview, with a note; the copy is checked', async () => {
    const a = (await intake({ name: 'wide.png', bytes: makePng(2800, 700) }, ctx({ preparer }))) as Attachment;
    assert.deepEqual([a.width, a.height], [2000, 500]);
    assert.equal(a.note, 'Downscaled from 2800×700 to 2000×500');
    assert.equal(a.tokens, 72 * 18);
    assert.ok(a.thumbnail?.startsWith('data:image/png;base64,'));
    // Over the byte limit (1 MB here) with small dimensions: downscaled too.
    const heavy = makePng(1500, 1500, (x, y) => [(x * 131 + y * 7) & 255, (x * y) & 255, (x ^ y) & 255]);
    assert.ok(heavy.length > 1024 * 1024, `a noisy PNG is heavy (${heavy.length} bytes)`);
    const b = (await intake({ name: 'noise.png', bytes: heavy }, ctx({ preparer, limits: limitsFrom(1, true) }))) as Attachment;
    assert.ok(b.bytes < 1024 * 1024 * 0.75, `stored smaller (${b.bytes})`);
    assert.match(b.note ?? '', /^Compressed from [\d.]+ (MB|KB) to \d+ KB to fit the size limit$/);
  });

  it('without a webview: an image within the hard limits is taken as it is; one over them is refused with what to do', async () => {
    const ok = (await intake({ name: 'wide.png', bytes: makePng(2800, 700) }, ctx({ preparer: noView }))) as Attachment;
    assert.deepEqual([ok.width, ok.height, ok.note], [2800, 700, undefined], 'the API downsizes it; nothing else can');
    assert.match(await refusal('giant.webp', makeWebpHeader(9000, 100), ctx({ preparer: noView })), /it is 9000×100 and .*, over the API's limits, and downscaling it needs the Claude chat view open/);
  });

  it('a webview that says it prepared an image but sent one still too large is not believed', async () => {
    assert.match(await refusal('big.png', makePng(2500, 10), ctx({ prepared: { thumbnail: 'data:image/png;base64,AAAA' } })), /still 2500×10/);
    const a = (await intake({ name: 'shot.png', bytes: makePng(2000, 1125) }, ctx({ prepared: { thumbnail: 'javascript:alert(1)', resizedFrom: { width: 3840, height: 2160 } } }))) as Attachment;
    assert.equal(a.thumbnail, undefined, 'only a data:image/jpeg|png URL is kept as a thumbnail');
    assert.equal(a.note, 'Downscaled from 3840×2160 to 2000×1125');
  });

  it('checks the whole request before sending: images per request, the many-image rule, pages, 32 MB', () => {
    const img = (n: number, side = 100, bytes = 1000): Attachment => ({ id: `a${n}`, name: `i${n}.png`, mediaType: 'image/png', bytes, tokens: 1, width: side, height: side, hash: 'a'.repeat(64) });
    const pdf = (pages: number, bytes = 1000): Attachment => ({ id: 'p', name: 'doc.pdf', mediaType: 'application/pdf', bytes, tokens: 1, pages, hash: 'b'.repeat(64) });
    const L = limitsFrom(5, true);
    assert.equal(checkRequestMedia([img(1), pdf(10)], 'm', 1_000_000, L), undefined);
    assert.match(checkRequestMedia(Array.from({ length: 101 }, (_, i) => img(i)), 'claude-haiku-4-5', 200_000, L)!, /101 images, and claude-haiku-4-5 takes at most 100/);
    assert.equal(checkRequestMedia(Array.from({ length: 101 }, (_, i) => img(i)), 'm', 1_000_000, L), undefined);
    assert.match(checkRequestMedia([...Array.from({ length: 20 }, (_, i) => img(i)), img(99, 2400)], 'm', 1_000_000, L)!, /21 images, and with more than 20 the API takes at most 2000 px per side, but "i99\.png" is 2400×2400/);
    assert.match(checkRequestMedia([pdf(60), pdf(50)], 'claude-haiku-4-5', 200_000, L)!, /110 PDF pages, and claude-haiku-4-5 takes at most 100/);
    assert.match(checkRequestMedia([pdf(1, 15_000_000), pdf(1, 15_000_000)], 'm', 1_000_000, L)!, /come to .* MB as base64, and a request can be at most 32 MB/);
    assert.match(checkRequestMedia([img(1, 100, 4_500_000)], 'm', 1_000_000, L)!, /over the image size limit/);
  });
});
