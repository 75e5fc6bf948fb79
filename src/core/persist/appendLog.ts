// A store that several windows (processes) write at once without a lock and without losing a write.
//
// Layout of <dir>/<folder>/:
//   live.jsonl                      every window appends here: one entry per line, one write(2) with O_APPEND,
//                                   fsynced. The kernel places each write whole at the end, so appends never
//                                   overwrite or interleave (local file systems; not NFS).
//   sealed-<ms>-<rand>.jsonl        a live log renamed away by a compaction ("sealed"). A window that opened
//                                   live.jsonl just before the rename still appends here, so sealed files are
//                                   read from where the last compaction stopped and kept for a grace period.
//   legacy-<ms>-<rand>.json         an old single-file store (e.g. ../usage.json), claimed by rename.
//   snapshot-<seq>.json             the folded state plus, per sealed file, how many bytes it covers. Published
//                                   with link(2), which fails if the name exists: of two windows compacting
//                                   from the same snapshot only one wins (compare-and-swap); the other's work is
//                                   dropped and nothing is lost.
// A read is the newest snapshot, then the sealed files from their offsets, then the live log; it is retried
// when the folder changed meanwhile, so it never counts a line twice or misses one. Bad lines and bad files are
// set aside (`*.corrupt-*`), reported, and the rest loads.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { literal, minValue, number, object, pipe, record, safeInteger, string, type GenericSchema } from 'valibot';
import { Rerun } from './rerun';
import { fsyncDir, parseJson, quarantineName, tempName, writeFileAtomic, writeSynced } from '../atomicFile';

const LIVE = 'live.jsonl';
const SEALED = /^sealed-(\d{13})-[0-9a-f]{8}\.jsonl$/;
const LEGACY = /^legacy-(\d{13})-[0-9a-f]{8}\.json$/;
const SNAPSHOT = /^snapshot-(\d{12})\.json$/;
const TEMP = /\.tmp$/;

export interface LogSpec<E, W, S> {
  /** Folder under the storage directory. */
  folder: string;
  /** One appended entry (one line). */
  entry: GenericSchema<unknown, E>;
  /** The folded state as stored in a snapshot. */
  state: GenericSchema<unknown, S>;
  /** The folded state while folding (e.g. a Map), and its conversions. */
  empty(): W;
  load(s: S): W;
  save(w: W): S;
  apply(w: W, e: E): void;
  /** Drops what is no longer kept (e.g. rows past retention); run on every read and compaction. */
  prune?(w: W): void;
  /** An old single-file store next to the folder, folded in once. */
  legacy?: { file: string; schema: GenericSchema<unknown, unknown>; entries(v: unknown): E[] };
}

export interface LogOptions {
  /** A short name for messages ("usage history"). */
  label: string;
  /** Each kind of problem is reported once per instance. */
  onProblem?: (kind: 'corrupt' | 'compact', message: string) => void;
  /** Compact when the live log passes this size (bytes). */
  compactBytes?: number;
  /** append() settles once its line is on disk; the compaction (its cost grows with the state) runs on: idle(). */
  compactInBackground?: boolean;
  /** How long a sealed file is kept after it was folded, for late appends. */
  graceMs?: number;
  now?: () => number;
}

interface Scan<W> {
  seq: number;
  state: W;
  folded: Record<string, number>;
  sig: string;
  bad: { file: string; lines: string[] }[];
}

