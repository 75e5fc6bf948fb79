// Conversations on disk: one JSON file each (conversations/<id>.json), written atomically after every turn.
// The files are the truth. index.json only caches their summaries (with each file's mtime and size) and the id
// of the open conversation; every listing reconciles it with the folder, so a conversation another window
// wrote shows up, a deleted one disappears, and no window's save can drop another's entries. Two windows that
// edit the same conversation: the last save wins for that file (a warning is logged); the list keeps it.
// Every file is validated with its schema at load; a bad one is moved aside with one notice per pass, and the
// rest loads. Ids are checked before they become paths.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { check, pipe, safeParse, summarize as describeIssues } from 'valibot';
import { readJsonOrQuarantine, writeJsonAtomic } from './atomicFile';
import type { Conversation } from './conversation';
import { ConversationSchema, IndexSchema, isSafeId, type IndexFile } from './persist/schemas';
import type { Logger } from './ports';
import type { ConversationSummary } from '../shared/protocol';

interface Entry {
  summary: ConversationSummary;
  /** The file's inode, mtime and size when `summary` was taken (every atomic write makes a new inode). */
  stamp?: Stamp;
}

type Stamp = { mtimeMs: number; size: number; ino?: number };
const stampOf = (st: { mtimeMs: number; size: number; ino: number }): Stamp => ({ mtimeMs: st.mtimeMs, size: st.size, ino: st.ino });
const sameStamp = (a: Stamp | undefined, b: Stamp) => !!a && a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;

const KEEP = Symbol('keep the open id on disk');
/** A folder stamp is trusted when the folder last changed longer ago than this. */
const STAMP_SETTLED_MS = 2000;

