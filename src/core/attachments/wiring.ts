// Builds the attachment parts of a chat (service, tray, webview preparer) and sweeps stale stored files, so the
// chat app (core/chat/chatApp.ts) only holds hooks.
import type { HostToWebview } from '../../shared/protocol';
import type { Turn } from '../conversation';
import type { Logger } from '../ports';
import type { AttachmentDeps } from './ports';
import { AttachmentService, attachmentsOf } from './service';
import { AttachmentTray } from './tray';
import type { Attachment } from './types';
import { WebviewPreparer } from './webviewPreparer';

/** Stored files of a conversation that no longer exists are kept this long (Undo, another window's new chat). */
export const SWEEP_GRACE_MS = 24 * 60 * 60 * 1000;

export interface ChatAttachments {
  service: AttachmentService;
  tray: AttachmentTray;
  preparer: WebviewPreparer;
}

export interface WiringHost {
  post(m: HostToWebview): void;
  viewReady(): boolean;
  conversationId(): string;
  model(): string;
  turns(): readonly Turn[];
  contextWindow(model: string): number | undefined;
  logger: Logger;
}

export function wireAttachments(deps: AttachmentDeps, host: WiringHost): ChatAttachments {
  const service = new AttachmentService({ dir: deps.dir, limits: deps.limits, contextWindow: (m) => host.contextWindow(m), logger: host.logger });
  const preparer = new WebviewPreparer((m) => host.post(m), () => host.viewReady());
  service.preparer = preparer;
  const tray = new AttachmentTray(service, deps.files, {
    conversationId: () => host.conversationId(),
    model: () => host.model(),
    turns: () => host.turns(),
    post: (m) => host.post(m),
    notice: (message) => host.post({ type: 'notice', message }),
  });
  return { service, tray, preparer };
}

/** The attachments a send would add, checked with everything the request already carries; the reason if not sendable. */
export function checkSend(a: ChatAttachments, turns: readonly Turn[], pending: readonly Attachment[], model: string): string | undefined {
  return pending.length === 0 ? undefined : a.service.check([...attachmentsOf(turns), ...pending], model);
}

/** Removes the stored files of conversations that are gone (deleted, or new chats never sent), after a grace. */
export async function sweepAttachments(a: ChatAttachments, ids: readonly string[], openId: string, now: number, logger: Logger): Promise<void> {
  const known = new Set([...ids, openId]);
  try {
    const n = await a.service.store.sweep((id) => known.has(id), now, SWEEP_GRACE_MS);
    if (n > 0) logger.info(`removed the stored attachments of ${n} deleted conversation(s)`);
  } catch (e) {
    logger.warn(`could not sweep stored attachments: ${String(e)}`);
  }
}
