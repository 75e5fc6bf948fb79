// The request-wide limits, checked before a request is made: images per request, the many-image size rule, PDF
// pages per request, each image's size, and the 32 MB body. A request that would break one is not sent; the user
// gets the reason instead of an API error after the upload.
import { base64Length, AttachmentLimits, IMAGES_PER_REQUEST, IMAGES_PER_REQUEST_SMALL, MANY_IMAGE_SIDE, MANY_IMAGES, MAX_IMAGE_SIDE, MAX_REQUEST_BYTES, PDF_PAGES, PDF_PAGES_SMALL, REQUEST_MARGIN_BYTES, smallWindow } from './limits';
import { formatBytes, type Attachment } from './types';

const NEW_CHAT = 'Start a new chat (or leave out earlier turns) to go on.';

/** The reason the attachments `all` (every one the request would carry, in order) cannot be sent, if any. */
export function checkRequestMedia(all: readonly Attachment[], model: string, contextWindow: number | undefined, limits: AttachmentLimits): string | undefined {
  const small = smallWindow(contextWindow);
  const images = all.filter((a) => a.mediaType !== 'application/pdf');
  const cap = small ? IMAGES_PER_REQUEST_SMALL : IMAGES_PER_REQUEST;
  if (images.length > cap) return `This request would carry ${images.length} images, and ${model} takes at most ${cap} per request. ${NEW_CHAT}`;
  for (const a of images) {
    const side = Math.max(a.width ?? 0, a.height ?? 0);
    if (side > MAX_IMAGE_SIDE) return `"${a.name}" is ${a.width}×${a.height}; the API takes images of at most ${MAX_IMAGE_SIDE} px per side.`;
    if (images.length > MANY_IMAGES && side > MANY_IMAGE_SIDE) {
      return `This request would carry ${images.length} images, and with more than ${MANY_IMAGES} the API takes at most ${MANY_IMAGE_SIDE} px per side, but "${a.name}" is ${a.width}×${a.height}. ${NEW_CHAT}`;
    }
    if (base64Length(a.bytes) > limits.imageMaxBase64) {
      return `"${a.name}" is ${formatBytes(a.bytes)}, over the image size limit (claudeChat.attachments.imageMaxMB).`;
    }
  }
  const pages = all.reduce((n, a) => n + (a.mediaType === 'application/pdf' ? a.pages ?? 0 : 0), 0);
  const pageCap = small ? PDF_PAGES_SMALL : PDF_PAGES;
  if (pages > pageCap) return `This request would carry ${pages} PDF pages, and ${model} takes at most ${pageCap} per request. ${NEW_CHAT}`;
  const body = all.reduce((n, a) => n + base64Length(a.bytes), 0);
  if (body > MAX_REQUEST_BYTES - REQUEST_MARGIN_BYTES) {
    return `The attachments this request would carry come to ${formatBytes(body)} as base64, and a request can be at most 32 MB. ${NEW_CHAT}`;
  }
  return undefined;
}
