// Submitted batches not yet reported, in the extension's global storage, so polling resumes after a window
// reload. Every change (add, remove) is appended to one shared append-only log (see persist/appendLog.ts), so
// windows never drop each other's batches; changes from one process are serialized. Entries are validated at
// load; a bad one is set aside and reported, the rest loads. The old single file (pending-batches.json) is
// folded in once and moved away.
import { array, is } from 'valibot';
import { AppendLog } from '../persist/appendLog';
import { PendingBatchSchema, PendingEntrySchema, PendingFileV1Schema, type PendingEntry } from '../persist/schemas';
import type { PendingBatch } from './types';

/** The old single-file store, read once. */
export const PENDING_FILE = 'pending-batches.json';
/** The shared append-only log. */
export const PENDING_DIR = 'pending-batches.d';

export const isPendingBatch = (v: unknown): v is PendingBatch => is(PendingBatchSchema, v);

function apply(all: PendingBatch[], e: PendingEntry): void {
  const id = e.op === 'add' ? e.batch.id : e.id;
  const at = all.findIndex((b) => b.id === id);
  if (at >= 0) all.splice(at, 1);
  if (e.op === 'add') all.push(e.batch);
}

export class PendingStore {
  private readonly log: AppendLog<PendingEntry, PendingBatch[], PendingBatch[]>;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string, onProblem: (message: string) => void = () => {}) {
    this.log = new AppendLog(dir, {
      folder: PENDING_DIR,
      entry: PendingEntrySchema,
      state: array(PendingBatchSchema),
      empty: () => [],
      load: (s) => [...s],
      save: (s) => s,
      apply,
      legacy: { file: PENDING_FILE, schema: PendingFileV1Schema, entries: (v) => (v as { batches: PendingBatch[] }).batches.map((batch) => ({ op: 'add', batch })) },
    }, {
      label: 'pending batches',
      onProblem: (kind, m) => onProblem(kind === 'corrupt' ? `${m} Batches it listed are no longer tracked here; see them in the Anthropic Console.` : m),
    });
  }

  /** Every pending batch (of every workspace), oldest first. */
  list(): Promise<PendingBatch[]> {
    return this.queue(() => this.log.read());
  }

  /** Adds or replaces (by id) a batch. */
  add(b: PendingBatch): Promise<void> {
    return this.queue(() => this.log.append({ op: 'add', batch: b }));
  }

  remove(id: string): Promise<void> {
    return this.queue(() => this.log.append({ op: 'remove', id }));
  }

  private queue<T>(op: () => Promise<T>): Promise<T> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
