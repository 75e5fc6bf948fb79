// LanguageModelDataPart -> Messages API blocks: images and PDFs as base64 blocks, text and JSON as text, markers and
// anything else dropped (never forwarded as an image). One small function per direction, so the mapping does not
// depend on the attachments work (issue 14) landing first.
import type { DocumentBlockParam, ImageBlockParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';

/** The image types the Messages API takes (wire spec more §1.1). */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
type ImageType = (typeof IMAGE_TYPES)[number];

/** Decoded text from a data part is cut here (UTF-16 code units); the note says so. */
export const MAX_DATA_TEXT = 200_000;

export type DataBlock = ImageBlockParam | DocumentBlockParam | TextBlockParam;

function base64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

/** Mime types some callers use as markers rather than content (Copilot's `cache_control`, `stateful_marker`). */
function isMarker(mime: string): boolean {
  return !mime.includes('/');
}

function isTextual(mime: string): boolean {
  return mime.startsWith('text/') || mime === 'application/json' || mime.endsWith('+json');
}

export function decodeText(data: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(data);
  return text.length > MAX_DATA_TEXT ? `${text.slice(0, MAX_DATA_TEXT)}\n[cut: ${text.length} characters in all]` : text;
}

/**
 * The block for one data part, or undefined to leave it out. `where` says whether it sits in a message (documents
 * allowed) or in a tool result (images and text only, per the API's tool_result content).
 */
export function dataBlock(mimeType: string, data: Uint8Array, where: 'message' | 'toolResult'): DataBlock | undefined {
  const mime = mimeType.toLowerCase().split(';')[0].trim();
  if (isMarker(mime)) return undefined;
  if ((IMAGE_TYPES as readonly string[]).includes(mime)) {
    if (data.byteLength === 0) return undefined;
    return { type: 'image', source: { type: 'base64', media_type: mime as ImageType, data: base64(data) } };
  }
  if (mime === 'application/pdf') {
    if (where === 'toolResult') return { type: 'text', text: `[a PDF of ${data.byteLength} bytes was left out: tool results take text and images only]` };
    return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: base64(data) } };
  }
  if (isTextual(mime)) {
    const text = decodeText(data);
    return text.trim() ? { type: 'text', text } : undefined;
  }
  if (mime.startsWith('image/')) return { type: 'text', text: `[an ${mime} image was left out: the API takes JPEG, PNG, GIF and WebP]` };
  return undefined;
}
