// Conversations on disk: one JSON file each plus an index, written atomically after every turn.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { readJsonOrQuarantine, writeJsonAtomic } from './atomicFile';
import type { Conversation } from './conversation';
import type { Logger } from './ports';
import type { ConversationSummary } from '../shared/protocol';

interface Index {
  version: 1;
  openId?: string;
  items: ConversationSummary[];
}

const isIndex = (v: unknown): v is Index => !!v && typeof v === 'object' && (v as Index).version === 1 && Array.isArray((v as Index).items);
const isConversation = (v: unknown): v is Conversation =>
  !!v && typeof v === 'object' && typeof (v as Conversation).id === 'string' && Array.isArray((v as Conversation).turns);

const SAFE_ID = /^[a-zA-Z0-9_-]{1,64}$/;

export function summarize(c: Conversation): ConversationSummary {
  return { id: c.id, title: c.title || 'New chat', updatedAt: c.updatedAt, turnCount: c.turns.length, model: c.model };
}

export class ConversationStore {
  private index: Index | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly reported = new Set<string>();

  constructor(private readonly dir: string, private readonly logger: Logger, private readonly onCorrupt: (message: string) => void = () => {}) {}

  private file(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`invalid conversation id: ${id}`);
    return join(this.dir, 'conversations', `${id}.json`);
  }

  /** Serializes writes so two saves never interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private report(file: string, movedTo: string, reason: string): void {
    const msg = `A saved conversation file could not be read (${reason}); it was moved to ${movedTo}.`;
    this.logger.warn(msg);
    if (!this.reported.has(file)) {
      this.reported.add(file);
      this.onCorrupt(msg);
    }
  }

  private async loadIndex(): Promise<Index> {
    if (this.index) return this.index;
    const file = join(this.dir, 'index.json');
    const r = await readJsonOrQuarantine(file, isIndex);
    if (r.kind === 'ok') this.index = r.value;
    else {
      if (r.kind === 'corrupt') this.report(file, r.movedTo, r.reason);
      this.index = await this.rebuildIndex();
    }
    return this.index;
  }

  /** Rebuilds the index from the conversation files (after a missing or corrupt index). */
  private async rebuildIndex(): Promise<Index> {
    const items: ConversationSummary[] = [];
    let names: string[] = [];
    try {
      names = await fs.readdir(join(this.dir, 'conversations'));
    } catch {
      /* no conversations yet */
    }
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      const c = await this.load(n.slice(0, -5));
      if (c) items.push(summarize(c));
    }
    return { version: 1, items: items.sort((a, b) => b.updatedAt - a.updatedAt) };
  }

  async list(): Promise<ConversationSummary[]> {
    return [...(await this.loadIndex()).items].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async openId(): Promise<string | undefined> {
    return (await this.loadIndex()).openId;
  }

  async load(id: string): Promise<Conversation | undefined> {
    const file = this.file(id);
    const r = await readJsonOrQuarantine(file, isConversation);
    if (r.kind === 'ok') return r.value;
    if (r.kind === 'corrupt') this.report(file, r.movedTo, r.reason);
    return undefined;
  }

  /** Saves the conversation (empty ones are not kept) and marks it as the open one. */
  save(c: Conversation, open = true): Promise<void> {
    const snapshot = JSON.parse(JSON.stringify(c)) as Conversation;
    return this.serial(async () => {
      const index = await this.loadIndex();
      if (snapshot.turns.length > 0) {
        await writeJsonAtomic(this.file(snapshot.id), snapshot);
        index.items = [summarize(snapshot), ...index.items.filter((i) => i.id !== snapshot.id)];
      }
      if (open) index.openId = snapshot.id;
      await writeJsonAtomic(join(this.dir, 'index.json'), index);
    });
  }

  setOpen(id: string | undefined): Promise<void> {
    return this.serial(async () => {
      const index = await this.loadIndex();
      index.openId = id;
      await writeJsonAtomic(join(this.dir, 'index.json'), index);
    });
  }

  rename(id: string, title: string): Promise<void> {
    return this.serial(async () => {
      const c = await this.load(id);
      if (!c) return;
      c.title = title.trim().slice(0, 200) || c.title;
      await writeJsonAtomic(this.file(id), c);
      const index = await this.loadIndex();
      index.items = index.items.map((i) => (i.id === id ? { ...i, title: c.title } : i));
      await writeJsonAtomic(join(this.dir, 'index.json'), index);
    });
  }

  /** Deletes and returns the conversation, so the caller can offer Undo (save it again). */
  delete(id: string): Promise<Conversation | undefined> {
    return this.serial(async () => {
      const c = await this.load(id);
      await fs.rm(this.file(id), { force: true });
      const index = await this.loadIndex();
      index.items = index.items.filter((i) => i.id !== id);
      if (index.openId === id) index.openId = undefined;
      await writeJsonAtomic(join(this.dir, 'index.json'), index);
      return c;
    });
  }
}
