// Submitted batches not yet reported, in one JSON file in the extension's global storage, so polling resumes
// after a window reload. Every change re-reads the file and writes it atomically (temp file + rename), so two
// windows do not drop each other's batches; changes from one process are serialized. A file that does not
// parse is moved aside (never deleted) and reported.
import { join } from 'node:path';
import { is, type InferOutput } from 'valibot';
import { readJsonOrQuarantine, writeJsonAtomic } from '../atomicFile';
import { PendingBatchSchema, PendingFileV1Schema } from '../persist/schemas';
import type { PendingBatch } from './types';

export const PENDING_FILE = 'pending-batches.json';

type FileShape = InferOutput<typeof PendingFileV1Schema>;

export const isPendingBatch = (v: unknown): v is PendingBatch => is(PendingBatchSchema, v);

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
    const r = await readJsonOrQuarantine(this.file, PendingFileV1Schema);
    if (r.kind === 'ok') return r.value.batches;
    if (r.kind === 'corrupt') this.onProblem(`The pending batches file was unreadable (${r.reason}); it was moved to ${r.movedTo}. Batches submitted before are no longer tracked here; see them in the Anthropic Console.`);
    return [];
  }
}
