// What a file is (magic bytes, never the name), its size from the header, a PDF's pages and encryption, and the
// documented token formula.
import * as assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { inspectPdf } from '../../../src/core/attachments/pdf';
import { sniff } from '../../../src/core/attachments/sniff';
import { HIGH_RES, imageTier, imageTokens, resizedSize, STANDARD } from '../../../src/core/attachments/tokens';
import { makeGifHeader, makeJpegHeader, makePdf, makePng, makeWebpHeader } from '../../support/media';

describe('attachments: formats and tokens', () => {
  it('tells the four image formats and PDFs by their bytes, with their size', () => {
    assert.deepEqual(sniff(makePng(300, 200)), { kind: 'image', mediaType: 'image/png', width: 300, height: 200 });
    assert.deepEqual(sniff(makeJpegHeader(640, 480)), { kind: 'image', mediaType: 'image/jpeg', width: 640, height: 480 });
    assert.deepEqual(sniff(makeGifHeader(16, 9)), { kind: 'image', mediaType: 'image/gif', width: 16, height: 9 });
    assert.deepEqual(sniff(makeWebpHeader(123, 45)), { kind: 'image', mediaType: 'image/webp', width: 123, height: 45 });
    assert.equal(sniff(makePdf(1)).kind, 'pdf');
  });

  it('refuses what is not one of them, whatever it is called: programs, SVG (script), BMP, TIFF, text, truncated headers', () => {
    assert.deepEqual(sniff(Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00 PE program', 'latin1')), { kind: 'unknown' });
    assert.deepEqual(sniff(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')), { kind: 'unsupported', what: 'an SVG image' });
    assert.deepEqual(sniff(Buffer.from('\uFEFF<?xml version="1.0"?>\n<svg><script>x()</script></svg>')), { kind: 'unsupported', what: 'an SVG image' });
    assert.equal(sniff(Buffer.from('BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00', 'latin1')).kind, 'unsupported');
    assert.equal(sniff(Buffer.from('II*\x00\x08\x00\x00\x00\x00\x00\x00\x00', 'latin1')).kind, 'unsupported');
    assert.deepEqual(sniff(Buffer.from('just some text, named photo.png')), { kind: 'unknown' });
    assert.equal(sniff(makePng(10, 10).subarray(0, 20)).kind, 'broken', 'a PNG cut inside its header');
    assert.equal(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0])).kind, 'broken', 'a JPEG with no frame header');
    assert.equal(sniff(new Uint8Array(0)).kind, 'unknown');
  });

  it('counts PDF pages from the page tree, plain or in a compressed object stream; sees encryption', () => {
    assert.deepEqual(inspectPdf(makePdf(3)), { valid: true, encrypted: false, pages: 3 });
    assert.deepEqual(inspectPdf(makePdf(12, { objectStream: true })), { valid: true, encrypted: false, pages: 12 });
    assert.equal(inspectPdf(makePdf(2, { encrypted: true })).encrypted, true);
    assert.equal(inspectPdf(Buffer.from('%PDF-1.4\nnothing useful')).pages, undefined);
    assert.equal(inspectPdf(Buffer.from('not a pdf')).valid, false);
  });

  it('a PDF bomb (a tiny stream that inflates to gigabytes) is not inflated beyond the bound, and answers quickly', () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
    const pdf = Buffer.concat([
      Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`, 'latin1'),
      bomb,
      Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1'),
    ]);
    const before = process.memoryUsage().arrayBuffers;
    const t0 = Date.now();
    const info = inspectPdf(pdf);
    assert.equal(info.pages, undefined, 'nothing found, nothing assumed');
    assert.ok(process.memoryUsage().arrayBuffers - before < 32 * 1024 * 1024, 'did not hold the inflated 64 MB');
    assert.ok(Date.now() - t0 < 10_000, 'bounded (a hang guard, not a timing assertion)');
  });

  it('estimates image tokens as the docs table does, per tier', () => {
    assert.equal(imageTier('claude-haiku-4-5'), STANDARD);
    assert.equal(imageTier('claude-sonnet-4-6'), STANDARD);
    assert.equal(imageTier('claude-opus-4-7'), HIGH_RES);
    assert.equal(imageTier('claude-sonnet-5-5'), HIGH_RES);
    assert.equal(imageTier('some-gateway-model'), HIGH_RES);
    const rows: [number, number, number, number][] = [[200, 200, 64, 64], [1000, 1000, 1296, 1296], [1920, 1080, 1560, 2691], [3840, 2160, 1560, 4784]];
    for (const [w, h, std, hi] of rows) {
      assert.equal(imageTokens(w, h, 'claude-haiku-4-5'), std, `${w}×${h} standard`);
      assert.equal(imageTokens(w, h, 'claude-opus-5-5'), hi, `${w}×${h} high-res`);
    }
    assert.deepEqual(resizedSize(1920, 1080, STANDARD), { width: 1456, height: 819 });
    assert.deepEqual(resizedSize(1075, 1520, STANDARD), { width: 924, height: 1307 });
    assert.deepEqual(resizedSize(3840, 2160, HIGH_RES), { width: 2576, height: 1449 });
    // A live probe billed 4,788 for an 8000×6000 PNG plus a short prompt: at most the 4,784 cap (4:3 fits 4,740).
    assert.equal(imageTokens(8000, 6000, 'claude-sonnet-5-5'), 4740);
    assert.equal(imageTokens(2576, 2576 * 52 / 92, 'claude-sonnet-5-5'), 4784, 'the cap itself');
  });
});
