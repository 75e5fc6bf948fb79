// Image and document blocks, the way the API checks and counts them (spec-more §1–§2, checklist §9). Its own
// magic-byte and header readers (not the extension's), so a bug there cannot hide behind the same bug here.
//
// Per block (validate-messages.ts calls checkImage/checkDocument, also inside tool_result content):
//   image: source base64 | url | file; base64: media_type in the four, data not empty ("image cannot be empty"),
//     valid base64 ("invalid base64 data"), bytes of a known format ("Could not process image"), the format the
//     media_type says (the 2026 wording), decoded size <= imageMaxBytes (10 MiB; 5 MiB for the old behaviour), each
//     side <= 8000, and with transformations.oversized_image "error" it must not need resizing.
//   document: base64 (application/pdf, starts with %PDF, pages <= 100/600), text (text/plain), content, url, file.
// Per request, for the model (checkRequestMedia): images <= 100 (context < 1M) or 600; more than 20 images => every
// side <= 2000; PDF pages in all <= 100/600; citations on all documents or none.
// Tokens (mediaTokens): an image costs ceil(w'/28)·ceil(h'/28) after the tier's resize (§1.4; high-resolution tier
// for models from Claude Opus 4.7 on); a PDF costs PDF_PAGE_TOKENS per page plus tokens(text) of its page texts.
import { ApiError, badRequest } from './http';
import type { FakeModel } from './models';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
export const DEFAULT_IMAGE_MAX_BYTES = 10 * 1024 * 1024;
export const MAX_SIDE = 8000;
export const MANY_IMAGES = 20;
export const MANY_SIDE = 2000;
export const PDF_PAGE_TOKENS = 1500;
/** Claude Opus 4.7's release: "Claude 4.7 and later models" get the high-resolution tier. */
const HIGH_RES_FROM = '2026-04-16';

export interface ImageInfo {
  type: string;
  width: number;
  height: number;
}

