// The bytes of attached images and PDFs on disk, stored once per conversation and named by their content:
// <dir>/<conversation id>/<sha256>.<ext>. A conversation file (conversationStore.ts) keeps only the hash, so a save
// never re-encodes an image. Ids and hashes are checked here before they become paths (a conversation file is
// input), and every read is checked against its hash. Writes are atomic (temp file + rename) and idempotent.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { AttachmentMediaType } from '../../shared/attachments';
import { isSafeId } from '../persist/schemas';
import { EXTENSIONS } from './types';

export const HASH = /^[0-9a-f]{64}$/;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class AttachmentStoreError extends Error {}

export class AttachmentStore {
  constructor(readonly dir: string) {}

  private folder(conversationId: string): string {
    if (!isSafeId(conversationId)) throw new AttachmentStoreError(`invalid conversation id: ${JSON.stringify(String(conversationId)).slice(0, 80)}`);
    return join(this.dir, conversationId);
  }

  /** The file holding `hash` in `conversationId` (for opening it in an editor or linking it from an export). */
  path(conversationId: string, hash: string, mediaType: AttachmentMediaType): string {
    if (!HASH.test(hash)) throw new AttachmentStoreError('invalid attachment hash');
    const ext = EXTENSIONS[mediaType];
    if (!ext) throw new AttachmentStoreError('invalid attachment media type');
    return join(this.folder(conversationId), `${hash}.${ext}`);
  }

  /** Stores `bytes` (once: an existing copy is kept) and returns their hash. */
  async put(conversationId: string, bytes: Uint8Array, mediaType: AttachmentMediaType): Promise<string> {
    const hash = sha256(bytes);
    const file = this.path(conversationId, hash, mediaType);
    const st = await fs.stat(file).catch(() => undefined);
    if (st?.isFile() && st.size === bytes.byteLength) return hash;
    await fs.mkdir(this.folder(conversationId), { recursive: true });
    const tmp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    return hash;
  }

  /** The stored bytes, or undefined when they are missing or do not match their hash (damaged, or replaced). */
  async get(conversationId: string, hash: string, mediaType: AttachmentMediaType): Promise<Buffer | undefined> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.path(conversationId, hash, mediaType));
    } catch (e) {
      if (e instanceof AttachmentStoreError) throw e;
      return undefined;
    }
    return sha256(bytes) === hash ? bytes : undefined;
  }

  /** Removes stored files of `conversationId` that `keep` (hashes) does not name. */
  async prune(conversationId: string, keep: ReadonlySet<string>): Promise<number> {
    const folder = this.folder(conversationId);
    let names: string[];
    try {
      names = await fs.readdir(folder);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const n of names) {
      const hash = n.split('.')[0];
      if (HASH.test(hash) && keep.has(hash) && !n.endsWith('.tmp')) continue;
      await fs.rm(join(folder, n), { force: true });
      removed++;
    }
    return removed;
  }

  /** Deletes every stored file of the conversation. */
  async removeConversation(conversationId: string): Promise<void> {
    await fs.rm(this.folder(conversationId), { recursive: true, force: true });
  }

  /**
   * Removes the folders of conversations that no longer exist (`exists` says no) and were last touched more than
   * `graceMs` ago: what a deletion left when the window closed before its Undo was dismissed, or a new chat that
   * had attachments but was never sent. The grace keeps a new chat's files that another window is still using.
   */
  async sweep(exists: (conversationId: string) => boolean, now: number, graceMs: number): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const n of names) {
      if (!isSafeId(n) || exists(n)) continue;
      const st = await fs.stat(join(this.dir, n)).catch(() => undefined);
      if (!st?.isDirectory() || now - st.mtimeMs < graceMs) continue;
      await fs.rm(join(this.dir, n), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }
}
