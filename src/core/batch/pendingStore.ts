// Submitted batches not yet reported, in one JSON file in the extension's global storage, so polling resumes
// after a window reload. Every change re-reads the file and writes it atomically (temp file + rename), so two
// windows do not drop each other's batches; changes from one process are serialized. A file that does not
// parse is moved aside (never deleted) and reported.
import { join } from 'node:path';
import { readJsonOrQuarantine, writeJsonAtomic } from '../atomicFile';
import type { BatchFileRef, PendingBatch } from './types';

export const PENDING_FILE = 'pending-batches.json';

interface FileShape {
  version: 1;
  batches: PendingBatch[];
}

const isStr = (v: unknown): v is string => typeof v === 'string';

function isRef(v: unknown): v is BatchFileRef {
  return typeof v === 'object' && v !== null && isStr((v as BatchFileRef).label) && isStr((v as BatchFileRef).uri);
}

export function isPendingBatch(v: unknown): v is PendingBatch {
  if (typeof v !== 'object' || v === null) return false;
  const b = v as Record<string, unknown>;
  return isStr(b.id) && b.id.length > 0 && Number.isFinite(b.created) && isStr(b.model) && isStr(b.instruction)
    && Number.isInteger(b.maxTokens) && isStr(b.baseURL) && isStr(b.workspace)
    && typeof b.files === 'object' && b.files !== null && !Array.isArray(b.files) && Object.values(b.files).every(isRef);
}

function isFileShape(v: unknown): v is FileShape {
  const f = v as Partial<FileShape> | null;
  return typeof f === 'object' && f !== null && f.version === 1 && Array.isArray(f.batches) && f.batches.every(isPendingBatch);
}

export class PendingStore {
  readonly file: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string, private readonly onProblem: (message: string) => void = () => {}) {
    this.file = join(dir, PENDING_FILE);
  }

  /** Every pending batch (of every workspace), oldest first. */
  list(): Promise<PendingBatch[]> {
    return this.queue(() => this.read());
  }

  /** Adds or replaces (by id) a batch. */
  add(b: PendingBatch): Promise<void> {
    return this.update((all) => [...all.filter((x) => x.id !== b.id), b]);
  }

  remove(id: string): Promise<void> {
    return this.update((all) => all.filter((x) => x.id !== id));
  }

  private update(change: (all: PendingBatch[]) => PendingBatch[]): Promise<void> {
    return this.queue(async () => {
      const batches = change(await this.read());
      await writeJsonAtomic(this.file, { version: 1, batches } satisfies FileShape);
    });
  }

  private queue<T>(op: () => Promise<T>): Promise<T> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<PendingBatch[]> {
    const r = await readJsonOrQuarantine(this.file, isFileShape);
    if (r.kind === 'ok') return r.value.batches;
    if (r.kind === 'corrupt') this.onProblem(`The pending batches file was unreadable (${r.reason}); it was moved to ${r.movedTo}. Batches submitted before are no longer tracked here; see them in the Anthropic Console.`);
    return [];
  }
}
