// The files of an append log's folder (see appendLog.ts for the layout and how windows share it): what the spec
// of a log says, and how the folder is listed, read, and written to without a lock.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { literal, minValue, number, object, pipe, record, regex, safeInteger, string, type GenericSchema } from 'valibot';
import { code, completeLines, LEGACY, LIVE, PART, PART_KEY, readBuffer, ROLLUP, SEALED, seqOf, SNAPSHOT, TEMP } from './logFiles';
import { parseJson, quarantineName, tempName, writeFileAtomic, writeSynced } from '../atomicFile';

/** A state kept in parts (e.g. one per month), each in its own file. */
export interface LogParts<E, W, S> {
  /** The part each piece of an entry belongs to (keys: letters, digits and '-', they go into file names). */
  split(e: E): Iterable<[string, E]>;
  /** The same for a whole stored state (an older snapshot holding every part in one file); each key once. */
  splitState(s: S): Iterable<[string, S]>;
  /** Adds a stored part to the state a read returns. */
  merge(into: W, s: S): void;
  /** Whether a part is still kept; one that is not is dropped from the rollup without being read. */
  keep?(key: string): boolean;
}

export interface LogSpec<E, W, S> {
  /** Folder under the storage directory. */
  folder: string;
  /** One appended entry (one line). */
  entry: GenericSchema<unknown, E>;
  /** The folded state as stored in a snapshot (or in one part file). */
  state: GenericSchema<unknown, S>;
  /** The folded state while folding (e.g. a Map), and its conversions. */
  empty(): W;
  load(s: S): W;
  save(w: W): S;
  apply(w: W, e: E): void;
  /** Drops what is no longer kept (e.g. rows past retention); run on every read and on each part a compaction writes. */
  prune?(w: W): void;
  /** An old single-file store next to the folder, folded in once. */
  legacy?: { file: string; schema: GenericSchema<unknown, unknown>; entries(v: unknown): E[] };
  parts?: LogParts<E, W, S>;
}

export interface LogOptions {
  /** A short name for messages ("usage history"). */
  label: string;
  /** Each kind of problem is reported once per instance. */
  onProblem?: (kind: 'corrupt' | 'compact', message: string) => void;
  /** Compact when the live log passes this size (bytes). */
  compactBytes?: number;
  /** append() settles once its line is on disk; the compaction runs on: idle(). */
  compactInBackground?: boolean;
  /** How long a sealed file is kept after it was folded, for late appends. */
  graceMs?: number;
  now?: () => number;
}

/** The newest snapshot or rollup: the whole state, or which file holds each part; and the sealed offsets. */
export interface Base<S> {
  seq: number;
  state?: S;
  parts?: Record<string, string>;
  folded: Record<string, number>;
}

export interface Bad {
  file: string;
  lines: string[];
}

const Seq = pipe(number(), safeInteger(), minValue(1));
const Offsets = record(string(), pipe(number(), safeInteger(), minValue(0)));

export class LogFolder<E, W, S> {
  readonly path: string;
  protected readonly live: string;
  private readonly snapshotSchema;
  private readonly rollupSchema = object({ version: literal(2), seq: Seq, parts: record(pipe(string(), regex(PART_KEY)), pipe(string(), regex(PART))), folded: Offsets });
  private readonly partSchema;
  private readonly reported = new Set<string>();

  constructor(protected readonly dir: string, protected readonly spec: LogSpec<E, W, S>, protected readonly opts: LogOptions) {
    this.path = join(dir, spec.folder);
    this.live = join(this.path, LIVE);
    this.snapshotSchema = object({ version: literal(1), seq: Seq, state: spec.state, folded: Offsets });
    this.partSchema = object({ version: literal(2), key: pipe(string(), regex(PART_KEY)), state: spec.state });
  }

  protected now(): number {
    return (this.opts.now ?? Date.now)();
  }

  protected report(kind: 'corrupt' | 'compact', message: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.opts.onProblem?.(kind, message);
  }

  protected async quarantine(file: string, why: string): Promise<void> {
    const movedTo = quarantineName(file);
    try {
      await fs.rename(file, movedTo);
    } catch (e) {
      if (code(e) === 'ENOENT') return; // another window moved it first
      throw e;
    }
    this.report('corrupt', `A ${this.opts.label} file was unreadable (${why}); it was moved to ${movedTo} and the rest was kept.`);
  }

  protected async names(): Promise<string[]> {
    try {
      return (await fs.readdir(this.path)).sort();
    } catch (e) {
      if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return [];
      throw e;
    }
  }

  /**
   * What a read depends on: the names in the folder and whether the old file is still there. Part files are left
   * out: one is read only through the rollup naming it, and one is removed only after a newer rollup appeared.
   */
  protected async signature(names?: string[]): Promise<string> {
    const list = names ?? (await this.names());
    let legacy = '';
    if (this.spec.legacy) legacy = await fs.stat(join(this.dir, this.spec.legacy.file)).then((st) => `${st.mtimeMs}:${st.size}`, () => '-');
    return `${list.filter((n) => !TEMP.test(n) && !PART.test(n)).join('/')}|${legacy}`;
  }

