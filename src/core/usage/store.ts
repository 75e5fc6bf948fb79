// Usage kept across reloads: token counts per local day, workspace, model and batch/standard, in one JSON file
// in a directory the host gives (the extension's global storage). Tokens, not dollars, are stored, so a price
// change re-prices history. Writes are atomic (temp file + rename) and merge into what is on disk, so two
// windows sharing the file do not drop each other's counts. A corrupt file is moved aside and reported once.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { UsageRecord } from '../../shared/usage';
import type { Tokens } from './cost';

export interface UsageRow extends Tokens {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  workspace: string;
  model: string;
  batch: boolean;
  requests: number;
}

interface FileShape {
  version: 1;
  rows: UsageRow[];
}

export interface UsageStoreOptions {
  /** Called once per kind of problem (corrupt file, failed write). */
  onProblem?: (message: string) => void;
  /** Rows older than this many days are dropped on write (default 400). */
  retainDays?: number;
  now?: () => number;
}

export const USAGE_FILE = 'usage.json';
const COUNT_FIELDS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWrite5mTokens', 'cacheWrite1hTokens', 'requests'] as const;

export function localDay(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

const keyOf = (r: Pick<UsageRow, 'day' | 'workspace' | 'model' | 'batch'>) => JSON.stringify([r.day, r.workspace, r.model, r.batch]);

function addInto(map: Map<string, UsageRow>, row: UsageRow): void {
  const k = keyOf(row);
  const have = map.get(k);
  if (!have) map.set(k, { ...row });
  else for (const f of COUNT_FIELDS) have[f] += row[f];
}

function isRow(v: unknown): v is UsageRow {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r.day) && typeof r.workspace === 'string' && typeof r.model === 'string'
    && typeof r.batch === 'boolean' && COUNT_FIELDS.every((f) => Number.isSafeInteger(r[f]) && (r[f] as number) >= 0);
}

export class UsageStore {
  readonly file: string;
  private pending = new Map<string, UsageRow>();
  private chain: Promise<void> = Promise.resolve();
  private readonly reported = new Set<string>();
  private readonly now: () => number;

  constructor(readonly dir: string, private readonly opts: UsageStoreOptions = {}) {
    this.file = join(dir, USAGE_FILE);
    this.now = opts.now ?? Date.now;
  }

  /** Counts one response and writes it out; the promise settles when it is on disk (never rejects). */
  add(r: UsageRecord, workspace: string): Promise<void> {
    addInto(this.pending, {
      day: localDay(r.at), workspace, model: r.model, batch: r.batch, requests: 1,
      inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheReadTokens: r.cacheReadTokens,
      cacheWrite5mTokens: r.cacheWrite5mTokens, cacheWrite1hTokens: r.cacheWrite1hTokens,
    });
    return this.flush();
  }

  /** Waits until everything added so far is written (or has failed to be, and was reported). */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.writePending());
    return this.chain;
  }

  /** Everything stored, plus anything not yet written. */
  async rows(): Promise<UsageRow[]> {
    await this.chain;
    const map = new Map<string, UsageRow>();
    try {
      for (const r of await this.read()) addInto(map, r);
    } catch (e) {
      this.report('read', `Could not read usage from ${this.file}: ${(e as Error).message}`);
    }
    for (const r of this.pending.values()) addInto(map, r);
    return [...map.values()];
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      const map = new Map<string, UsageRow>();
      for (const r of await this.read()) addInto(map, r);
      for (const r of batch.values()) addInto(map, r);
      const oldest = localDay(this.now() - (this.opts.retainDays ?? 400) * 86_400_000);
      const rows = [...map.values()].filter((r) => r.day >= oldest).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
      await this.writeAtomic({ version: 1, rows });
    } catch (e) {
      for (const r of batch.values()) addInto(this.pending, r); // keep them for the next write
      this.report('write', `Could not save usage to ${this.file}: ${(e as Error).message}`);
    }
  }

  private async read(): Promise<UsageRow[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw e;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    const shape = data as Partial<FileShape> | undefined;
    if (shape && shape.version === 1 && Array.isArray(shape.rows) && shape.rows.every(isRow)) return shape.rows;
    const aside = `${this.file}.corrupt-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
    await fs.rename(this.file, aside);
    this.report('corrupt', `The usage history file was unreadable; it was moved to ${aside} and a new one started.`);
    return [];
  }

  private async writeAtomic(data: FileShape): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.writeFile(tmp, JSON.stringify(data), 'utf8');
      await fs.rename(tmp, this.file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }

  private report(kind: string, message: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.opts.onProblem?.(message);
  }
}
