// Waits for a batch to end: retrieve, then sleep on the backoff schedule, again until processing_status is
// "ended". A cancel request calls the cancel endpoint once and keeps polling (canceling -> ended), so the
// results of what finished before the cancel are still collected. Transient failures (network, 429, 5xx)
// are retried on the same schedule; anything else is thrown. `signal` stops polling without touching the batch.
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import { isAbortError } from '../errors';
import { abortError, Clock } from '../ports';
import { isRetryable } from '../retry';
import type { AnthropicClient } from '../sdk';
import type { BatchResultLine } from './requests';
import { Backoff, DEFAULT_POLL, PollSchedule } from './schedule';

export type BatchesApi = Pick<AnthropicClient['messages']['batches'], 'create' | 'retrieve' | 'cancel' | 'results'>;

export interface PollOptions {
  clock: Clock;
  schedule?: PollSchedule;
  /** Stops polling (window closing, service disposed): rejects with an AbortError; the batch runs on. */
  signal?: AbortSignal;
  /** Asks the API to cancel the batch; polling goes on until it has ended. */
  cancel?: AbortSignal;
  /** Every batch object seen (from retrieve or cancel). */
  onStatus?(b: MessageBatch): void;
  /** A poll failed with a transient error and is retried after `delayMs`. */
  onRetry?(err: unknown, delayMs: number): void;
}

/** Sleeps `ms`; returns early (without error) when `wake` aborts; rejects when `signal` aborts. */
async function sleepUnless(clock: Clock, ms: number, signal?: AbortSignal, wake?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw abortError();
  if (wake?.aborted) return;
  const ac = new AbortController();
  const stop = () => ac.abort();
  signal?.addEventListener('abort', stop, { once: true });
  wake?.addEventListener('abort', stop, { once: true });
  try {
    await clock.sleep(ms, ac.signal);
  } catch (e) {
    if (!isAbortError(e)) throw e;
    if (signal?.aborted) throw abortError();
  } finally {
    signal?.removeEventListener('abort', stop);
    wake?.removeEventListener('abort', stop);
  }
}

/** Resolves with the ended batch. */
export async function waitForEnd(batches: BatchesApi, id: string, o: PollOptions): Promise<MessageBatch> {
  const backoff = new Backoff(o.schedule ?? DEFAULT_POLL);
  const opts = { signal: o.signal };
  let cancelSent = false;
  const transient = async (e: unknown) => {
    if (isAbortError(e) || o.signal?.aborted || !isRetryable(e)) throw o.signal?.aborted ? abortError() : e;
    const d = backoff.delay();
    o.onRetry?.(e, d);
    await sleepUnless(o.clock, d, o.signal);
  };
  for (;;) {
    if (o.signal?.aborted) throw abortError();
    if (o.cancel?.aborted && !cancelSent) {
      try {
        const b = await batches.cancel(id, {}, opts);
        cancelSent = true;
        o.onStatus?.(b);
        if (b.processing_status === 'ended') return b;
        backoff.reset(); // canceling ends soon: look again at the short interval
      } catch (e) {
        const status = (e as { status?: number }).status;
        // 400: it ended meanwhile (nothing to cancel); the retrieve below sees that.
        if (status === 400) cancelSent = true;
        else {
          await transient(e);
          continue;
        }
      }
    }
    let b: MessageBatch;
    try {
      b = await batches.retrieve(id, {}, opts);
    } catch (e) {
      await transient(e);
      continue;
    }
    o.onStatus?.(b);
    if (b.processing_status === 'ended') return b;
    await sleepUnless(o.clock, backoff.delay(), o.signal, cancelSent ? undefined : o.cancel);
  }
}

/** Every result line of an ended batch, read from its JSONL stream. */
export async function fetchResults(batches: BatchesApi, id: string, signal?: AbortSignal): Promise<BatchResultLine[]> {
  const out: BatchResultLine[] = [];
  for await (const line of await batches.results(id, {}, { signal })) out.push(line);
  return out;
}
