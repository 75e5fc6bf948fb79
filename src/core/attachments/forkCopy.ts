// A fork (edit and resend, rewind: core/session/fork.ts) is a new conversation, and attachments are stored per
// conversation (store.ts), so the images and PDFs the fork's turns carry are copied into its own folder. Copies are
// checked against their hash on the way (store.get), and one that cannot be copied is logged: its request then says
// the attachment is no longer available, as for any missing copy.
import type { Conversation } from '../conversation';
import type { Logger } from '../ports';
import { attachmentsOf } from './service';
import type { AttachmentStore } from './store';
import type { Attachment } from './types';

export async function copyForkMedia(store: AttachmentStore, fromId: string, fork: Conversation, logger: Logger, extra: readonly Attachment[] = []): Promise<void> {
  const seen = new Set<string>();
  for (const a of [...attachmentsOf(fork.turns), ...extra]) {
    if (seen.has(a.hash)) continue;
    seen.add(a.hash);
    try {
      const bytes = await store.get(fromId, a.hash, a.mediaType);
      if (bytes) await store.put(fork.id, bytes, a.mediaType);
      else logger.warn(`fork: the stored copy of "${a.name}" is missing; the fork cannot send it`);
    } catch (e) {
      logger.warn(`fork: could not copy "${a.name}": ${String(e)}`);
    }
  }
}
