// What the chat needs to know about a PDF before sending it: is it one (it starts with %PDF-), is it encrypted (the
// API takes "no passwords/encryption"), and how many pages it has (the API allows 100 or 600 per request; the chip
// shows the count). Not a PDF parser: pages are the largest /Count of a /Type /Pages node (the root's), found in the
// plain text of the file and in its compressed object streams; a file whose page tree cannot be found has an
// unknown page count. Hand-written because no kept library does this small job (pdf-lib would add ~600 KB to the
// extension and parse the whole document); every decompression is bounded, so a "PDF bomb" costs at most
// MAX_INFLATE_TOTAL bytes of work.
import { inflateSync } from 'node:zlib';

export interface PdfInfo {
  valid: boolean;
  encrypted: boolean;
  /** Undefined when the page tree could not be found. */
  pages?: number;
}

const MAX_INFLATE_ONE = 8 * 1024 * 1024;
const MAX_INFLATE_TOTAL = 48 * 1024 * 1024;
const MAX_OBJECT_STREAMS = 2000;

/** The dictionary `<< … >>` around index `i` of `text`, by counting nesting; undefined when unbalanced. */
function enclosingDict(text: string, i: number): string | undefined {
  let depth = 0;
  let start = -1;
  for (let k = i; k >= 1 && i - k < 64 * 1024; k--) {
    const two = text.slice(k - 1, k + 1);
    if (two === '>>') {
      depth++;
      k--;
    } else if (two === '<<') {
      if (depth === 0) {
        start = k - 1;
        break;
      }
      depth--;
      k--;
    }
  }
  if (start < 0) return undefined;
  depth = 0;
  for (let k = start; k < text.length - 1 && k - start < 256 * 1024; k++) {
    const two = text.slice(k, k + 2);
    if (two === '<<') {
      depth++;
      k++;
    } else if (two === '>>') {
      depth--;
      k++;
      if (depth === 0) return text.slice(start, k + 1);
    }
  }
  return undefined;
}

/** Largest /Count among the /Type /Pages dictionaries of `text`, and how many /Type /Page objects it has. */
function scan(text: string): { count: number; leaves: number } {
  let count = 0;
  let leaves = 0;
  for (const m of text.matchAll(/\/Type\s*\/Pages?(?![A-Za-z0-9])/g)) {
    if (!m[0].endsWith('s')) {
      leaves++;
      continue;
    }
    const dict = enclosingDict(text, m.index ?? 0);
    const c = dict ? /\/Count\s+(\d{1,7})(?![0-9])/.exec(dict) : null;
    if (c) count = Math.max(count, Number(c[1]));
  }
  return { count, leaves };
}

/** The decompressed bodies of the object streams (/Type /ObjStm, FlateDecode), within the bounds above. */
function objectStreams(bytes: Uint8Array, text: string): string[] {
  const out: string[] = [];
  let budget = MAX_INFLATE_TOTAL;
  let seen = 0;
  for (const m of text.matchAll(/\/Type\s*\/ObjStm(?![A-Za-z0-9])/g)) {
    if (++seen > MAX_OBJECT_STREAMS || budget <= 0) break;
    const dict = enclosingDict(text, m.index ?? 0);
    if (!dict || !/\/Filter\s*\/FlateDecode/.test(dict) || /\/DecodeParms/.test(dict)) continue;
    const at = text.indexOf(dict, Math.max(0, (m.index ?? 0) - 64 * 1024));
    const kw = text.indexOf('stream', at + dict.length);
    if (kw < 0) continue;
    let start = kw + 6;
    if (text[start] === '\r') start++;
    if (text[start] === '\n') start++;
    const len = /\/Length\s+(\d{1,10})(?!\s+\d+\s+R)/.exec(dict);
    const end = len ? start + Number(len[1]) : text.indexOf('endstream', start);
    if (end <= start || end > bytes.length) continue;
    try {
      const body = inflateSync(bytes.subarray(start, end), { maxOutputLength: Math.min(MAX_INFLATE_ONE, budget) });
      budget -= body.length;
      out.push(body.toString('latin1'));
    } catch {
      // Corrupt, or larger than the bound: skipped (the page count may then be unknown).
    }
  }
  return out;
}

export function inspectPdf(bytes: Uint8Array): PdfInfo {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!text.startsWith('%PDF-')) return { valid: false, encrypted: false };
  const encrypted = /\/Encrypt\s*(\d+\s+\d+\s+R|<<)/.test(text);
  let { count, leaves } = scan(text);
  if (count === 0) {
    for (const body of objectStreams(bytes, text)) {
      const s = scan(body);
      count = Math.max(count, s.count);
      leaves += s.leaves;
    }
  }
  const pages = count > 0 ? count : leaves > 0 ? leaves : undefined;
  return { valid: true, encrypted, pages };
}
