// The attachments of the open conversations: taking files in (intake.ts), loading their bytes for a request
// (hydrate), the request-wide check (preflight.ts), and the store's housekeeping. The chat session reaches it
// through the small SessionMedia interface.
import type { Logger } from '../ports';
import { attachmentData, hasAttachmentData, setAttachmentData } from './blocks';
import { intake, IntakeContext } from './intake';
import type { AttachmentLimits } from './limits';
import { checkRequestMedia } from './preflight';
import type { ImagePreparer } from './prepare';
import { AttachmentStore } from './store';
import type { Attachment, IncomingFile, Refusal } from './types';

/** What a chat session needs from the attachments. */
export interface SessionMedia {
  /** Loads the bytes of `atts` (those not loaded yet) from the store, so a request can be built. */
  hydrate(conversationId: string, atts: readonly Attachment[]): Promise<void>;
  /** Why a request carrying `atts` cannot be sent, if it cannot. */
  check(atts: readonly Attachment[], model: string): string | undefined;
  /** Takes in an image or PDF a tool returned. */
  toolMedia(conversationId: string, file: IncomingFile, model: string): Promise<Attachment | Refusal>;
  /** Whether PDFs are sent with citations enabled. */
  citations(): boolean;
}

/** Every attachment a list of turns carries, in request order (user attachments, then tool results'). */
export function attachmentsOf(turns: readonly { attachments?: Attachment[]; blocks: readonly { attachments?: Attachment[] }[] }[]): Attachment[] {
  const out: Attachment[] = [];
  for (const t of turns) {
    out.push(...(t.attachments ?? []));
    for (const b of t.blocks) out.push(...(b.attachments ?? []));
  }
  return out;
}

export interface AttachmentServiceOptions {
  dir: string;
  limits: () => AttachmentLimits;
  contextWindow: (model: string) => number | undefined;
  logger: Logger;
}

export class AttachmentService implements SessionMedia {
  readonly store: AttachmentStore;
  /** The webview's image work (thumbnails, downscaling), when one is there. */
  preparer: ImagePreparer | undefined;

  constructor(private readonly opts: AttachmentServiceOptions) {
    this.store = new AttachmentStore(opts.dir);
  }

  limits(): AttachmentLimits {
    return this.opts.limits();
  }

  intake(conversationId: string, file: IncomingFile, model: string, prepared?: IntakeContext['prepared']): Promise<Attachment | Refusal> {
    return intake(file, {
      conversationId,
      model,
      contextWindow: this.opts.contextWindow(model),
      limits: this.limits(),
      store: this.store,
      preparer: prepared ? undefined : this.preparer,
      prepared,
    });
  }

  toolMedia(conversationId: string, file: IncomingFile, model: string): Promise<Attachment | Refusal> {
    return this.intake(conversationId, file, model);
  }

  async hydrate(conversationId: string, atts: readonly Attachment[]): Promise<void> {
    for (const a of atts) {
      if (hasAttachmentData(a)) continue;
      try {
        const bytes = await this.store.get(conversationId, a.hash, a.mediaType);
        if (bytes) setAttachmentData(a, bytes.toString('base64'));
        else this.opts.logger.warn(`attachment ${a.name} (${a.hash.slice(0, 12)}…) is missing or damaged in the store`);
      } catch (e) {
        this.opts.logger.warn(`could not read attachment ${a.name}: ${String(e)}`);
      }
    }
  }

  check(atts: readonly Attachment[], model: string): string | undefined {
    return checkRequestMedia(atts, model, this.opts.contextWindow(model), this.limits());
  }

  citations(): boolean {
    return this.limits().pdfCitations;
  }

  /** Where the bytes of `a` are on disk (to open them, or to link them from an export). */
  path(conversationId: string, a: Attachment): string {
    return this.store.path(conversationId, a.hash, a.mediaType);
  }

  /** The base64 of `a` if it is loaded. */
  data(a: Attachment): string | undefined {
    return attachmentData(a);
  }

  /** Drops stored files no attachment of `keep` uses (a removed chip, a reply that was not kept). */
  async prune(conversationId: string, keep: readonly Attachment[]): Promise<void> {
    try {
      await this.store.prune(conversationId, new Set(keep.map((a) => a.hash)));
    } catch (e) {
      this.opts.logger.warn(`could not tidy the attachments of ${conversationId}: ${String(e)}`);
    }
  }

  async removeConversation(conversationId: string): Promise<void> {
    try {
      await this.store.removeConversation(conversationId);
    } catch (e) {
      this.opts.logger.warn(`could not delete the attachments of ${conversationId}: ${String(e)}`);
    }
  }
}