const stamp = (ms: number) => `${String(ms).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
const code = (e: unknown) => (e as NodeJS.ErrnoException).code;
const seqOf = (name: string) => Number(SNAPSHOT.exec(name)?.[1] ?? -1);

async function readBuffer(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return undefined;
    throw e;
  }
}

export class AppendLog<E, W, S> {
  readonly path: string;
  private readonly live: string;
  private readonly snapshotSchema;
  private readonly reported = new Set<string>();
  private compacted = false;
  /** Compactions in the background (compactInBackground), one at a time. */
  private readonly compactor = new Rerun(() => this.compact());

  constructor(private readonly dir: string, private readonly spec: LogSpec<E, W, S>, private readonly opts: LogOptions) {
    this.path = join(dir, spec.folder);
    this.live = join(this.path, LIVE);
    this.snapshotSchema = object({ version: literal(1), seq: pipe(number(), safeInteger(), minValue(1)), state: spec.state, folded: record(string(), pipe(number(), safeInteger(), minValue(0))) });
  }

  /** Appends one entry as one line, flushed to disk; compacts now and then. Rejects when it could not be written. */
  async append(entry: E): Promise<void> {
    await fs.mkdir(this.path, { recursive: true });
    // A line starts with a newline too, so a line cut short by a crash never swallows the next one.
    const buf = Buffer.from(`\n${JSON.stringify(entry)}\n`, 'utf8');
    const fh = await fs.open(this.live, 'a');
    let size: number;
    try {
      const { bytesWritten } = await fh.write(buf, 0, buf.length);
      if (bytesWritten !== buf.length) throw new Error(`only ${bytesWritten} of ${buf.length} bytes were written`);
      // From here on the entry is written: a failure to flush or stat must not make the caller write it again.
      await fh.datasync().catch(() => undefined);
      size = await fh.stat().then((st) => st.size, () => buf.length);
    } finally {
      await fh.close().catch(() => undefined);
    }
    if (size === buf.length) await fsyncDir(this.path).catch(() => undefined); // a new live log: make its name durable too
    if (this.compacted && size <= (this.opts.compactBytes ?? 64 * 1024)) return;
    if (!this.opts.compactInBackground) return this.compact();
    this.compacted = true;
    this.compactor.ask();
  }

  /** Settles when no compaction started by append() is running any more (never rejects). */
  idle(): Promise<void> {
    return this.compactor.idle();
  }

  /** The folded state of everything written so far, by every window. */
  async read(): Promise<W> {
    let s = await this.scan(true);
    for (let i = 0; i < 5 && (await this.signature()) !== s.sig; i++) s = await this.scan(true);
    return s.state;
  }

  /** Folds the sealed logs into a new snapshot and removes what it covers. Never throws; problems are reported. */
  async compact(): Promise<void> {
    this.compacted = true;
    try {
      await this.compactOnce();
    } catch (e) {
      this.report('compact', `Could not tidy the ${this.opts.label} in ${this.path}: ${(e as Error).message}. Nothing was lost; it is tried again later.`);
    }
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private report(kind: 'corrupt' | 'compact', message: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.opts.onProblem?.(kind, message);
  }

  private async quarantine(file: string, why: string): Promise<void> {
    const movedTo = quarantineName(file);
    try {
      await fs.rename(file, movedTo);
    } catch (e) {
      if (code(e) === 'ENOENT') return; // another window moved it first
      throw e;
    }
    this.report('corrupt', `A ${this.opts.label} file was unreadable (${why}); it was moved to ${movedTo} and the rest was kept.`);
  }

  private async names(): Promise<string[]> {
    try {
      return (await fs.readdir(this.path)).sort();
    } catch (e) {
      if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return [];
      throw e;
    }
  }

  /** What a read depends on: the names in the folder and whether the old file is still there. */
  private async signature(names?: string[]): Promise<string> {
    const list = names ?? (await this.names());
    let legacy = '';
    if (this.spec.legacy) legacy = await fs.stat(join(this.dir, this.spec.legacy.file)).then((st) => `${st.mtimeMs}:${st.size}`, () => '-');
    return `${list.filter((n) => !TEMP.test(n)).join('/')}|${legacy}`;
  }

  private parseLines(text: string, w: W, bad: string[]): void {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const r = parseJson(line, this.spec.entry);
      if (r.ok) this.spec.apply(w, r.value);
      else bad.push(line);
    }
  }

  /** Complete lines of `buf` after byte `from`: their text and where they end. */
  private static completeLines(buf: Buffer, from: number): { text: string; end: number } {
    const last = buf.lastIndexOf(0x0a);
    if (last < from) return { text: '', end: from };
    return { text: buf.toString('utf8', from, last + 1), end: last + 1 };
  }

  private async newestSnapshot(names: string[]): Promise<{ seq: number; state: W; folded: Record<string, number> }> {
    for (const name of names.filter((n) => SNAPSHOT.test(n)).sort((a, b) => seqOf(b) - seqOf(a))) {
      const buf = await readBuffer(join(this.path, name));
      if (!buf) continue; // replaced by a newer one meanwhile; the signature check retries
      const r = parseJson(buf.toString('utf8'), this.snapshotSchema);
      if (r.ok && r.value.seq === seqOf(name)) return { seq: r.value.seq, state: this.spec.load(r.value.state as S), folded: r.value.folded };
      await this.quarantine(join(this.path, name), r.ok ? 'its number does not match its name' : r.reason);
    }
    return { seq: 0, state: this.spec.empty(), folded: {} };
  }

  private async scan(withLive: boolean): Promise<Scan<W>> {
    const names = await this.names();
    const sig = await this.signature(names);
    const base = await this.newestSnapshot(names);
    const w = base.state;
    const folded: Record<string, number> = {};
    const bad: Scan<W>['bad'] = [];
    const legacy = this.spec.legacy;
    const readLegacy = async (file: string): Promise<boolean> => {
      const buf = await readBuffer(file);
      if (!buf) return false;
      const r = parseJson(buf.toString('utf8'), legacy!.schema);
      if (!r.ok) {
        await this.quarantine(file, r.reason);
        return false;
      }
      for (const e of legacy!.entries(r.value)) this.spec.apply(w, e);
      return true;
    };
    if (legacy) await readLegacy(join(this.dir, legacy.file));
    for (const name of names.filter((n) => LEGACY.test(n))) {
      if (name in base.folded) folded[name] = base.folded[name];
      else if (await readLegacy(join(this.path, name))) folded[name] = 1;
    }
    for (const name of names.filter((n) => SEALED.test(n))) {
      const from = base.folded[name] ?? 0;
      const buf = await readBuffer(join(this.path, name));
      if (!buf) continue;
      const complete = AppendLog.completeLines(buf, Math.min(from, buf.length));
      const text = complete.text;
      let end = complete.end;
      const lines: string[] = [];
      this.parseLines(text, w, lines);
      if (end < buf.length && !withLive && (await this.settled(name))) {
        lines.push(buf.toString('utf8', end)); // a line cut short by a crash: no one will finish it now
        end = buf.length;
      }
      if (lines.length) bad.push({ file: name, lines });
      folded[name] = end;
    }
    if (withLive) {
      const buf = await readBuffer(this.live);
      if (buf) this.parseLines(AppendLog.completeLines(buf, 0).text, w, []); // bad lines are set aside once sealed
    }
    this.spec.prune?.(w);
    return { seq: base.seq, state: w, folded, sig, bad };
  }

  /** A sealed file no late append can reach any more: sealed, and last written, longer ago than the grace period. */
  private async settled(name: string): Promise<boolean> {
    const sealedAt = Number(SEALED.exec(name)?.[1]);
    const st = await fs.stat(join(this.path, name)).catch(() => undefined);
    const grace = this.opts.graceMs ?? 10 * 60_000;
    return !!st && this.now() - sealedAt > grace && this.now() - st.mtimeMs > grace;
  }

  private async compactOnce(): Promise<void> {
    await fs.mkdir(this.path, { recursive: true });
    const now = this.now();
    const legacy = this.spec.legacy;
    if (legacy) await fs.rename(join(this.dir, legacy.file), join(this.path, `legacy-${stamp(now)}.json`)).catch((e: unknown) => { if (code(e) !== 'ENOENT') throw e; });
    const liveSize = await fs.stat(this.live).then((st) => st.size, () => 0);
    if (liveSize > 0) await fs.rename(this.live, join(this.path, `sealed-${stamp(now)}.jsonl`)).catch((e: unknown) => { if (code(e) !== 'ENOENT') throw e; });

    const s = await this.scan(false);
    for (const b of s.bad) {
      const aside = quarantineName(join(this.path, b.file));
      await writeFileAtomic(aside, `${b.lines.join('\n')}\n`);
      this.report('corrupt', `${b.lines.length} unreadable entr${b.lines.length === 1 ? 'y' : 'ies'} in the ${this.opts.label} ${b.lines.length === 1 ? 'was' : 'were'} skipped and kept in ${aside}; the rest was kept.`);
    }
    const seq = s.seq + 1;
    const snapshot = join(this.path, `snapshot-${String(seq).padStart(12, '0')}.json`);
    const tmp = tempName(snapshot);
    try {
      await writeSynced(tmp, JSON.stringify({ version: 1, seq, state: this.spec.save(s.state), folded: s.folded }));
      await fs.link(tmp, snapshot);
    } catch (e) {
      if (code(e) === 'EEXIST') return; // another window compacted first; its snapshot covers the same files
      throw e;
    } finally {
      await fs.rm(tmp, { force: true });
    }
    await fsyncDir(this.path);
    await this.cleanUp(seq, s.folded, now);
  }

  /** Removes what the snapshot `seq` covers, unless a newer snapshot exists (then that one's writer cleans up). */
  private async cleanUp(seq: number, folded: Record<string, number>, now: number): Promise<void> {
    const names = await this.names();
    if (names.some((n) => seqOf(n) > seq)) return;
    for (const name of names) {
      const file = join(this.path, name);
      const st = await fs.stat(file).catch(() => undefined);
      if (!st) continue;
      const stale =
        (SNAPSHOT.test(name) && seqOf(name) < seq)
        || (LEGACY.test(name) && name in folded)
        || (SEALED.test(name) && folded[name] === st.size && (await this.settled(name)))
        || (TEMP.test(name) && now - st.mtimeMs > 60 * 60_000);
      if (stale) await fs.rm(file, { force: true });
    }
  }
}
