// The engine's record of an attached image or PDF: what the chat shows (AttachmentView, shared/attachments.ts) plus
// the content hash that names its stored bytes (core/attachments/store.ts) and the file it came from. The hash and
// the source never reach the webview (toAttachmentView).
import type { AttachmentMediaType, AttachmentView } from '../../shared/attachments';

export interface Attachment extends AttachmentView {
  /** sha256 of the bytes, lower-case hex: the name of the stored file, valid only inside the store. */
  hash: string;
  /** The file it was read from (a URI), to open it again; pasted images have none. */
  uri?: string;
}

/** A file offered for attaching: its name (for messages), its bytes, and where it came from. */
export interface IncomingFile {
  name: string;
  bytes: Uint8Array;
  uri?: string;
}

/** Why a file was not attached, for the user (it names the file). */
export interface Refusal {
  refused: string;
}

export const isRefusal = (x: unknown): x is Refusal => typeof x === 'object' && x !== null && typeof (x as Refusal).refused === 'string';

const VIEW_FIELDS: Record<keyof AttachmentView, true> = {
  id: true, name: true, mediaType: true, bytes: true, tokens: true, width: true, height: true, pages: true, thumbnail: true, note: true,
};

export function toAttachmentView(a: Attachment): AttachmentView {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(VIEW_FIELDS)) {
    const v = (a as unknown as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as unknown as AttachmentView;
}

export const EXTENSIONS: Record<AttachmentMediaType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

export const LABELS: Record<AttachmentMediaType, string> = {
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'application/pdf': 'PDF',
};

let counter = 0;
export function newAttachmentId(): string {
  counter += 1;
  return `a${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A file name as the chip shows it: the last path segment, without control characters, at most 120 characters. */
export function displayName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || 'attachment').slice(0, 120);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
