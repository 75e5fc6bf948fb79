// Image and document blocks for the Messages API (spec-more §1.1, §2.1), base64. The bytes of an attachment are
// held beside it in memory (a WeakMap, so they go when the conversation does and never into a saved file) once
// the session has loaded them from the store (AttachmentService.hydrate); building a request is then synchronous.
// Exported for other request builders (the vscode.lm provider maps image data parts with imageBlock()).
import type {
  ContentBlockParam, DocumentBlockParam, ImageBlockParam, MessageParam, TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { AttachmentMediaType } from '../../shared/attachments';
import type { Attachment } from './types';

type ImageMediaType = Exclude<AttachmentMediaType, 'application/pdf'>;

const bytesOf = new WeakMap<Attachment, string>();
/** Which attachment a built document block came from, so a citation of it can open the file. */
const documentOwner = new WeakMap<object, string>();

/** Holds the base64 of `a` for building requests. */
export function setAttachmentData(a: Attachment, base64: string): void {
  bytesOf.set(a, base64);
}

export function hasAttachmentData(a: Attachment): boolean {
  return bytesOf.has(a);
}

export function attachmentData(a: Attachment): string | undefined {
  return bytesOf.get(a);
}

export function imageBlock(mediaType: ImageMediaType, base64: string): ImageBlockParam {
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: base64 } };
}

/** A PDF as a document block; `title` is the file name (passed to the model, not citable). */
export function documentBlock(base64: string, title?: string): DocumentBlockParam {
  const b: DocumentBlockParam = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: base64 } };
  if (title) b.title = title.slice(0, 120);
  return b;
}

function placeholder(a: Attachment): TextBlockParam {
  return { type: 'text', text: `[The attachment "${a.name}" is no longer available: its stored copy is missing or damaged.]` };
}

/** The blocks for `atts`, in order: an image or document block each (a short note for one whose bytes are gone). */
export function attachmentBlocks(atts: readonly Attachment[] | undefined): (ImageBlockParam | DocumentBlockParam | TextBlockParam)[] {
  const out: (ImageBlockParam | DocumentBlockParam | TextBlockParam)[] = [];
  for (const a of atts ?? []) {
    const data = bytesOf.get(a);
    if (data === undefined) {
      out.push(placeholder(a));
    } else if (a.mediaType === 'application/pdf') {
      const d = documentBlock(data, a.name);
      documentOwner.set(d, a.id);
      out.push(d);
    } else out.push(imageBlock(a.mediaType, data));
  }
  return out;
}

/** The attachment a document block of a built request came from. */
export function attachmentIdOfDocument(block: object): string | undefined {
  return documentOwner.get(block);
}

function* contentBlocks(messages: readonly MessageParam[]): Generator<ContentBlockParam> {
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) {
      yield b;
      if (b.type === 'tool_result' && Array.isArray(b.content)) yield* b.content as ContentBlockParam[];
    }
  }
}

/**
 * The document blocks of a request in the order the API numbers them for citations ("0-indexed from the list of
 * all document content blocks in the request (spanning across all messages)").
 */
export function documentsInOrder(messages: readonly MessageParam[]): DocumentBlockParam[] {
  return [...contentBlocks(messages)].filter((b): b is DocumentBlockParam => b.type === 'document');
}

/**
 * Turns citations on for every PDF of the request, or for none: the API wants "all or none of the documents within
 * a request" (§2.4). The blocks are the request's own fresh copies.
 */
export function applyCitations(messages: readonly MessageParam[], enabled: boolean): void {
  if (!enabled) return;
  for (const d of documentsInOrder(messages)) if (d.source.type === 'base64') d.citations = { enabled: true };
}
