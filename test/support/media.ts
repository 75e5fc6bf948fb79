// Small real files of each attachable format, made in code so tests need no binary fixtures: a valid (decodable)
// PNG of any size, headers of JPEG, GIF and WebP with chosen dimensions, and PDFs with N pages (plain or with the
// page tree in a compressed object stream, optionally "encrypted").
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** A decodable RGB PNG; `fill(x, y)` gives each pixel's [r, g, b] (default: a gradient with stripes). */
export function makePng(width: number, height: number, fill?: (x: number, y: number) => [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = fill ? fill(x, y) : [(x * 7) & 255, (y * 3) & 255, ((x >> 4) + (y >> 4)) % 2 ? 200 : 40];
      const o = y * row + 1 + x * 3;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A JPEG header (SOI, APP0, SOF0 with the size, EOI): enough for anything that reads dimensions, not a picture. */
export function makeJpegHeader(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 255, width >> 8, width & 255, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

export function makeGifHeader(width: number, height: number): Buffer {
  const b = Buffer.from('GIF89a\0\0\0\0\x80\x00\x00', 'latin1');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return Buffer.concat([b, Buffer.alloc(6), Buffer.from(';', 'latin1')]);
}

/** A lossless WebP header (RIFF, WEBP, VP8L with the size). */
export function makeWebpHeader(width: number, height: number): Buffer {
  const bits = (width - 1) | ((height - 1) << 14);
  const vp8l = Buffer.from([0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, (bits >> 24) & 255, 0, 0, 0]);
  const payload = Buffer.concat([Buffer.from('VP8L', 'latin1'), Buffer.from([vp8l.length, 0, 0, 0]), vp8l]);
  const riff = Buffer.alloc(4);
  riff.writeUInt32LE(4 + payload.length);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), riff, Buffer.from('WEBP', 'latin1'), payload]);
}

export interface PdfOptions {
  /** Put the page tree into a compressed object stream (PDF 1.5 style). */
  objectStream?: boolean;
  encrypted?: boolean;
  /** Text on each page (default "Page N"). */
  text?: (page: number) => string;
}

/** A small PDF with `pages` pages of text. */
export function makePdf(pages: number, opts: PdfOptions = {}): Buffer {
  const text = opts.text ?? ((n: number) => `Page ${n}`);
  const kids = Array.from({ length: pages }, (_, i) => `${4 + i * 2} 0 R`).join(' ');
  const objects: string[] = [];
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  const pagesDict = `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`;
  objects.push(pagesDict);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const pageDicts: string[] = [];
  for (let i = 0; i < pages; i++) {
    pageDicts.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + i * 2} 0 R >>`);
    const stream = `BT /F1 18 Tf 72 700 Td (${text(i + 1).replace(/[()\\]/g, '\\$&')}) Tj ET`;
    objects.push(pageDicts[i]);
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  }
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  const emit = (n: number, content: string) => {
    offsets[n] = Buffer.byteLength(body, 'latin1');
    body += `${n} 0 obj\n${content}\nendobj\n`;
  };
  if (opts.objectStream) {
    // Objects 2 (the page tree) and the page dictionaries go into one FlateDecode object stream.
    const inStream = [[2, pagesDict], ...pageDicts.map((d, i) => [4 + i * 2, d] as [number, string])] as [number, string][];
    let header = '';
    let data = '';
    for (const [n, d] of inStream) {
      header += `${n} ${data.length} `;
      data += `${d}\n`;
    }
    const packed = deflateSync(Buffer.from(header + data, 'latin1'));
    emit(1, objects[0]);
    emit(3, objects[2]);
    for (let i = 0; i < pages; i++) emit(5 + i * 2, objects[4 + i * 2]);
    const n = 4 + pages * 2;
    offsets[n] = Buffer.byteLength(body, 'latin1');
    body += `${n} 0 obj\n<< /Type /ObjStm /N ${inStream.length} /First ${header.length} /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`;
    const head = Buffer.from(body, 'latin1');
    const tail = Buffer.from(`\nendstream\nendobj\ntrailer\n<< /Size ${n + 1} /Root 1 0 R >>\n%%EOF\n`, 'latin1');
    return Buffer.concat([head, packed, tail]);
  }
  objects.forEach((o, i) => emit(i + 1, o));
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (let i = 1; i <= objects.length; i++) body += `${String(offsets[i]).padStart(10, '0')} 00000 n \n`;
  const encrypt = opts.encrypted ? ' /Encrypt << /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -4 >>' : '';
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
