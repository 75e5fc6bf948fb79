// The API's limits on images and PDFs (spec-more §1.2, §2.2) and what this extension does about them. One place,
// so the intake, the request check and the fake API's tests agree. Marked UNCONFIRMED where the reference is.

import { MAX_ATTACHMENT_BYTES } from '../../shared/attachments';

const MiB = 1024 * 1024;

/**
 * Largest image the API takes. The docs say "10 MB (base64-encoded)" and a live probe in 2026-09 saw 10 MB, but
 * real errors said 5 MB until at least 2026-01 and the switch date is UNCONFIRMED: so the default is 5 MB, set by
 * claudeChat.attachments.imageMaxMB (1–10), and it is applied to the base64 length, which satisfies either reading.
 */
export const DEFAULT_IMAGE_MAX_MB = 5;
export const MAX_IMAGE_MAX_MB = 10;
/** "8000x8000 px". */
export const MAX_IMAGE_SIDE = 8000;
/** With more than MANY_IMAGES images in a request, every image must be at most MANY_IMAGE_SIDE px per side. */
export const MANY_IMAGES = 20;
export const MANY_IMAGE_SIDE = 2000;
/**
 * Images with a longer side are downscaled to it before sending. The high-resolution tier looks at up to 2576 px
 * and the standard tier at 1568 (§1.4), but an image over 2000 px makes every request with more than 20 images fail
 * (the many-image rule, which counts earlier turns and tool results too); 2000 px keeps a long conversation with
 * many screenshots sendable, and loses nothing on standard-tier models.
 */
export const MAX_LONG_EDGE = MANY_IMAGE_SIDE;
/** Images per request: 100 for models with a context window under 1M tokens, else 600. */
export const IMAGES_PER_REQUEST_SMALL = 100;
export const IMAGES_PER_REQUEST = 600;
/** PDF pages per request: "600 (100 when the request's context window is under 1M tokens)". */
export const PDF_PAGES_SMALL = 100;
export const PDF_PAGES = 600;
/** Request body limit (413 above it, [BASE] §1). */
export const MAX_REQUEST_BYTES = 32 * MiB;
/** Room left in the request for everything that is not an attachment. */
export const REQUEST_MARGIN_BYTES = 1 * MiB;
/** Largest file taken in at all: its base64 must leave room in a 32 MB request. */
export const MAX_INTAKE_BYTES = MAX_ATTACHMENT_BYTES;
/** Longest file name kept. */
export const MAX_NAME_CHARS = 120;

export interface AttachmentLimits {
  /** Largest image, as base64 characters. */
  imageMaxBase64: number;
  /** Attach PDFs with `citations: {enabled: true}`. */
  pdfCitations: boolean;
}

export function limitsFrom(imageMaxMB: unknown, pdfCitations: unknown): AttachmentLimits {
  const mb = typeof imageMaxMB === 'number' && Number.isFinite(imageMaxMB) ? Math.min(Math.max(imageMaxMB, 1), MAX_IMAGE_MAX_MB) : DEFAULT_IMAGE_MAX_MB;
  return { imageMaxBase64: Math.floor(mb * MiB), pdfCitations: pdfCitations !== false };
}

export const DEFAULT_LIMITS: AttachmentLimits = limitsFrom(DEFAULT_IMAGE_MAX_MB, true);

/** Characters of the base64 form of `bytes` bytes. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** True when the model's context window is under 1M tokens (the smaller per-request limits apply). */
export function smallWindow(contextWindow: number | undefined): boolean {
  return contextWindow !== undefined && contextWindow < 1_000_000;
}
