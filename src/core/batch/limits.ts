// The Message Batches limits (spec §1: 100,000 requests per batch, 256 MB request body), checked before any
// network call so an oversized batch fails with a clear message instead of a 400/413 after the upload.
import type { BatchRequest } from './requests';

export interface BatchLimits {
  maxRequests: number;
  maxBodyBytes: number;
}

export const BATCH_LIMITS: BatchLimits = { maxRequests: 100_000, maxBodyBytes: 256 * 1024 * 1024 };

/**
 * How folder expansion is bounded for a batch: more files than "add to context" takes (200), since each file
 * is its own request, but still a bound on an accidental click on a huge folder. The per-file size limit is
 * the same as for context (claudeChat.context.maxFileKB).
 */
export const BATCH_COLLECT = { maxFiles: 2_000, maxEntries: 50_000 } as const;

/** Bytes of `{"requests":[…]}` as the SDK sends it (JSON.stringify, UTF-8). */
export function bodyBytes(requests: readonly BatchRequest[]): number {
  let n = '{"requests":[]}'.length + Math.max(0, requests.length - 1);
  for (const r of requests) n += Buffer.byteLength(JSON.stringify(r), 'utf8');
  return n;
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** undefined when the batch may be submitted, else why not (for the user). */
export function checkBatchLimits(requests: readonly BatchRequest[], limits: BatchLimits = BATCH_LIMITS): string | undefined {
  if (requests.length === 0) return 'There are no files to send.';
  if (requests.length > limits.maxRequests) {
    return `${requests.length.toLocaleString('en-US')} files is over the Message Batches limit of ${limits.maxRequests.toLocaleString('en-US')} requests per batch. Choose fewer files or folders.`;
  }
  const size = bodyBytes(requests);
  if (size > limits.maxBodyBytes) {
    return `The batch would be ${mb(size)}, over the Message Batches limit of ${mb(limits.maxBodyBytes)} per batch. Choose fewer or smaller files.`;
  }
  return undefined;
}
