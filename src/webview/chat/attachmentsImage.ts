// The browser's half of attaching images: decode (createImageBitmap: native, off the main thread where the browser
// can), measure, make a thumbnail, and downscale with a canvas. Used for pasted and dropped files before they go to
// the host, and for images the host read itself (prepareImage). The host checks everything again.
import type { HostToWebview, WebviewToHost } from '../../shared/protocol';

/** Longest side of an image sent: larger ones are downscaled (core/attachments/limits.ts MAX_LONG_EDGE). */
export const MAX_LONG_EDGE = 2000;
/** Largest image, as base64 characters, unless the host says otherwise (claudeChat.attachments.imageMaxMB). */
export const DEFAULT_MAX_BASE64 = 5 * 1024 * 1024;
const THUMB_HEIGHT = 96;
const THUMB_MAX_WIDTH = 192;

export type Kind = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'application/pdf' | 'svg' | 'unknown';

/** What the first bytes say (the host decides for real; this only spares it a 20 MB .exe). */
export function sniffHead(b: Uint8Array): Kind {
  const s = String.fromCharCode(...b.subarray(0, 16));
  if (s.startsWith('%PDF-')) return 'application/pdf';
  if (s.startsWith('\x89PNG\r\n\x1a\n')) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (s.startsWith('GIF87a') || s.startsWith('GIF89a')) return 'image/gif';
  if (s.startsWith('RIFF') && s.slice(8, 12) === 'WEBP') return 'image/webp';
  const text = new TextDecoder().decode(b.subarray(0, 256)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) return 'svg';
  return 'unknown';
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A blob's base64 through the browser's own encoder (a data: URL), which is fast for megabytes. */
export function blobBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('could not read the file'));
    r.readAsDataURL(blob);
  });
}

function canvas(w: number, h: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

function encode(c: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('the image could not be encoded'))), type, quality));
}

/** A small JPEG data URL of a decoded image (the chip's thumbnail). */
export function thumbnailOf(image: ImageBitmap): string {
  const scale = Math.min(1, THUMB_HEIGHT / image.height, THUMB_MAX_WIDTH / image.width);
  const w = Math.max(1, Math.round(image.width * scale));
  const h = Math.max(1, Math.round(image.height * scale));
  const c = canvas(w, h);
  const ctx = c.getContext('2d')!;
  ctx.fillStyle = '#fff'; // transparent areas on white, as JPEG has no alpha
  ctx.fillRect(0, 0, w, h);
  ctx.imageSmoothingQuality = 'medium';
  ctx.drawImage(image, 0, 0, w, h);
  return c.toDataURL('image/jpeg', 0.8);
}

export interface Downscaled {
  blob: Blob;
  mediaType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
}

/**
 * A copy no longer than `maxEdge` on either side whose base64 fits `maxBase64`: PNG for screenshots and drawings
 * (JPEG stays JPEG), then JPEG and smaller steps if it is still too large. Undefined when the image already fits.
 */
export async function downscale(source: Blob, image: ImageBitmap, type: string, maxEdge: number, maxBase64: number): Promise<Downscaled | undefined> {
  const { width, height } = image;
  const fitsBytes = (n: number) => Math.ceil(n / 3) * 4 <= maxBase64;
  if (Math.max(width, height) <= maxEdge && fitsBytes(source.size)) return undefined;
  let scale = Math.min(1, maxEdge / Math.max(width, height));
  let out: Downscaled | undefined;
  for (let attempt = 0; attempt < 6; attempt++) {
    const w = Math.max(1, Math.floor(width * scale));
    const h = Math.max(1, Math.floor(height * scale));
    // Drawn from the one decoded bitmap: the file is decoded once, whatever the number of tries.
    const c = canvas(w, h);
    const ctx = c.getContext('2d')!;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(image, 0, 0, w, h);
    const png = type !== 'image/jpeg' && attempt === 0;
    const mediaType = png ? 'image/png' : 'image/jpeg';
    const blob = await encode(c, mediaType, png ? undefined : 0.88);
    out = { blob, mediaType, width: w, height: h };
    if (fitsBytes(blob.size)) return out;
    if (attempt > 0) scale *= 0.8;
  }
  return out;
}

type Prepared = Omit<Extract<WebviewToHost, { type: 'imagePrepared' }>, 'type' | 'requestId'>;

/** The host's prepareImage: size, thumbnail, and a smaller copy when the image is over the limits. */
export async function prepareForHost(m: Extract<HostToWebview, { type: 'prepareImage' }>): Promise<Prepared> {
  try {
    const blob = new Blob([fromBase64(m.data) as BlobPart], { type: m.mediaType });
    const bitmap = await createImageBitmap(blob);
    const { width, height } = bitmap;
    const thumbnail = thumbnailOf(bitmap);
    const smaller = await downscale(blob, bitmap, m.mediaType, m.maxEdge, m.maxBase64).finally(() => bitmap.close());
    if (!smaller) return { width, height, thumbnail };
    return { width, height, thumbnail, data: await blobBase64(smaller.blob), mediaType: smaller.mediaType };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
