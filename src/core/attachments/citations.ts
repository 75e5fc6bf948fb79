// A citation from the API (a `citations_delta`, or a cited text block) as the chat shows it: the quoted passage,
// the document's title, its pages, and which attachment it is, found by the document's position in the request.
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { CitationView } from '../../shared/attachments';
import { attachmentIdOfDocument, documentsInOrder } from './blocks';

const MAX_CITED_CHARS = 2000;

/** Maps citations of one request to views; document positions are resolved once, on the first citation. */
export class CitationMapper {
  private docs: ReturnType<typeof documentsInOrder> | undefined;

  constructor(private readonly messages: readonly MessageParam[]) {}

  view(raw: unknown): CitationView | undefined {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const c = raw as Record<string, unknown>;
    if (typeof c.cited_text !== 'string') return undefined;
    const v: CitationView = { citedText: c.cited_text.slice(0, MAX_CITED_CHARS) };
    if (typeof c.document_title === 'string' && c.document_title) v.title = c.document_title;
    if (c.type === 'page_location' && Number.isInteger(c.start_page_number)) {
      v.startPage = c.start_page_number as number;
      if (Number.isInteger(c.end_page_number)) v.endPage = c.end_page_number as number;
    }
    if (typeof c.document_index === 'number') {
      this.docs ??= documentsInOrder(this.messages);
      const doc = this.docs[c.document_index];
      const id = doc && attachmentIdOfDocument(doc);
      if (id) v.attachmentId = id;
      if (!v.title && doc?.title) v.title = doc.title;
    }
    return v;
  }
}