/** Format and size from the bytes, or undefined when they are no image the API decodes. */
export function readImage(b: Buffer): ImageInfo | undefined {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') {
    return { type: 'image/png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 10 && /^GIF8[79]a/.test(b.toString('latin1', 0, 6))) return { type: 'image/gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length >= 25 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') {
    const chunk = b.toString('latin1', 12, 16);
    if (chunk === 'VP8X' && b.length >= 30) return { type: 'image/webp', width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
    if (chunk === 'VP8L' && b[20] === 0x2f) {
      const bits = b.readUInt32LE(21);
      return { type: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8 ' && b.length >= 30) return { type: 'image/webp', width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
    return undefined;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    // Walk the segments to a start-of-frame marker (SOF0–SOF15 but DHT, JPG, DAC).
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return undefined;
      const marker = b[i + 1];
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: 'image/jpeg', width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
      }
      i += 2 + b.readUInt16BE(i + 2);
    }
    return undefined;
  }
  return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decode(data: string): Buffer | undefined {
  if (data.length % 4 !== 0 || !BASE64.test(data)) return undefined;
  return Buffer.from(data, 'base64');
}

export interface Tier {
  maxEdge: number;
  maxTokens: number;
}

export function tierOf(model: Pick<FakeModel, 'created_at'> | undefined): Tier {
  return !model || model.created_at >= HIGH_RES_FROM ? { maxEdge: 2576, maxTokens: 4784 } : { maxEdge: 1568, maxTokens: 1568 };
}

const p28 = (n: number) => Math.ceil(n / 28);
const fits = (w: number, h: number, t: Tier) => p28(w) * 28 <= t.maxEdge && p28(h) * 28 <= t.maxEdge && p28(w) * p28(h) <= t.maxTokens;

/** The size the model sees (the docs' binary search on the long side). */
export function resized(w: number, h: number, t: Tier): { width: number; height: number } {
  if (fits(w, h, t)) return { width: w, height: h };
  const wide = w >= h;
  const [long, short] = wide ? [w, h] : [h, w];
  const at = (l: number) => {
    const s = Math.max(1, Math.round((l * short) / long));
    return wide ? { width: l, height: s } : { width: s, height: l };
  };
  let lo = 1;
  let hi = long;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const d = at(mid);
    if (fits(d.width, d.height, t)) lo = mid;
    else hi = mid - 1;
  }
  return at(lo);
}

export function imageTokens(info: ImageInfo, model: Pick<FakeModel, 'created_at'> | undefined): number {
  const d = resized(info.width, info.height, tierOf(model));
  return p28(d.width) * p28(d.height);
}

/** Pages of a PDF: the largest /Count of a /Pages node, else the /Type /Page objects (the test PDFs are plain). */
export function pdfPages(b: Buffer): number {
  const text = b.toString('latin1');
  let count = 0;
  for (const m of text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)) count = Math.max(count, Number(m[1] ?? m[2]));
  return count || (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length || 1;
}

/** The page texts of a PDF the fake counts (the text shown by `(…) Tj`). */
function pdfText(b: Buffer): string {
  return [...b.toString('latin1').matchAll(/\(((?:[^()\\]|\\.)*)\)\s*Tj/g)].map((m) => m[1]).join('\n');
}

export interface MediaRules {
  /** Largest decoded image in bytes (10 MiB; 5 MiB reproduces the errors seen until 2026-01). */
  imageMaxBytes: number;
}

/** One image block at `path` (e.g. `messages.0.content.1`). */
export function checkImage(b: Obj, path: string, rules: MediaRules): ApiError | undefined {
  const src = b.source;
  if (!isObj(src)) return badRequest(`${path}.image.source: Field required`);
  if (src.type === 'url') return typeof src.url === 'string' ? undefined : badRequest(`${path}.image.source.url.url: Field required`);
  if (src.type === 'file') return typeof src.file_id === 'string' ? undefined : badRequest(`${path}.image.source.file.file_id: Field required`);
  if (src.type !== 'base64') {
    return badRequest(`${path}.image.source: Input tag '${String(src.type)}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'`); // UNCONFIRMED wording (pydantic style)
  }
  const at = `${path}.image.source.base64`;
  if (!IMAGE_TYPES.includes(String(src.media_type))) return badRequest(`${at}.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
  if (typeof src.data !== 'string') return badRequest(`${at}.data: Field required`);
  if (src.data === '') return badRequest(`${at}: image cannot be empty`); // anthropics/claude-code#12750 (2025-11)
  const bytes = decode(src.data);
  if (!bytes) return badRequest(`${at}: invalid base64 data`); // anthropics/anthropic-sdk-typescript#603 (2024-11)
  const info = readImage(bytes);
  if (!info) return badRequest('Could not process image');
  if (info.type !== src.media_type) {
    return badRequest(`${at}: The image was specified using the ${String(src.media_type)} media type, but the image appears to be a ${info.type} image`);
  }
  if (bytes.length > rules.imageMaxBytes) {
    const mb = Math.round(rules.imageMaxBytes / 1024 / 1024);
    return badRequest(`${at}: image exceeds ${mb} MB maximum: ${bytes.length} bytes > ${rules.imageMaxBytes} bytes`);
  }
  if (info.width > MAX_SIDE || info.height > MAX_SIDE) return badRequest(`At least one of the image dimensions exceed max allowed size: ${MAX_SIDE} pixels`);
  return undefined;
}

/** One document block (path as for images; the real errors name the PDF source `pdf`). */
export function checkDocument(b: Obj, path: string): ApiError | undefined {
  const src = b.source;
  if (!isObj(src)) return badRequest(`${path}.document.source: Field required`);
  if (b.citations !== undefined && b.citations !== null && !isObj(b.citations)) return badRequest(`${path}.document.citations: Input should be a valid dictionary`);
  switch (src.type) {
    case 'base64': {
      if (src.media_type !== 'application/pdf') return badRequest(`${path}.pdf.source.base64.media_type: Input should be 'application/pdf'`); // UNCONFIRMED
      const bytes = typeof src.data === 'string' ? decode(src.data) : undefined;
      if (!bytes || bytes.toString('latin1', 0, 4) !== '%PDF') return badRequest(`${path}.pdf.source.base64.data: The PDF specified was not valid.`);
      return undefined;
    }
    case 'text':
      return src.media_type === 'text/plain' && typeof src.data === 'string' ? undefined : badRequest(`${path}.document.source.text: media_type 'text/plain' and data are required`); // UNCONFIRMED
    case 'content':
    case 'url':
    case 'file':
      return undefined;
    default:
      return badRequest(`${path}.document.source: Input tag '${String(src.type)}' found using 'type' does not match any of the expected tags: 'base64', 'text', 'content', 'url', 'file'`); // UNCONFIRMED
  }
}

interface Found {
  block: Obj;
  path: string;
}

/** Every image and document block of the request, tool results included, in order. */
export function mediaBlocks(body: Obj): { images: Found[]; documents: Found[] } {
  const images: Found[] = [];
  const documents: Found[] = [];
  const visit = (b: unknown, path: string) => {
    if (!isObj(b)) return;
    if (b.type === 'image') images.push({ block: b, path });
    if (b.type === 'document') documents.push({ block: b, path });
    if (b.type === 'tool_result' && Array.isArray(b.content)) b.content.forEach((c, k) => visit(c, `${path}.tool_result.content.${k}`));
  };
  (Array.isArray(body.messages) ? body.messages : []).forEach((m, i) => {
    if (isObj(m) && Array.isArray(m.content)) m.content.forEach((b, j) => visit(b, `messages.${i}.content.${j}`));
  });
  return { images, documents };
}

const base64Of = (b: Obj) => (isObj(b.source) && b.source.type === 'base64' && typeof b.source.data === 'string' ? decode(b.source.data) : undefined);

/** The request-wide rules, for the model the request names. Run after checkImage/checkDocument passed. */
export function checkRequestMedia(body: Obj, model: FakeModel, mode: 'create' | 'count' | 'batch'): ApiError | undefined {
  const { images, documents } = mediaBlocks(body);
  const small = model.max_input_tokens < 1_000_000;
  if (mode === 'count') {
    const remote = [...images, ...documents].find((f) => isObj(f.block.source) && (f.block.source.type === 'url' || f.block.source.type === 'file'));
    // "returns an invalid_request_error for … image or document blocks with a url or file source" (§1.5); wording UNCONFIRMED.
    if (remote) return badRequest(`${remote.path}: count_tokens does not support url or file sources; send images and PDFs as base64 to count them`);
  }
  const cap = small ? 100 : 600;
  if (images.length > cap) return badRequest(`messages: Too many images in request: ${images.length} > ${cap}`); // UNCONFIRMED wording
  for (const f of images) {
    const bytes = base64Of(f.block);
    const info = bytes && readImage(bytes);
    if (!info) continue;
    if (images.length > MANY_IMAGES && (info.width > MANY_SIDE || info.height > MANY_SIDE)) {
      return badRequest(`${f.path}.image.source.base64.data: At least one of the image dimensions exceed max allowed size for many-image requests: ${MANY_SIDE} pixels`);
    }
    const t = isObj(f.block.transformations) ? f.block.transformations.oversized_image : undefined;
    const d = resized(info.width, info.height, tierOf(model));
    if (t === 'error' && (d.width !== info.width || d.height !== info.height)) {
      return badRequest(
        `${f.path}: image dimensions ${info.width}x${info.height} exceed the maximum image size of a model named on this request and would be downsized to ${d.width}x${d.height}; scale the image to at most ${d.width}x${d.height} or set the image's oversized_image setting to "downsize"`,
      );
    }
  }
  let pages = 0;
  for (const f of documents) {
    const bytes = base64Of(f.block);
    if (bytes && isObj(f.block.source) && f.block.source.media_type === 'application/pdf') pages += pdfPages(bytes);
  }
  const pageCap = small ? 100 : 600;
  if (pages > pageCap) {
    const last = documents[documents.length - 1];
    return badRequest(`${last.path}.pdf.source.base64.data: A maximum of ${pageCap} PDF pages may be provided.`);
  }
  const cited = documents.filter((f) => isObj(f.block.citations) && f.block.citations.enabled === true).length;
  if (cited > 0 && cited < documents.length) return badRequest('Citations must be enabled on all or none of the documents in a request.'); // UNCONFIRMED wording (§2.4)
  return undefined;
}

/** Tokens of an image or base64 PDF block for `model`; undefined for other blocks and sources. */
export function mediaTokens(b: Obj, model: Pick<FakeModel, 'created_at'> | undefined): number | undefined {
  const bytes = base64Of(b);
  if (!bytes) return undefined;
  if (b.type === 'image') {
    const info = readImage(bytes);
    return info ? imageTokens(info, model) : undefined;
  }
  if (b.type === 'document' && isObj(b.source) && b.source.media_type === 'application/pdf') return pdfPages(bytes) * PDF_PAGE_TOKENS + Math.ceil(pdfText(bytes).length / 4);
  return undefined;
}

/** The documents of a request that citations may point at (for checking scripted citations). */
export function citableDocuments(body: Obj): Obj[] {
  return mediaBlocks(body).documents.map((f) => f.block);
}
