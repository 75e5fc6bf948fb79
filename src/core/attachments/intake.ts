// Taking a file in as an attachment: what it is (magic bytes), whether the API can take it (size, dimensions,
// pages, encryption), a downscaled copy when it is larger than it needs to be, its token estimate, and its bytes
// stored once in the conversation's store. Every refusal names the file and says why.
import { base64Length, AttachmentLimits, MAX_IMAGE_SIDE, MAX_INTAKE_BYTES, MAX_LONG_EDGE, MAX_REQUEST_BYTES, PDF_PAGES, PDF_PAGES_SMALL, REQUEST_MARGIN_BYTES, smallWindow } from './limits';
import { inspectPdf } from './pdf';
import { cleanThumbnail, ImagePreparer, PrepareResult, PrepareUnavailable } from './prepare';
import { sniff } from './sniff';
import type { AttachmentStore } from './store';
import { imageTokens, pdfTokens } from './tokens';
import { Attachment, displayName, formatBytes, IncomingFile, newAttachmentId, Refusal } from './types';
import { setAttachmentData } from './blocks';

export interface IntakeContext {
  conversationId: string;
  model: string;
  contextWindow?: number;
  limits: AttachmentLimits;
  store: AttachmentStore;
  /** The webview, for decoding, thumbnails and downscaling; without it images are taken as they are when they can be. */
  preparer?: ImagePreparer;
  /** The webview already prepared this image (a paste or a drop from the OS): its thumbnail and original size. */
  prepared?: { thumbnail?: string; resizedFrom?: { width: number; height: number } };
}

const SUPPORTED = 'only PNG, JPEG, GIF and WebP images and PDF files can be attached';

const refuse = (name: string, why: string): Refusal => ({ refused: `"${name}" was not attached: ${why}.` });
const dims = (w: number, h: number) => `${w}×${h}`;

export async function intake(file: IncomingFile, ctx: IntakeContext): Promise<Attachment | Refusal> {
  const name = displayName(file.name);
  const bytes = file.bytes;
  if (bytes.byteLength === 0) return refuse(name, 'it is empty');
  if (bytes.byteLength > MAX_INTAKE_BYTES) return refuse(name, `it is ${formatBytes(bytes.byteLength)}, and attachments can be at most ${formatBytes(MAX_INTAKE_BYTES)}`);
  const s = sniff(bytes);
  switch (s.kind) {
    case 'unknown':
      return refuse(name, `${SUPPORTED}, and its content is none of these`);
    case 'unsupported':
      return refuse(name, `it is ${s.what}; ${SUPPORTED}`);
    case 'broken':
      return refuse(name, `it looks like ${s.what}, but its header cannot be read`);
    case 'pdf':
      return intakePdf(name, file, ctx);
    case 'image':
      return intakeImage(name, file, s.mediaType, s.width, s.height, ctx);
  }
}

async function intakePdf(name: string, file: IncomingFile, ctx: IntakeContext): Promise<Attachment | Refusal> {
  const info = inspectPdf(file.bytes);
  if (!info.valid) return refuse(name, 'it is not a valid PDF');
  if (info.encrypted) return refuse(name, 'it is encrypted or password-protected, and the API takes only unencrypted PDFs');
  const cap = smallWindow(ctx.contextWindow) ? PDF_PAGES_SMALL : PDF_PAGES;
  if (info.pages !== undefined && info.pages > cap) return refuse(name, `it has ${info.pages} pages, and ${ctx.model} takes at most ${cap} PDF pages per request`);
  if (base64Length(file.bytes.byteLength) > MAX_REQUEST_BYTES - REQUEST_MARGIN_BYTES) return refuse(name, `it is ${formatBytes(file.bytes.byteLength)}, too large for one 32 MB request`);
  return store(file, name, 'application/pdf', ctx, { pages: info.pages, tokens: pdfTokens(info.pages), note: info.pages === undefined ? 'Page count unknown' : undefined });
}

