// The result lines of an ended batch, matched back to the files: the model's answer for each success, the
// reason for each failure, the usage of each success (billed at the batch price), and the files to retry.
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { usageFromApi, UsageRecord } from '../../shared/usage';
import type { Finding } from '../review/schema';
import { batchFindings } from './findings';
import type { BatchResultLine } from './requests';
import type { BatchCounts, BatchFileRef, PendingBatch } from './types';

export type ResultKind = 'succeeded' | 'errored' | 'canceled' | 'expired' | 'missing';

export interface FileResult {
  customId: string;
  /** undefined for a result whose custom_id was not in the batch (should not happen). */
  file?: BatchFileRef;
  kind: ResultKind;
  /** The answer's text blocks (succeeded). */
  text?: string;
  /** Why there is no (complete) answer. */
  reason?: string;
  usage?: UsageRecord;
  /** Findings mode: the checked findings of the answer, and how many did not match the schema. */
  findings?: Finding[];
  malformed?: number;
}

export interface BatchResults {
  /** In submission order, then any unknown custom_ids. */
  results: FileResult[];
  counts: BatchCounts & { missing: number };
  /** Usage of every succeeded request, batch: true, kind 'batch'. */
  usage: UsageRecord[];
  /** custom_id -> file for everything that did not succeed (errored, canceled, expired, missing). */
  retry: Record<string, BatchFileRef>;
}

export const REASONS = {
  canceled: 'Canceled: the batch was canceled before this request was processed.',
  expired: 'Expired: the batch did not reach this request within 24 hours.',
  missing: 'No result was returned for this request.',
} as const;

function answerText(m: Message): string {
  return m.content
    .map((b) => (b.type === 'text' ? b.text : ''))
    .filter(Boolean)
    .join('\n\n');
}

function stopNote(m: Message): string | undefined {
  if (m.stop_reason === 'max_tokens') return 'The answer was cut off at max_tokens (claudeChat.maxTokens).';
  if (m.stop_reason === 'refusal') return 'The model declined to answer.';
  return undefined;
}

function errorReason(line: BatchResultLine): string {
  if (line.result.type !== 'errored') return '';
  const e = line.result.error?.error as { type?: string; message?: string } | undefined;
  const what = [e?.type, e?.message].filter(Boolean).join(': ');
  return `Errored: ${what || 'the API reported an error without details'}.`;
}

/** `at`: when the results were read (epoch ms), for the usage records. */
export function collectResults(pending: Pick<PendingBatch, 'files' | 'model' | 'findings'>, lines: readonly BatchResultLine[], at: number): BatchResults {
  const byId = new Map<string, BatchResultLine>();
  for (const l of lines) if (!byId.has(l.custom_id)) byId.set(l.custom_id, l);
  const results: FileResult[] = [];
  const usage: UsageRecord[] = [];
  const retry: Record<string, BatchFileRef> = {};
  const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0, missing: 0 };
  const one = (customId: string, file: BatchFileRef | undefined, line: BatchResultLine | undefined): FileResult => {
    if (!line) return { customId, file, kind: 'missing', reason: REASONS.missing };
    const r = line.result;
    switch (r.type) {
      case 'succeeded': {
        const rec = usageFromApi(r.message.usage, { model: r.message.model || pending.model, batch: true, at, kind: 'batch' });
        usage.push(rec);
        const out: FileResult = { customId, file, kind: 'succeeded', text: answerText(r.message), usage: rec };
        const note = stopNote(r.message);
        if (note) out.reason = note;
        if (pending.findings) {
          const a = batchFindings(r.message, pending.findings.mode);
          if ('invalid' in a) out.reason = a.invalid;
          else Object.assign(out, a);
        }
        return out;
      }
      case 'errored':
        return { customId, file, kind: 'errored', reason: errorReason(line) };
      case 'canceled':
        return { customId, file, kind: 'canceled', reason: REASONS.canceled };
      case 'expired':
        return { customId, file, kind: 'expired', reason: REASONS.expired };
      default:
        return { customId, file, kind: 'errored', reason: `Errored: unknown result type ${JSON.stringify((r as { type?: unknown }).type)}.` };
    }
  };
  for (const [customId, file] of Object.entries(pending.files)) results.push(one(customId, file, byId.get(customId)));
  for (const [customId, line] of byId) if (!(customId in pending.files)) results.push(one(customId, undefined, line));
  for (const r of results) {
    counts[r.kind]++;
    if (r.kind !== 'succeeded' && r.file) retry[r.customId] = r.file;
  }
  return { results, counts, usage, retry };
}
