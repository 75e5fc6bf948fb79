// One Message Batches request per file. Every request shares the same system block, marked for caching, so
// the batch reads it from cache where the API can (batch caching is best effort; the 1-hour TTL is the one
// suggested for batches, which may take longer than 5 minutes). Then the file as its own text block and the
// instruction after it.
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { BatchCreateParams } from '@anthropic-ai/sdk/resources/messages/batches';
import { contextBlockText } from '../conversation';
import type { JsonMode } from '../capabilities';
import { findingsRequest } from './findings';
import type { BatchFileInput } from './types';

export type BatchRequest = BatchCreateParams.Request;
export type BatchResultLine = MessageBatchIndividualResponse;

export const BATCH_SYSTEM =
  'You are an expert software engineer working through the files of a code base one at a time. Each request ' +
  'gives you one whole file inside a <document path="…"> element, followed by an instruction. Follow the ' +
  'instruction for that file only. Answer in GitHub-flavoured Markdown: refer to code by line number or symbol ' +
  'name, put code in fenced blocks with a language tag, and do not repeat the whole file back. Be specific and ' +
  'concise; if you are unsure about something because it depends on code you cannot see, say so.';

export interface BatchRequestOptions {
  model: string;
  maxTokens: number;
  instruction: string;
  /** Default BATCH_SYSTEM. */
  system?: string;
  /** Ask for findings for the Problems panel instead of Markdown (core/batch/findings.ts). */
  findings?: JsonMode;
}

export function systemBlocks(system: string = BATCH_SYSTEM): TextBlockParam[] {
  return [{ type: 'text', text: system, cache_control: { type: 'ephemeral', ttl: '1h' } }];
}

/** The text of the file block (the same `<document path>` form the chat uses for attached files). */
export function fileBlockText(f: Pick<BatchFileInput, 'label' | 'text'>): string {
  return contextBlockText({ id: f.label, label: f.label, text: f.text, kind: 'file' });
}

export function instructionText(instruction: string): string {
  return `Instruction: ${instruction.trim()}`;
}

export function buildBatchRequest(f: BatchFileInput, o: BatchRequestOptions): BatchRequest {
  return {
    custom_id: f.customId,
    params: {
      model: o.model,
      max_tokens: o.maxTokens,
      system: systemBlocks(o.system),
      messages: [{ role: 'user', content: [{ type: 'text', text: fileBlockText(f) }, { type: 'text', text: instructionText(o.instruction) }] }],
    },
  };
}

export function buildBatchRequests(files: readonly BatchFileInput[], o: BatchRequestOptions): BatchRequest[] {
  const mode = o.findings;
  return files.map((f) => (mode ? findingsRequest(f, { ...o, mode }) : buildBatchRequest(f, o)));
}
