// The ways images and PDFs get into the chat from the webview: paste into the composer, drop files (from the OS or
// from VS Code's explorer, with Shift), and the attach button (the host's file picker). A pasted or dropped file
// shows as a chip at once ("preparing"); it is read, downscaled when too large, given a thumbnail, and sent to the
// host, whose answer (the `attachments` message) replaces the local chip. A send waits until none is preparing.
import type { AttachmentView, HostToWebview, WebviewToHost } from '../../shared/protocol';
import { button, el, icon } from '../common/dom';
import { attachmentChip } from './attachmentChip';
import { blobBase64, DEFAULT_MAX_BASE64, downscale, MAX_LONG_EDGE, sniffHead, thumbnailOf } from './attachmentsImage';

/** Largest file read at all (the host refuses more; shared/attachments.ts MAX_ATTACHMENT_BYTES). */
const MAX_FILE_BYTES = 20 * 1024 * 1024;
const SUPPORTED = 'only PNG, JPEG, GIF and WebP images and PDF files can be attached';

export interface AttachmentBarHooks {
  post(m: WebviewToHost): void;
  notice(message: string): void;
  /** The bar's content changed (the estimate should be counted again). */
  changed(): void;
}

interface Local {
  localId: string;
  name: string;
  chip: HTMLElement;
}

let nextLocal = 0;

export class AttachmentBar {
  readonly root = el('div', { class: 'attachment-chips', role: 'list', 'aria-label': 'Attachments for the next message', hidden: '' });
  readonly attachButton = button('Attach images or PDFs', 'attach', { class: 'icon', id: 'attach' });
  private items: AttachmentView[] = [];
  private readonly local = new Map<string, Local>();
  private waiters: (() => void)[] = [];
  private maxBase64 = DEFAULT_MAX_BASE64;

  constructor(private readonly hooks: AttachmentBarHooks) {
    this.attachButton.addEventListener('click', () => hooks.post({ type: 'pickAttachments' }));
  }

  /** Images and PDFs are waiting (a message may then be sent without text). */
  get hasItems(): boolean {
    return this.items.length > 0 || this.local.size > 0;
  }

  /** Runs `fn` once no pasted or dropped file is still being prepared. */
  whenReady(fn: () => void): void {
    if (this.local.size === 0) fn();
    else this.waiters.push(fn);
  }

  /** The host's list of waiting attachments; `settled` local chips are done (attached or refused). */
  update(m: Extract<HostToWebview, { type: 'attachments' }>): void {
    this.items = m.items;
    if (m.maxBase64) this.maxBase64 = m.maxBase64;
    for (const id of m.settled ?? []) this.local.delete(id);
    this.render();
    this.hooks.changed();
    if (this.local.size === 0) for (const w of this.waiters.splice(0)) w();
  }

  private render(): void {
    const chips = this.items.map((a) =>
      attachmentChip(a, { open: (id) => this.hooks.post({ type: 'openAttachment', id }), remove: (id) => this.hooks.post({ type: 'removeAttachment', id }) }),
    );
    this.root.replaceChildren(...chips, ...[...this.local.values()].map((l) => l.chip));
    this.root.hidden = chips.length === 0 && this.local.size === 0;
  }

