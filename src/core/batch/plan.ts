// From the files read for a batch to what will be submitted: custom_ids, the requests, the estimate, and the
// notes about skipped files. Bad input (nothing readable, over the batch limits) is refused here, before any
// network call, with a message for the user.
import { CollectResult, describeSkipped } from '../context/collectFiles';
import type { PriceBook } from '../usage/priceBook';
import { assignCustomIds } from './customId';
import { BatchEstimate, estimateBatch } from './estimate';
import { BATCH_LIMITS, BatchLimits, checkBatchLimits } from './limits';
import { BatchRequest, buildBatchRequests } from './requests';
import type { JsonMode } from '../capabilities';
import { storedMode, textHash } from './findings';
import type { BatchFileInput, BatchFileRef, BatchFindings } from './types';

export interface ReadFile extends BatchFileRef {
  languageId?: string;
  text: string;
}

export interface PlanInput {
  files: readonly ReadFile[];
  skipped?: CollectResult['skipped'];
  /** Folder expansion stopped at its bound. */
  truncated?: boolean;
  /** For the "over N KB" note. */
  maxFileKB: number;
  instruction: string;
  model: string;
  maxTokens: number;
  book: PriceBook;
  limits?: BatchLimits;
  /** Findings for the Problems panel (how the JSON comes back), instead of Markdown answers. */
  findings?: JsonMode;
}

export interface BatchPlan {
  requests: BatchRequest[];
  /** custom_id -> file, in request order. */
  files: Record<string, BatchFileRef>;
  estimate: BatchEstimate;
  /** "skipped 2 binary; stopped at the file limit", or ''. */
  notes: string;
  findings?: BatchFindings;
}

export type PlanResult = { ok: true; plan: BatchPlan } | { ok: false; message: string };

export function planBatch(input: PlanInput): PlanResult {
  const skipped = describeSkipped(input.skipped ?? [], input.maxFileKB);
  const empty = input.files.filter((f) => f.text.trim() === '').length;
  const files = input.files.filter((f) => f.text.trim() !== '');
  const why = [skipped, empty ? `${empty} empty` : ''].filter(Boolean).join(', ');
  if (files.length === 0) {
    return { ok: false, message: why ? `No text files to review (skipped: ${why}). Nothing was submitted.` : 'No files to review: choose files or folders. Nothing was submitted.' };
  }
  if (!input.instruction.trim()) return { ok: false, message: 'The instruction is empty. Nothing was submitted.' };
  const ids = assignCustomIds(files.map((f) => f.label));
  const byLabel = new Map(files.map((f) => [f.label, f]));
  const inputs: BatchFileInput[] = [...ids].map(([customId, label]) => {
    const f = byLabel.get(label)!;
    const one: BatchFileInput = { customId, label: f.label, uri: f.uri, text: f.text };
    if (f.languageId) one.languageId = f.languageId;
    return one;
  });
  const requests = buildBatchRequests(inputs, { model: input.model, maxTokens: input.maxTokens, instruction: input.instruction, findings: input.findings });
  const over = checkBatchLimits(requests, input.limits ?? BATCH_LIMITS);
  if (over) return { ok: false, message: `${over} Nothing was submitted.` };
  const refs: Record<string, BatchFileRef> = {};
  for (const f of inputs) refs[f.customId] = { label: f.label, uri: f.uri };
  const notes = [why && `skipped ${why}`, input.truncated && 'stopped at the file limit'].filter(Boolean).join('; ');
  const plan: BatchPlan = { requests, files: refs, estimate: estimateBatch(requests, input.model, input.book), notes };
  if (input.findings) plan.findings = { mode: storedMode(input.findings), hashes: Object.fromEntries(inputs.map((f) => [f.customId, textHash(f.text)])) };
  return { ok: true, plan };
}
