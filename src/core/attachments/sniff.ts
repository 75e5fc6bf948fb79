// What a file is, from its bytes (magic numbers), never from its name: a ".png" that holds a JPEG is sent as
// image/jpeg, an ".exe" renamed ".png" is refused. Dimensions come from the image header through image-size (a
// kept library: its JPEG reader walks the segment markers, EXIF included), four formats only.
import { GIF } from 'image-size/types/gif';
import { JPG } from 'image-size/types/jpg';
import { PNG } from 'image-size/types/png';
import { WEBP } from 'image-size/types/webp';
import type { AttachmentMediaType } from '../../shared/attachments';

export type Sniffed =
  | { kind: 'image'; mediaType: Exclude<AttachmentMediaType, 'application/pdf'>; width: number; height: number }
  | { kind: 'pdf'; mediaType: 'application/pdf' }
  /** Recognised but not accepted (SVG can carry script; the API takes none of these). */
  | { kind: 'unsupported'; what: string }
  /** A known image format whose header cannot be read. */
  | { kind: 'broken'; what: string }
  | { kind: 'unknown' };

const FORMATS = [
  { name: 'PNG', mediaType: 'image/png', detector: PNG },
  { name: 'JPEG', mediaType: 'image/jpeg', detector: JPG },
  { name: 'GIF', mediaType: 'image/gif', detector: GIF },
  { name: 'WebP', mediaType: 'image/webp', detector: WEBP },
] as const;

function ascii(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < Math.min(to, bytes.length); i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Formats people paste that the API does not take, by their magic bytes. */
function unsupported(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'an SVG image';
  if (bytes[0] === 0x42 && bytes[1] === 0x4d) return 'a BMP image';
  if ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[3] === 0x2a)) return 'a TIFF image';
  if (ascii(bytes, 4, 12) === 'ftypheic' || ascii(bytes, 4, 12) === 'ftypavif' || ascii(bytes, 4, 12) === 'ftypmif1') return 'a HEIC/AVIF image';
  if (bytes[0] === 0x00 && bytes[1] === 0x00 && bytes[2] === 0x01 && bytes[3] === 0x00) return 'an ICO icon';
  return undefined;
}

/** The first `n` bytes as a view of their own: image-size reads through a DataView over `input.buffer` with no
 *  length, so a view into a larger buffer (a Node pool slice, a truncated file) would let it read past the end. */
function own(bytes: Uint8Array, n: number): Uint8Array {
  return new Uint8Array(bytes.subarray(0, n));
}

const HEAD = 1024 * 1024;

export function sniff(bytes: Uint8Array): Sniffed {
  if (ascii(bytes, 0, 5) === '%PDF-') return { kind: 'pdf', mediaType: 'application/pdf' };
  const head = readImage(own(bytes, HEAD));
  // A JPEG whose frame header is past its first megabyte (large embedded metadata): read it all.
  return head.kind === 'broken' && bytes.byteLength > HEAD ? readImage(own(bytes, bytes.byteLength)) : head;
}

function readImage(bytes: Uint8Array): Sniffed {
  for (const f of FORMATS) {
    let valid = false;
    try {
      valid = bytes.length >= 12 && f.detector.validate(bytes);
    } catch {
      return { kind: 'broken', what: `a ${f.name} image` };
    }
    if (!valid) continue;
    try {
      const { width, height } = f.detector.calculate(bytes);
      if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return { kind: 'broken', what: `a ${f.name} image` };
      return { kind: 'image', mediaType: f.mediaType, width, height };
    } catch {
      return { kind: 'broken', what: `a ${f.name} image` };
    }
  }
  const u = unsupported(bytes);
  return u ? { kind: 'unsupported', what: u } : { kind: 'unknown' };
}
