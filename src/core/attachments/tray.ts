// The attachments waiting for the next message (the chips above the composer), and what the webview's attachment
// messages do: paste/drop (bytes), drags from VS Code (URIs), the file picker, remove, open, open a citation.
import type { AttachmentView, HostToWebview, WebviewToHost } from '../../shared/protocol';
import type { Turn } from '../conversation';
import type { AttachmentFilesPort } from './ports';
import { attachmentsOf, type AttachmentService } from './service';
import { type Attachment, type IncomingFile, isRefusal, type Refusal, toAttachmentView } from './types';

type Msg<K extends WebviewToHost['type']> = Extract<WebviewToHost, { type: K }>;

/** What the tray needs from the chat. */
export interface TrayHost {
  conversationId(): string;
  model(): string;
  turns(): readonly Turn[];
  post(m: HostToWebview): void;
  notice(message: string): void;
}

/** Most attachments waiting at once. */
export const MAX_PENDING = 20;

export class AttachmentTray {
  private pending: Attachment[] = [];
  /** Work in flight (intake is async): a send waits for it. */
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    readonly service: AttachmentService,
    private readonly files: AttachmentFilesPort,
    private readonly host: TrayHost,
  ) {}

  get items(): readonly Attachment[] {
    return this.pending;
  }

  views(): AttachmentView[] {
    return this.pending.map(toAttachmentView);
  }

  push(settled?: string[]): void {
    this.host.post({ type: 'attachments', items: this.views(), ...(settled?.length ? { settled } : {}), maxBase64: this.service.limits().imageMaxBase64 });
  }

  /** Resolves when every attachment being taken in has been. */
  settled(): Promise<void> {
    return this.busy.then(() => undefined);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.busy = Promise.all([this.busy, work.catch(() => undefined)]);
    return work;
  }

  /** A pasted or dropped file, read by the webview. */
  attachFile(m: Msg<'attachFile'>): Promise<void> {
    const file: IncomingFile = { name: m.name, bytes: new Uint8Array(Buffer.from(m.data, 'base64')) };
    const prepared = { thumbnail: m.thumbnail, resizedFrom: m.resizedFrom };
    return this.track(this.add([file], prepared, [m.localId]));
  }

  /** Files dragged from the explorer or an editor tab. */
  async attachUris(uris: readonly string[]): Promise<void> {
    await this.track(this.files.read(uris).then((files) => this.add(files)));
  }

  /** The attach button. */
  async pick(): Promise<void> {
    await this.track(this.files.pick().then((files) => this.add(files)));
  }

  /** Files from the host ("Add to Claude Context" on images and PDFs). */
  addFiles(files: (IncomingFile | Refusal)[]): Promise<void> {
    return this.track(this.add(files));
  }

  private async add(files: (IncomingFile | Refusal)[], prepared?: { thumbnail?: string; resizedFrom?: { width: number; height: number } }, settled?: string[]): Promise<void> {
    const conversationId = this.host.conversationId();
    for (const f of files) {
      if (isRefusal(f)) {
        this.host.notice(f.refused);
        continue;
      }
      if (this.pending.length >= MAX_PENDING) {
        this.host.notice(`"${f.name}" was not attached: at most ${MAX_PENDING} attachments can wait for one message.`);
        continue;
      }
      let r: Attachment | Refusal;
      try {
        r = await this.service.intake(conversationId, f, this.host.model(), prepared);
      } catch (e) {
        r = { refused: `"${f.name}" was not attached: ${e instanceof Error ? e.message : String(e)}.` };
      }
      if (isRefusal(r)) this.host.notice(r.refused);
      // The conversation may have changed while the file was read: it then belongs to no one.
      else if (this.host.conversationId() === conversationId) this.pending.push(r);
    }
    this.push(settled);
  }

  async remove(id: string): Promise<void> {
    const before = this.pending.length;
    this.pending = this.pending.filter((a) => a.id !== id);
    if (this.pending.length === before) return;
    this.push();
    await this.prune();
  }

  /** Hands the waiting attachments to a message being sent. */
  take(): Attachment[] {
    const out = this.pending;
    this.pending = [];
    if (out.length) this.push();
    return out;
  }

  /** The conversation changed: what waited for the old one is dropped (its files are tidied). */
  async reset(oldConversationId: string, oldTurns: readonly Turn[]): Promise<void> {
    const dropped = this.pending.length > 0;
    this.pending = [];
    this.push();
    if (!dropped) return;
    if (oldTurns.length === 0) await this.service.removeConversation(oldConversationId);
    else await this.service.prune(oldConversationId, attachmentsOf(oldTurns));
  }

  /** Removes stored files that neither the conversation nor the waiting chips use. */
  prune(): Promise<void> {
    return this.service.prune(this.host.conversationId(), [...attachmentsOf(this.host.turns()), ...this.pending]);
  }

  private find(id: string): Attachment | undefined {
    return [...this.pending, ...attachmentsOf(this.host.turns())].find((a) => a.id === id);
  }

  async open(id: string): Promise<void> {
    const a = this.find(id);
    if (!a) return;
    await this.files.open({ path: this.service.path(this.host.conversationId(), a), uri: a.uri });
  }

  async openCitation(m: Msg<'openCitation'>): Promise<void> {
    const block = this.host.turns().find((t) => t.id === m.turnId)?.blocks.find((b) => b.id === m.blockId);
    const c = block?.citations?.[m.index];
    const a = c?.attachmentId ? this.find(c.attachmentId) : undefined;
    if (!c || !a || a.mediaType !== 'application/pdf') return;
    await this.files.openPdfAt(this.service.path(this.host.conversationId(), a), c.startPage ?? 1);
  }
}
