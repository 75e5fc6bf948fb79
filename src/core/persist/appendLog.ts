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
// A log whose state comes in parts (spec.parts, e.g. usage per month) keeps, instead of snapshot-<seq>.json:
//   part-<key>-<seq>-<rand>.json    one part of the folded state, never changed once written;
//   rollup-<seq>.json               which part file holds each part, plus the sealed offsets; published like a
//                                   snapshot. A compaction rewrites only the parts its new lines touch, so its cost
//                                   follows what changed, not the whole history. Part files are written and
//                                   synced before the rollup naming them; a part file no rollup names (a lost race
//                                   or a crash mid-compaction) is never read and is removed by a later one.
//                                   An older snapshot-<seq>.json is read and split into parts once.
// A read is the newest snapshot (or rollup and its parts), then the sealed files from their offsets, then the live
// log; it is retried when the folder changed meanwhile, so it never counts a line twice or misses one. Bad lines
// and bad files are set aside (`*.corrupt-*`), reported, and the rest loads.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Rerun } from './rerun';
import { code, LEGACY, pad12, PART, PART_KEY, ROLLUP, SEALED, seqOf, SNAPSHOT, stamp, TEMP } from './logFiles';
import { LogFolder, type Bad, type LogParts } from './logFolder';
import { fsyncDir, writeSynced } from '../atomicFile';

export type { LogOptions, LogParts, LogSpec } from './logFolder';

export class AppendLog<E, W, S> extends LogFolder<E, W, S> {
  private compacted = false;
  /** Compactions in the background (compactInBackground), one at a time. */
  private readonly compactor = new Rerun(() => this.compact());

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

  private async scan(withLive: boolean): Promise<{ seq: number; state: W; folded: Record<string, number>; sig: string; bad: Bad[] }> {
    const names = await this.names();
    const sig = await this.signature(names);
    const base = await this.newestBase(names);
    const w = base.state === undefined ? this.spec.empty() : this.spec.load(base.state);
    for (const key of Object.keys(base.parts ?? {}).sort()) {
      const s = await this.readPart(base.parts![key], key);
      if (s !== undefined) this.spec.parts!.merge(w, s);
    }
    const { folded, bad } = await this.entries(names, base, withLive, (e) => this.spec.apply(w, e));
    this.spec.prune?.(w);
    return { seq: base.seq, state: w, folded, sig, bad };
  }

  private async compactOnce(): Promise<void> {
    await fs.mkdir(this.path, { recursive: true });
    const now = this.now();
    const legacy = this.spec.legacy;
    if (legacy) await fs.rename(join(this.dir, legacy.file), join(this.path, `legacy-${stamp(now)}.json`)).catch((e: unknown) => { if (code(e) !== 'ENOENT') throw e; });
    const liveSize = await fs.stat(this.live).then((st) => st.size, () => 0);
    if (liveSize > 0) await fs.rename(this.live, join(this.path, `sealed-${stamp(now)}.jsonl`)).catch((e: unknown) => { if (code(e) !== 'ENOENT') throw e; });
    if (this.spec.parts) return this.compactParts(this.spec.parts, now);

    const s = await this.scan(false);
    await this.setAside(s.bad);
    const seq = s.seq + 1;
    if (!(await this.publish(join(this.path, `snapshot-${pad12(seq)}.json`), { version: 1, seq, state: this.spec.save(s.state), folded: s.folded }))) return;
    await fsyncDir(this.path);
    await this.cleanUp(seq, s.folded, now);
  }

  /** Folds the sealed lines into the parts they touch only; every other part keeps its file. */
  private async compactParts(parts: LogParts<E, W, S>, now: number): Promise<void> {
    const keep = (key: string) => parts.keep?.(key) ?? true;
    const names = await this.names();
    const base = await this.newestBase(names);
    const added = new Map<string, E[]>();
    const { folded, bad } = await this.entries(names, base, false, (e) => {
      for (const [key, piece] of parts.split(e)) {
        if (!PART_KEY.test(key)) throw new Error(`the part key ${JSON.stringify(key)} cannot name a file`);
        if (!keep(key)) continue;
        const list = added.get(key);
        if (list) list.push(piece);
        else added.set(key, [piece]);
      }
    });
    await this.setAside(bad);
    const seq = base.seq + 1;
    const whole = new Map<string, S>(); // an older snapshot, split into parts once
    if (base.state !== undefined) for (const [key, s] of parts.splitState(base.state)) if (keep(key)) whole.set(key, s);
    const next: Record<string, string> = {};
    for (const [key, name] of Object.entries(base.parts ?? {})) if (keep(key)) next[key] = name;
    const written: string[] = [];
    try {
      for (const key of [...new Set([...whole.keys(), ...added.keys()])].sort()) {
        let stored = whole.get(key);
        if (stored === undefined && next[key]) stored = await this.readPart(next[key], key);
        const w = stored === undefined ? this.spec.empty() : this.spec.load(stored);
        for (const e of added.get(key) ?? []) this.spec.apply(w, e);
        this.spec.prune?.(w);
        const name = `part-${key}-${pad12(seq)}-${randomBytes(4).toString('hex')}.json`;
        written.push(name);
        await writeSynced(join(this.path, name), JSON.stringify({ version: 2, key, state: this.spec.save(w) }), 'wx');
        next[key] = name;
      }
      if (written.length) await fsyncDir(this.path); // the parts' names are on disk before a rollup names them
      if (!(await this.publish(join(this.path, `rollup-${pad12(seq)}.json`), { version: 2, seq, parts: next, folded }))) throw new Lost();
    } catch (e) {
      // Not published: no rollup names these files (publish() never throws once it linked the rollup).
      await Promise.all(written.map((n) => fs.rm(join(this.path, n), { force: true })));
      if (e instanceof Lost) return; // another window compacted first; its rollup covers the same lines
      throw e;
    }
    await fsyncDir(this.path);
    await this.cleanUp(seq, folded, now, new Set(Object.values(next)));
  }

  /** Removes what the snapshot or rollup `seq` covers, unless a newer one exists (then its writer cleans up). */
  private async cleanUp(seq: number, folded: Record<string, number>, now: number, kept?: Set<string>): Promise<void> {
    const names = await this.names();
    if (names.some((n) => seqOf(n, kept ? ROLLUP : SNAPSHOT) > seq)) return;
    for (const name of names) {
      const file = join(this.path, name);
      const st = await fs.stat(file).catch(() => undefined);
      if (!st) continue;
      const stale =
        (SNAPSHOT.test(name) && seqOf(name) < seq)
        || (!!kept && ROLLUP.test(name) && seqOf(name, ROLLUP) < seq)
        // Parts of older rollups, of a compaction that lost the race for `seq` or of one cut short by a crash.
        || (!!kept && PART.test(name) && !kept.has(name) && seqOf(name, PART) <= seq)
        || (LEGACY.test(name) && name in folded)
        || (SEALED.test(name) && folded[name] === st.size && (await this.settled(name)))
        || (TEMP.test(name) && now - st.mtimeMs > 60 * 60_000);
      if (stale) await fs.rm(file, { force: true });
    }
  }
}

class Lost extends Error {}
