// A batch review from submit to report, on the SDK's batches API: submit (then persist as pending), wait for
// the end (polling, cancel), read the results, build the report. The host adds the UI around these steps:
// progress, the report document, usage recording, the retry action.
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Clock } from '../ports';
import type { PriceBook } from '../usage/priceBook';
import { BatchPlan, PlanInput, planBatch } from './plan';
import { BatchesApi, fetchResults, waitForEnd } from './poll';
import type { PendingStore } from './pendingStore';
import { batchReport } from './report';
import { BatchResults, collectResults } from './results';
import type { PollSchedule } from './schedule';
import type { BatchFileRef, PendingBatch } from './types';

export type SubmitMeta = Pick<PendingBatch, 'model' | 'instruction' | 'maxTokens' | 'baseURL' | 'workspace'>;

/**
 * Creates the batch, then records it as pending. A failure to persist is reported through `onPersistError`
 * (the batch exists and is tracked in this window; only a reload would lose it).
 */
export async function submitBatch(
  batches: BatchesApi,
  plan: Pick<BatchPlan, 'requests' | 'files' | 'findings'>,
  meta: SubmitMeta,
  deps: { store: PendingStore; now: () => number; signal?: AbortSignal; onPersistError?: (e: unknown) => void },
): Promise<{ pending: PendingBatch; batch: MessageBatch }> {
  const batch = await batches.create({ requests: plan.requests }, { signal: deps.signal });
  const pending: PendingBatch = { id: batch.id, created: deps.now(), ...meta, files: { ...plan.files } };
  if (plan.findings) pending.findings = plan.findings;
  try {
    await deps.store.add(pending);
  } catch (e) {
    deps.onPersistError?.(e);
  }
  return { pending, batch };
}

export type SubmitOutcome =
  | { kind: 'submitted'; pending: PendingBatch; batch: MessageBatch; plan: BatchPlan }
  /** Bad input (nothing to send, over the limits): nothing was sent. */
  | { kind: 'refused'; message: string }
  /** The user said no at the confirmation. */
  | { kind: 'declined' };

/**
 * Plan, confirm, submit: the one path from files to a batch, so bad input can never reach the API.
 * `confirm` sees the plan (file count, estimate, notes) and returns false to send nothing.
 */
export async function planAndSubmit(
  batches: BatchesApi,
  input: PlanInput,
  meta: Omit<SubmitMeta, 'model' | 'instruction' | 'maxTokens'>,
  deps: Parameters<typeof submitBatch>[3] & { confirm?: (plan: BatchPlan) => Promise<boolean> },
): Promise<SubmitOutcome> {
  const planned = planBatch(input);
  if (!planned.ok) return { kind: 'refused', message: planned.message };
  if (deps.confirm && !(await deps.confirm(planned.plan))) return { kind: 'declined' };
  const full: SubmitMeta = { ...meta, model: input.model, instruction: input.instruction, maxTokens: input.maxTokens };
  const { pending, batch } = await submitBatch(batches, planned.plan, full, deps);
  return { kind: 'submitted', pending, batch, plan: planned.plan };
}

/** The pending batches this window should track: the ones its workspace submitted (each is polled at its own base URL). */
export async function pendingFor(store: PendingStore, workspace: string): Promise<PendingBatch[]> {
  return (await store.list()).filter((b) => b.workspace === workspace);
}

export interface RunOptions {
  clock: Clock;
  book: PriceBook;
  schedule?: PollSchedule;
  signal?: AbortSignal;
  cancel?: AbortSignal;
  onStatus?(b: MessageBatch): void;
  onRetry?(err: unknown, delayMs: number): void;
  link?: (f: BatchFileRef) => string;
}

export interface FinishedBatch {
  pending: PendingBatch;
  batch: MessageBatch;
  results: BatchResults;
  markdown: string;
}

/** Polls until the batch has ended, then reads its results and writes the report. */
export async function runToEnd(batches: BatchesApi, pending: PendingBatch, o: RunOptions): Promise<FinishedBatch> {
  const batch = await waitForEnd(batches, pending.id, o);
  const lines = await fetchResults(batches, pending.id, o.signal);
  const results = collectResults(pending, lines, o.clock.now());
  const markdown = batchReport({ pending, results, book: o.book, link: o.link });
  return { pending, batch, results, markdown };
}

/** "3 succeeded · 1 errored · 6 processing" for the progress notification. */
export function describeCounts(b: Pick<MessageBatch, 'request_counts' | 'processing_status'>): string {
  const c = b.request_counts;
  const parts = [`${c.succeeded} succeeded`, `${c.errored} errored`, `${c.processing} processing`];
  if (c.canceled) parts.push(`${c.canceled} canceled`);
  if (c.expired) parts.push(`${c.expired} expired`);
  const state = b.processing_status === 'canceling' ? 'canceling: ' : '';
  return state + parts.join(' · ');
}
