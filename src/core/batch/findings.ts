// The findings mode of a batch review: each file asked for findings (the same request as "Review File",
// core/review/request.ts, at batch prices), each file's hash kept with the pending batch, and the answers read back
// as findings. A file whose text changed since submission loses its findings (counted): the batch result cannot say
// where its lines went, so nothing is placed on text it was not made for.
import { createHash } from 'node:crypto';
import type { JsonMode } from '../capabilities';
import { readFindings, reviewParams } from '../review/request';
import type { Finding } from '../review/schema';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { BatchRequest } from './requests';
import type { BatchFileInput, BatchFindings } from './types';

export function storedMode(m: JsonMode): BatchFindings['mode'] {
  return m.kind === 'format' ? 'format' : m.force ? 'tool-forced' : 'tool-auto';
}

export function jsonModeOf(m: BatchFindings['mode']): JsonMode {
  return m === 'format' ? { kind: 'format' } : { kind: 'tool', force: m === 'tool-forced' };
}

/** SHA-256 of a file's text (hex, 16 chars): enough to tell "changed since submission". */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

export function findingsRequest(f: BatchFileInput, o: { model: string; maxTokens: number; instruction: string; mode: JsonMode }): BatchRequest {
  // Batches can take longer than 5 minutes: the 1-hour TTL, as for the Markdown review.
  const params = reviewParams({ label: f.label, languageId: f.languageId, text: f.text }, { model: o.model, maxTokens: o.maxTokens, mode: o.mode, instruction: o.instruction, cacheTtl: '1h' });
  const { stream: _stream, ...body } = params;
  return { custom_id: f.customId, params: body };
}

export type BatchFindingsAnswer = { findings: Finding[]; malformed: number } | { invalid: string };

export function batchFindings(msg: Message, mode: BatchFindings['mode']): BatchFindingsAnswer {
  const a = readFindings(msg, jsonModeOf(mode));
  return a.kind === 'invalid' ? { invalid: a.message } : { findings: a.findings, malformed: a.malformed };
}