export function summarize(c: Conversation): ConversationSummary {
  const s: ConversationSummary = { id: c.id, title: c.title || 'New chat', updatedAt: c.updatedAt, turnCount: c.turns.length };
  if (c.model !== undefined) s.model = c.model;
  return s;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

export class ConversationStore {
  private cache: Map<string, Entry> | undefined;
  /** The conversations folder's stamp when `cache` was last brought in line with it (see reconcile). */
  private folderStamp: string | undefined;
  private open: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Saves queued and not started yet, per conversation id. */
  private readonly waitingSaves = new Map<string, { conv: Conversation; open: boolean; done: Promise<void> }>();

  constructor(private readonly dir: string, private readonly logger: Logger, private readonly onCorrupt: (message: string) => void = () => {}) {}

  private get folder(): string {
    return join(this.dir, 'conversations');
  }

  private get indexFile(): string {
    return join(this.dir, 'index.json');
  }

  /** The file of a conversation. An id that is not a plain store id never becomes a path. */
  private file(id: string): string {
    if (!isSafeId(id)) throw new Error(`invalid conversation id: ${JSON.stringify(String(id)).slice(0, 80)}`);
    return join(this.folder, `${id}.json`);
  }

  /** Serializes this window's operations so two never interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** One notice for everything set aside in one pass; each file is logged. */
  private notify(bad: string[]): void {
    if (bad.length === 0) return;
    for (const b of bad) this.logger.warn(`A saved conversation file could not be read: ${b}`);
    this.onCorrupt(bad.length === 1
      ? `A saved conversation file could not be read (${bad[0]}).`
      : `${bad.length} saved conversation files could not be read and were moved aside; the others loaded. See the "Claude API Chat" output for details.`);
  }

  /** Reads and validates one conversation; a bad file is moved aside and noted in `bad`. */
  private async read(id: string, bad: string[]): Promise<Conversation | undefined> {
    const file = this.file(id);
    const schema = pipe(ConversationSchema, check((c) => c.id === id, 'its id does not match its file name'));
    const r = await readJsonOrQuarantine(file, schema);
    if (r.kind === 'ok') return r.value;
    if (r.kind === 'corrupt') bad.push(`${id}.json: ${r.reason}; it was moved to ${r.movedTo}`);
    return undefined;
  }

  /** Brings the cached summaries in line with the files on disk. Call inside `serial`. */
  private async reconcile(): Promise<Map<string, Entry>> {
    const bad: string[] = [];
    let cache = this.cache;
    if (!cache) {
      const r = await readJsonOrQuarantine(this.indexFile, IndexSchema);
      if (r.kind === 'corrupt') bad.push(`index.json: ${r.reason}; it was moved to ${r.movedTo} and rebuilt from the conversation files`);
      const index = r.kind === 'ok' ? r.value : undefined;
      this.open = index?.openId;
      cache = new Map((index?.items ?? []).map(({ stamp, ...summary }) => [summary.id, { summary, stamp }]));
    }
    // Every save (ours or another window's) creates a temp file in the folder and renames it into place, so a folder
    // whose stamp has not moved holds the same files: no stat of each of them (1,000 per listing) is needed.
    const folderSt = await fs.stat(this.folder).catch(() => undefined);
    const folderStamp = folderSt ? `${folderSt.ino}:${folderSt.mtimeMs}:${folderSt.ctimeMs}` : undefined;
    if (this.cache && folderStamp !== undefined && folderStamp === this.folderStamp) return this.cache;
    let names: string[] = [];
    try {
      names = await fs.readdir(this.folder);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter(isSafeId);
    const next = new Map<string, Entry>();
    const old = cache;
    await eachLimited(ids, 8, async (id) => {
      const st = await fs.stat(this.file(id)).catch(() => undefined);
      if (!st?.isFile()) return;
      const have = old.get(id);
      if (have && sameStamp(have.stamp, stampOf(st))) {
        next.set(id, have);
        return;
      }
      const c = await this.read(id, bad);
      if (c) next.set(id, { summary: summarize(c), stamp: stampOf(st) });
    });
    const changed = next.size !== old.size || [...next].some(([id, e]) => old.get(id) !== e);
    this.cache = next;
    // Trusted only once the folder's last change is older than any clock granularity: a change in the same tick as
    // the stamp would not move it.
    this.folderStamp = folderSt && Date.now() - Math.max(folderSt.mtimeMs, folderSt.ctimeMs) > STAMP_SETTLED_MS ? folderStamp : undefined;
    this.notify(bad);
    if (changed) await this.writeIndex(KEEP).catch((e: unknown) => this.logger.warn(`could not update the conversation index: ${String(e)}`));
    return next;
  }

  /**
   * Writes the cache. `KEEP` leaves the open id as it is on disk (another window may have set it); `{ clear }`
   * does too, unless it is that id.
   */
  private async writeIndex(openId: string | undefined | typeof KEEP | { clear: string }): Promise<void> {
    if (openId === KEEP || typeof openId === 'object') {
      const r = await readJsonOrQuarantine(this.indexFile, IndexSchema);
      if (r.kind === 'ok') this.open = r.value.openId;
      if (r.kind === 'corrupt') this.notify([`index.json: ${r.reason}; it was moved to ${r.movedTo} and rewritten`]);
      if (typeof openId === 'object' && this.open === openId.clear) this.open = undefined;
    } else this.open = openId;
    const items = [...(this.cache ?? new Map<string, Entry>()).values()].map((e) => ({ ...e.summary, stamp: e.stamp }));
    const index: IndexFile = { version: 1, items };
    if (this.open !== undefined) index.openId = this.open;
    await writeJsonAtomic(this.indexFile, index);
  }

  async list(): Promise<ConversationSummary[]> {
    const cache = await this.serial(() => this.reconcile());
    return [...cache.values()].map((e) => ({ ...e.summary })).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** The conversation that was open last, if its file is still there and readable. */
  async openId(): Promise<string | undefined> {
    return this.serial(async () => {
      const cache = await this.reconcile();
      return this.open !== undefined && cache.has(this.open) ? this.open : undefined;
    });
  }

  async load(id: string): Promise<Conversation | undefined> {
    const bad: string[] = [];
    const c = await this.read(id, bad);
    this.notify(bad);
    return c;
  }

  /** Writes one conversation file and records its summary. */
  private async writeConversation(c: Conversation): Promise<void> {
    const file = this.file(c.id);
    const valid = safeParse(ConversationSchema, c);
    // What is written is what the schema accepts, so the next load never refuses it.
    if (!valid.success) throw new Error(`the conversation has unexpected content (${describeIssues(valid.issues).split('\n')[0]}); it was not saved`);
    const before = await fs.stat(file).catch(() => undefined);
    const have = this.cache?.get(c.id)?.stamp;
    if (before && have && !sameStamp(have, stampOf(before))) {
      this.logger.warn(`conversation ${c.id} was changed by another window; this window's copy replaces it (last save wins)`);
    }
    await writeJsonAtomic(file, valid.output);
    const st = await fs.stat(file);
    this.cache?.set(c.id, { summary: summarize(c), stamp: stampOf(st) });
  }

  /**
   * Saves the conversation (empty ones are not kept) and marks it as the open one. A save still waiting in the queue
   * is not queued again: it writes the newest state when its turn comes (one copy, taken then). Each save used to
   * hold its own deep copy while it waited, so saves behind a slow disk grew with turns × conversation size.
   */
  save(c: Conversation, open = true): Promise<void> {
    const waiting = this.waitingSaves.get(c.id);
    if (waiting) {
      waiting.conv = c;
      waiting.open = open;
      return waiting.done;
    }
    const entry = { conv: c, open, done: Promise.resolve() };
    this.waitingSaves.set(c.id, entry);
    entry.done = this.serial(async () => {
      this.waitingSaves.delete(c.id);
      const snapshot = JSON.parse(JSON.stringify(entry.conv)) as Conversation;
      if (!this.cache) await this.reconcile();
      if (snapshot.turns.length > 0) await this.writeConversation(snapshot);
      await this.writeIndex(entry.open ? snapshot.id : KEEP);
    });
    return entry.done;
  }

  async setOpen(id: string | undefined): Promise<void> {
    if (id !== undefined) this.file(id);
    return this.serial(async () => {
      if (!this.cache) await this.reconcile();
      await this.writeIndex(id);
    });
  }

  async rename(id: string, title: string): Promise<void> {
    this.file(id);
    return this.serial(async () => {
      if (!this.cache) await this.reconcile();
      const c = await this.load(id);
      if (!c) return;
      c.title = title.trim().slice(0, 200) || c.title;
      await this.writeConversation(c);
      await this.writeIndex(KEEP);
    });
  }

  /** Deletes and returns the conversation, so the caller can offer Undo (save it again). */
  async delete(id: string): Promise<Conversation | undefined> {
    const file = this.file(id);
    return this.serial(async () => {
      if (!this.cache) await this.reconcile();
      const c = await this.load(id);
      await fs.rm(file, { force: true });
      this.cache?.delete(id);
      await this.writeIndex({ clear: id });
      return c;
    });
  }
}
