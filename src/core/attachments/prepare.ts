// The image work the extension host leaves to the webview, a real browser with native decoders for all four formats:
// decode, measure, make a thumbnail, and downscale (canvas). The host never trusts the answer: what comes back is
// sniffed and checked again like any other file (intake.ts).
import { type AttachmentMediaType, MAX_THUMBNAIL_CHARS } from '../../shared/attachments';

export type ImageMediaType = Exclude<AttachmentMediaType, 'application/pdf'>;

export interface PrepareRequest {
  mediaType: ImageMediaType;
  /** base64 of the image. */
  data: string;
  /** Scale down so neither side is longer than this (never up). */
  maxEdge: number;
  /** Re-encode smaller until the base64 fits in this many characters. */
  maxBase64: number;
}

export interface PrepareResult {
  width: number;
  height: number;
  /** The smaller copy, base64, when one was needed. */
  data?: string;
  mediaType?: ImageMediaType;
  /** A small data: URL preview. */
  thumbnail?: string;
}

export interface ImagePreparer {
  /** Rejects when no webview can do it now (closed, not loaded) or it could not decode the image. */
  prepare(req: PrepareRequest): Promise<PrepareResult>;
}

export class PrepareUnavailable extends Error {}

const THUMBNAIL = /^data:image\/(jpeg|png);base64,[A-Za-z0-9+/]+={0,2}$/;

/** A thumbnail from the webview is shown again later: only a small JPEG or PNG data URL passes. */
export function cleanThumbnail(t: unknown): string | undefined {
  return typeof t === 'string' && t.length <= MAX_THUMBNAIL_CHARS && THUMBNAIL.test(t) ? t : undefined;
}