async function intakeImage(
  name: string,
  file: IncomingFile,
  mediaType: Attachment['mediaType'] & `image/${string}`,
  width: number,
  height: number,
  ctx: IntakeContext,
): Promise<Attachment | Refusal> {
  const max = ctx.limits.imageMaxBase64;
  const tooBig = (n: number) => base64Length(n) > max;
  const over = (w: number, h: number) => Math.max(w, h) > MAX_LONG_EDGE;
  const mustShrink = (w: number, h: number, n: number) => tooBig(n) || Math.max(w, h) > MAX_IMAGE_SIDE;
  let bytes = file.bytes;
  let type = mediaType;
  let w = width;
  let h = height;
  let thumbnail = cleanThumbnail(ctx.prepared?.thumbnail);
  let note: string | undefined;
  const from = ctx.prepared?.resizedFrom;
  if (from && Number.isInteger(from.width) && Number.isInteger(from.height) && (from.width !== w || from.height !== h)) note = `Downscaled from ${dims(from.width, from.height)} to ${dims(w, h)}`;
  if (ctx.prepared) {
    // The webview prepared it: it must now fit, or something is wrong with what it sent.
    if (over(w, h) || tooBig(bytes.byteLength)) return refuse(name, `it is still ${dims(w, h)} and ${formatBytes(bytes.byteLength)} after downscaling`);
  } else if (ctx.preparer) {
    let r: PrepareResult;
    try {
      r = await ctx.preparer.prepare({ mediaType, data: Buffer.from(bytes).toString('base64'), maxEdge: MAX_LONG_EDGE, maxBase64: max });
    } catch (e) {
      if (!(e instanceof PrepareUnavailable)) return refuse(name, `it could not be decoded as an image (${e instanceof Error ? e.message : String(e)})`);
      if (mustShrink(w, h, bytes.byteLength)) return needsView(name, w, h, bytes.byteLength);
      r = { width: w, height: h };
    }
    thumbnail = cleanThumbnail(r.thumbnail);
    if (r.data !== undefined) {
      const smaller = new Uint8Array(Buffer.from(r.data, 'base64'));
      const again = sniff(smaller);
      if (again.kind !== 'image') return refuse(name, 'downscaling it failed');
      if (over(again.width, again.height) || tooBig(smaller.byteLength)) return refuse(name, `it is still ${dims(again.width, again.height)} and ${formatBytes(smaller.byteLength)} after downscaling`);
      note = again.width === w && again.height === h
        ? `Compressed from ${formatBytes(bytes.byteLength)} to ${formatBytes(smaller.byteLength)} to fit the size limit`
        : `Downscaled from ${dims(w, h)} to ${dims(again.width, again.height)}`;
      bytes = smaller;
      type = again.mediaType;
      w = again.width;
      h = again.height;
    }
  } else if (mustShrink(w, h, bytes.byteLength)) {
    return needsView(name, w, h, bytes.byteLength);
  }
  return store({ ...file, bytes }, name, type, ctx, { width: w, height: h, tokens: imageTokens(w, h, ctx.model), thumbnail, note });
}

function needsView(name: string, w: number, h: number, n: number): Refusal {
  return refuse(name, `it is ${dims(w, h)} and ${formatBytes(n)}, over the API's limits, and downscaling it needs the Claude chat view open; open the chat and attach it again`);
}

async function store(
  file: IncomingFile,
  name: string,
  mediaType: Attachment['mediaType'],
  ctx: IntakeContext,
  extra: Pick<Attachment, 'tokens'> & Partial<Attachment>,
): Promise<Attachment> {
  const hash = await ctx.store.put(ctx.conversationId, file.bytes, mediaType);
  const a: Attachment = { id: newAttachmentId(), name, mediaType, bytes: file.bytes.byteLength, hash, ...extra };
  for (const k of Object.keys(a) as (keyof Attachment)[]) if (a[k] === undefined) delete a[k];
  if (file.uri) a.uri = file.uri;
  setAttachmentData(a, Buffer.from(file.bytes).toString('base64'));
  return a;
}
