// Images and PDFs in the conversation as the webview sees them (plain data). The engine's own record
// (core/attachments/types.ts) adds what only it needs: the content hash of the stored bytes and the source file.

/** The media types the Messages API takes as image and document blocks (spec-more §1.1, §2.1). */
export const ATTACHMENT_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const;
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];

/** Largest file taken in as an attachment (its base64 must leave room in a 32 MB request). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
/** Characters of the base64 of MAX_ATTACHMENT_BYTES. */
export const MAX_ATTACHMENT_BASE64 = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;
/** Longest thumbnail data URL. */
export const MAX_THUMBNAIL_CHARS = 48_000;

export function isImageType(t: AttachmentMediaType): boolean {
  return t !== 'application/pdf';
}

/** An image or PDF attached to a message (a chip), or returned by read_file inside a tool result. */
export interface AttachmentView {
  /** Opaque id: it names nothing on disk. */
  id: string;
  /** File name shown on the chip (never a path). */
  name: string;
  mediaType: AttachmentMediaType;
  /** Size of the bytes sent, before base64. */
  bytes: number;
  /** Estimated input tokens (core/attachments/tokens.ts); count_tokens gives the exact total of a request. */
  tokens: number;
  width?: number;
  height?: number;
  /** PDFs: pages counted in the file. */
  pages?: number;
  /** A small `data:image/jpeg|png;base64,…` preview (images only), made by the webview. */
  thumbnail?: string;
  /** What was done to it before sending, e.g. "Downscaled from 3840×2160 to 2576×1449". */
  note?: string;
}

/** A passage of an attached PDF the reply cites (a footnote). */
export interface CitationView {
  citedText: string;
  /** The cited document's title (its file name). */
  title?: string;
  /** 1-based first page; PDFs only. */
  startPage?: number;
  /** Exclusive end page, as the API reports it. */
  endPage?: number;
  /** The attachment cited, when it could be told (opens at startPage). */
  attachmentId?: string;
}
