// "Claude: Review File" (and the findings mode of the batch review): the whole file, its lines numbered so the model
// can name them, and a request for findings as JSON (core/review/schema.ts) through structured output where the model
// has it, else the report_findings tool. Prefix: cached system block -> the numbered file as a cached block -> the
// instruction, so reviewing the same file again reads it from cache.
import type { Message, MessageCreateParamsBase, TextBlockParam, ThinkingConfigParam, Usage } from '@anthropic-ai/sdk/resources/messages';
import type { CacheTtl } from '../cachePlan';
import type { Effort, JsonMode } from '../capabilities';
import type { AnthropicClient } from '../sdk';
import { answerInstruction, applyJsonMode, readJsonAnswer } from '../structured/jsonReply';
import { Finding, FINDINGS_SPEC, splitFindings } from './schema';

export const REVIEW_SYSTEM =
  'You are an expert code reviewer inside a code editor. You get one whole file, its lines numbered as "<n> | <text>", ' +
  'then an instruction. Report real problems only (bugs, security issues, error handling, misleading code, clear ' +
  'design or readability issues), most important first; report nothing rather than guess. Give each finding the exact ' +
  'line range it concerns, using the numbers shown. When a mechanical fix exists, give the complete new text for exactly ' +
  'those lines as the replacement: whole lines, the same indentation, without the line numbers and without markdown fences.';

export const DEFAULT_REVIEW_INSTRUCTION = 'Review this file.';

export interface ReviewFile {
  label: string;
  languageId?: string;
  text: string;
}

export interface ReviewOptions {
  model: string;
  maxTokens: number;
  mode: JsonMode;
  instruction?: string;
  cacheTtl?: CacheTtl;
  thinking?: ThinkingConfigParam;
  effort?: Effort;
}

/** The file with its lines numbered, inside the same <document path> element the chat uses. */
export function numberedFileBlock(f: ReviewFile): string {
  const lines = f.text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const width = String(lines.length).length;
  const body = lines.map((l, i) => `${String(i + 1).padStart(width)} | ${l}`).join('\n');
  return `<document path="${f.label.replace(/"/g, "'")}" lines="${lines.length}">\n${body}\n</document>`;
}

const cacheControl = (ttl: CacheTtl | undefined) => (ttl === '1h' ? { type: 'ephemeral' as const, ttl: '1h' as const } : { type: 'ephemeral' as const });

export function reviewParams(f: ReviewFile, o: ReviewOptions): MessageCreateParamsBase {
  const cc = cacheControl(o.cacheTtl);
  const system: TextBlockParam[] = [{ type: 'text', text: REVIEW_SYSTEM, cache_control: cc }];
  const ask = `Instruction: ${(o.instruction ?? DEFAULT_REVIEW_INSTRUCTION).trim()}\n\nThe file is ${f.label}${f.languageId ? ` (${f.languageId})` : ''}. ${answerInstruction(FINDINGS_SPEC, o.mode)}`;
  const params: MessageCreateParamsBase = {
    model: o.model,
    max_tokens: o.maxTokens,
    system,
    messages: [{ role: 'user', content: [{ type: 'text', text: numberedFileBlock(f), cache_control: cc }, { type: 'text', text: ask }] }],
  };
  if (o.thinking) params.thinking = o.thinking;
  if (o.effort) params.output_config = { effort: o.effort };
  applyJsonMode(params, FINDINGS_SPEC, o.mode);
  return params;
}

export type FindingsAnswer = { kind: 'findings'; findings: Finding[]; malformed: number } | { kind: 'invalid'; message: string };

/** The findings in a finished message (a batch result or a streamed one). */
export function readFindings(msg: Message, mode: JsonMode): FindingsAnswer {
  const a = readJsonAnswer(msg, FINDINGS_SPEC, mode);
  if (a.kind === 'invalid') return a;
  return { kind: 'findings', ...splitFindings(a.value.findings) };
}

export type ReviewOutcome = FindingsAnswer & { usage: Usage; model: string };

/** One attempt, streamed; API and network errors are thrown as they come. */
export async function runReview(client: AnthropicClient, f: ReviewFile, o: ReviewOptions, signal?: AbortSignal): Promise<ReviewOutcome> {
  const msg = await client.messages.stream(reviewParams(f, o), { signal }).finalMessage();
  return { ...readFindings(msg, o.mode), usage: msg.usage, model: msg.model };
}