  private parseLines(text: string, onEntry: (e: E) => void, bad: string[]): void {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const r = parseJson(line, this.spec.entry);
      if (r.ok) onEntry(r.value);
      else bad.push(line);
    }
  }

  protected async newestBase(names: string[]): Promise<Base<S>> {
    const newest = (re: RegExp) => names.filter((n) => re.test(n)).sort((a, b) => seqOf(b, re) - seqOf(a, re));
    if (this.spec.parts) {
      for (const name of newest(ROLLUP)) {
        const buf = await readBuffer(join(this.path, name));
        if (!buf) continue; // replaced by a newer one meanwhile; the signature check retries
        const r = parseJson(buf.toString('utf8'), this.rollupSchema);
        if (r.ok && r.value.seq === seqOf(name, ROLLUP)) return { seq: r.value.seq, parts: r.value.parts, folded: r.value.folded };
        await this.quarantine(join(this.path, name), r.ok ? 'its number does not match its name' : r.reason);
      }
    }
    for (const name of newest(SNAPSHOT)) {
      const buf = await readBuffer(join(this.path, name));
      if (!buf) continue;
      const r = parseJson(buf.toString('utf8'), this.snapshotSchema);
      if (r.ok && r.value.seq === seqOf(name)) return { seq: r.value.seq, state: r.value.state as S, folded: r.value.folded };
      await this.quarantine(join(this.path, name), r.ok ? 'its number does not match its name' : r.reason);
    }
    return { seq: 0, folded: {} };
  }

  /** A part named by a rollup; undefined when a newer compaction removed it meanwhile, or it was set aside as bad. */
  protected async readPart(name: string, key: string): Promise<S | undefined> {
    const buf = await readBuffer(join(this.path, name));
    if (!buf) return undefined;
    const r = parseJson(buf.toString('utf8'), this.partSchema);
    if (r.ok && r.value.key === key && PART.exec(name)?.[1] === key) return r.value.state as S;
    await this.quarantine(join(this.path, name), r.ok ? 'its part does not match its name' : r.reason);
    return undefined;
  }

  /** Hands every entry the base does not cover yet to `onEntry`: the old file, the sealed files, the live log. */
  protected async entries(names: string[], base: Base<S>, withLive: boolean, onEntry: (e: E) => void): Promise<{ folded: Record<string, number>; bad: Bad[] }> {
    const folded: Record<string, number> = {};
    const bad: Bad[] = [];
    const legacy = this.spec.legacy;
    const readLegacy = async (file: string): Promise<boolean> => {
      const buf = await readBuffer(file);
      if (!buf) return false;
      const r = parseJson(buf.toString('utf8'), legacy!.schema);
      if (!r.ok) {
        await this.quarantine(file, r.reason);
        return false;
      }
      for (const e of legacy!.entries(r.value)) onEntry(e);
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
      const complete = completeLines(buf, Math.min(from, buf.length));
      let end = complete.end;
      const lines: string[] = [];
      this.parseLines(complete.text, onEntry, lines);
      if (end < buf.length && !withLive && (await this.settled(name))) {
        lines.push(buf.toString('utf8', end)); // a line cut short by a crash: no one will finish it now
        end = buf.length;
      }
      if (lines.length) bad.push({ file: name, lines });
      folded[name] = end;
    }
    if (withLive) {
      const buf = await readBuffer(this.live);
      if (buf) this.parseLines(completeLines(buf, 0).text, onEntry, []); // bad lines are set aside once sealed
    }
    return { folded, bad };
  }

  /** A sealed file no late append can reach any more: sealed, and last written, longer ago than the grace period. */
  protected async settled(name: string): Promise<boolean> {
    const sealedAt = Number(SEALED.exec(name)?.[1]);
    const st = await fs.stat(join(this.path, name)).catch(() => undefined);
    const grace = this.opts.graceMs ?? 10 * 60_000;
    return !!st && this.now() - sealedAt > grace && this.now() - st.mtimeMs > grace;
  }

  protected async setAside(bad: Bad[]): Promise<void> {
    for (const b of bad) {
      const aside = quarantineName(join(this.path, b.file));
      await writeFileAtomic(aside, `${b.lines.join('\n')}\n`);
      this.report('corrupt', `${b.lines.length} unreadable entr${b.lines.length === 1 ? 'y' : 'ies'} in the ${this.opts.label} ${b.lines.length === 1 ? 'was' : 'were'} skipped and kept in ${aside}; the rest was kept.`);
    }
  }

  /**
   * Publishes `value` as `file` unless that name exists already (then false: another window compacted first). Once
   * the name is linked it returns true whatever else fails: what it names must then be kept.
   */
  protected async publish(file: string, value: unknown): Promise<boolean> {
    const tmp = tempName(file);
    let linked = false;
    try {
      await writeSynced(tmp, JSON.stringify(value));
      await fs.link(tmp, file);
      linked = true;
    } catch (e) {
      if (code(e) !== 'EEXIST') throw e;
    } finally {
      await fs.rm(tmp, { force: true }).catch(() => undefined); // a temp file left behind is removed by a later compaction
    }
    return linked;
  }

}