  /** Listens for pastes on `composer` and drops anywhere on `area`. */
  listen(composer: HTMLElement, area: HTMLElement): void {
    composer.addEventListener('paste', (e) => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length === 0) return; // plain text pastes as usual
      e.preventDefault();
      void this.addFiles(files);
    });
    const accepts = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].some((t) => t === 'Files' || /uri-list|resourceurls/i.test(t));
    area.addEventListener('dragover', (e) => {
      if (!accepts(e)) return;
      e.preventDefault();
      area.classList.add('drop-target');
    });
    area.addEventListener('dragleave', (e) => {
      if (e.target === area || !area.contains(e.relatedTarget as Node | null)) area.classList.remove('drop-target');
    });
    area.addEventListener('drop', (e) => {
      area.classList.remove('drop-target');
      if (!e.dataTransfer || !accepts(e)) return;
      e.preventDefault();
      const files = [...e.dataTransfer.files];
      if (files.length > 0) return void this.addFiles(files);
      const uris = droppedUris(e.dataTransfer);
      if (uris.length > 0) this.hooks.post({ type: 'attachUris', uris: uris.slice(0, 100) });
    });
  }

  /** Reads, checks and prepares pasted or dropped files, one chip each. */
  async addFiles(files: File[]): Promise<void> {
    await Promise.all(files.map((f) => this.addFile(f)));
  }

  private async addFile(file: File): Promise<void> {
    const name = file.name || `pasted-${new Date().toISOString().replace(/[:.]/g, '-')}.${(file.type.split('/')[1] || 'png').replace('jpeg', 'jpg')}`;
    if (file.size > MAX_FILE_BYTES) return this.hooks.notice(`"${name}" was not attached: it is ${(file.size / 1024 / 1024).toFixed(1)} MB, and attachments can be at most 20 MB.`);
    if (file.size === 0) return this.hooks.notice(`"${name}" was not attached: it is empty.`);
    const kind = sniffHead(new Uint8Array(await file.slice(0, 256).arrayBuffer()));
    if (kind === 'svg') return this.hooks.notice(`"${name}" was not attached: it is an SVG image; ${SUPPORTED}.`);
    if (kind === 'unknown') return this.hooks.notice(`"${name}" was not attached: ${SUPPORTED}, and its content is none of these.`);
    const localId = `l${++nextLocal}`;
    const local: Local = { localId, name, chip: preparingChip(name) };
    this.local.set(localId, local);
    this.render();
    try {
      const m = kind === 'application/pdf' ? { localId, name, data: await blobBase64(file) } : await this.prepareImage(localId, name, file, kind);
      // Removed while it was being prepared (a new chat): nothing to send.
      if (this.local.has(localId)) this.hooks.post({ type: 'attachFile', ...m });
    } catch (e) {
      this.local.delete(localId);
      this.render();
      this.hooks.notice(`"${name}" was not attached: it could not be read as an image (${e instanceof Error ? e.message : String(e)}).`);
      if (this.local.size === 0) for (const w of this.waiters.splice(0)) w();
    }
  }

  private async prepareImage(localId: string, name: string, file: File, type: string): Promise<Omit<Extract<WebviewToHost, { type: 'attachFile' }>, 'type'>> {
    // Decoded once: the thumbnail and the smaller copy are both drawn from this bitmap.
    const bitmap = await createImageBitmap(file);
    const { width, height } = bitmap;
    const thumbnail = thumbnailOf(bitmap);
    const chip = this.local.get(localId)?.chip;
    const img = chip?.querySelector('img');
    if (img) img.src = thumbnail; // the chip shows the picture while the copy to send is made
    const smaller = await downscale(file, bitmap, type, MAX_LONG_EDGE, this.maxBase64).finally(() => bitmap.close());
    if (!smaller) return { localId, name, data: await blobBase64(file), thumbnail };
    const renamed = smaller.mediaType === type ? name : name.replace(/\.[a-z0-9]+$/i, '') + (smaller.mediaType === 'image/png' ? '.png' : '.jpg');
    return { localId, name: renamed, data: await blobBase64(smaller.blob), thumbnail, resizedFrom: { width, height } };
  }

  /** A new conversation: local chips still preparing belong to the old one. */
  reset(): void {
    this.local.clear();
    this.render();
    for (const w of this.waiters.splice(0)) w();
  }
}

function preparingChip(name: string): HTMLElement {
  const thumb = el('img', { class: 'chip-thumb', alt: '' });
  return el('span', { class: 'chip attachment-chip preparing', role: 'listitem', 'aria-busy': 'true', 'aria-label': `${name}, being prepared` },
    el('span', { class: 'chip-open' }, thumb, el('span', { class: 'chip-name' }, name), icon('loading codicon-modifier-spin')));
}

/** URIs of files dragged from VS Code: its own list type has them all (text/uri-list carries only the first). */
export function droppedUris(dt: DataTransfer): string[] {
  const code = dt.getData('application/vnd.code.uri-list');
  if (code) return code.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  const resources = dt.getData('resourceurls');
  if (resources) {
    try {
      const list: unknown = JSON.parse(resources);
      if (Array.isArray(list)) return list.filter((u): u is string => typeof u === 'string');
    } catch {
      // not JSON: fall through
    }
  }
  return dt.getData('text/uri-list').split(/\r?\n/).map((s) => s.trim()).filter((s) => s && !s.startsWith('#'));
}
