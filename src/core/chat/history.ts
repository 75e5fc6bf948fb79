// Saved conversations: restore the open one after a reload, save after every turn, list, rename, delete with Undo,
// export to Markdown. Reaches the editor only through the chat ports.
import type { ChatSession } from '../chatSession';
import { newConversation } from '../conversation';
import type { ConversationStore } from '../conversationStore';
import { toMarkdown } from '../exportMarkdown';
import type { Logger } from '../ports';
import type { EditorPort, InputPort, Notifier } from './ports';
import type { AttachmentService } from '../attachments/service';

export interface HistoryPorts {
  notify: Notifier;
  input: InputPort;
  editor: EditorPort;
}

export class HistoryService {
  constructor(
    private readonly store: ConversationStore,
    private readonly session: ChatSession,
    private readonly logger: Logger,
    private readonly ports: HistoryPorts,
    private readonly media?: Pick<AttachmentService, 'removeConversation' | 'path'>,
  ) {}

  /** Loads the conversation that was open when the window closed. */
  async restore(): Promise<boolean> {
    const id = await this.store.openId();
    if (!id) return false;
    const conv = await this.store.load(id);
    if (!conv) return false;
    await this.session.load(conv);
    return true;
  }

  async saveOpen(): Promise<void> {
    try {
      await this.store.save(this.session.conversation);
    } catch (e) {
      this.logger.error(`could not save the conversation: ${String(e)}`);
      void this.ports.notify.error(`Claude API Chat could not save this conversation: ${(e as Error).message}`);
    }
  }

  list() {
    return this.store.list();
  }

  async open(id: string): Promise<boolean> {
    if (id === this.session.conversation.id) return true;
    const conv = await this.store.load(id);
    if (!conv) {
      void this.ports.notify.warn('That conversation could not be opened; see the "Claude API Chat" output for details.');
      return false;
    }
    await this.session.load(conv);
    // Remembered in the background: the view should not wait for a disk write to show the conversation.
    void this.store.setOpen(id).catch((e: unknown) => this.logger.warn(`could not remember the open conversation: ${String(e)}`));
    return true;
  }

  async rename(id: string): Promise<void> {
    const current = (await this.store.list()).find((i) => i.id === id);
    const title = await this.ports.input.ask({ title: 'Rename conversation', value: current?.title ?? '', validate: (v) => (v.trim() ? undefined : 'A title cannot be empty.') });
    if (title === undefined) return;
    await this.store.rename(id, title);
    if (this.session.conversation.id === id) this.session.conversation.title = title.trim();
  }

  /** Deletes at once and offers Undo, which saves it back unchanged. */
  async delete(id: string, changed: () => void): Promise<void> {
    const wasOpen = this.session.conversation.id === id;
    const conv = await this.store.delete(id);
    if (!conv) return;
    if (wasOpen) await this.session.load(newConversation());
    changed();
    const undo = await this.ports.notify.info(`Deleted "${conv.title || 'New chat'}".`, 'Undo');
    // Its attachments go once Undo is no longer offered (a window closed before that: swept at the next start).
    if (undo !== 'Undo') return this.media?.removeConversation(id);
    await this.store.save(conv, wasOpen);
    if (wasOpen) await this.session.load(conv);
    changed();
  }

  async exportOpen(): Promise<void> {
    const conv = this.session.conversation;
    if (conv.turns.length === 0) {
      void this.ports.notify.info('There is nothing to export yet: this conversation is empty.');
      return;
    }
    const media = this.media;
    await this.ports.editor.openMarkdown(toMarkdown(conv, media && ((a) => media.path(conv.id, a))));
  }
}
