// "Refactor Selection" as a one-shot request (not the chat): the replacement and a short rationale come back as JSON,
// through output_config.format where the model has structured output, else through a propose_refactor tool call
// (forced only where the model accepts forced tool choice): core/structured/jsonReply.ts. Today's top models (Fable
// 5.1, Mythos 5.1, Opus 5.5) reject a forced tool with a 400, and every model does while thinking is `enabled`.
// Prefix: cached system block -> the whole file as a cached block, then the selection and the instruction, so a
// second command on the same file reads the file from cache.
import type { Message, MessageCreateParamsBase, TextBlockParam, ThinkingConfigParam, Usage } from '@anthropic-ai/sdk/resources/messages';
import { object, string } from 'valibot';
import type { CacheTtl } from '../cachePlan';
import type { Effort, JsonMode } from '../capabilities';
import { contextBlockText } from '../conversation';
import { fenceFor } from '../context/docs';
import type { AnthropicClient } from '../sdk';
import { answerInstruction, applyJsonMode, JsonSpec, readJsonAnswer } from '../structured/jsonReply';

export const REFACTOR_TOOL_NAME = 'propose_refactor';

const REFACTOR_CHECK = object({ replacement: string(), rationale: string() });

export const REFACTOR_SPEC: JsonSpec<typeof REFACTOR_CHECK> = {
  toolName: REFACTOR_TOOL_NAME,
  toolDescription:
    'Propose the new text for the selected code. The replacement replaces exactly the selected lines, so it must be complete, correctly indented code for that place in the file, with no markdown fences.',
  schema: {
    type: 'object',
    properties: {
      replacement: { type: 'string', description: 'The full new text for the selection: complete, correctly indented code, no markdown fences.' },
      rationale: { type: 'string', description: 'One to three sentences: what changed and why.' },
    },
    required: ['replacement', 'rationale'],
    additionalProperties: false,
  },
  check: REFACTOR_CHECK,
};

export const REFACTOR_SYSTEM =
  'You are a careful refactoring assistant inside a code editor. You get a whole file for context, then a selected ' +
  'part of it and an instruction. Change only the selected part, keep its behaviour unless the instruction says ' +
  "otherwise, match the file's style and indentation, and answer with the replacement and a short rationale.";

export interface RefactorRequest {
  model: string;
  maxTokens: number;
  /** TTL of the two cache breakpoints (system, file). */
  cacheTtl?: CacheTtl;
  file: { label: string; languageId?: string; text: string };
  /** The selected text and its 0-based line range. */
  selection: { text: string; startLine: number; endLine: number };
  instruction: string;
  /** How the JSON comes back (core/capabilities.ts jsonMode: structured output, else the tool). Default: format. */
  mode?: JsonMode;
  thinking?: ThinkingConfigParam;
  effort?: Effort;
}

export type RefactorOutcome =
  | { kind: 'proposal'; replacement: string; rationale: string; usage: Usage; model: string }
  /** No usable answer (the tokens were still spent: `usage`); nothing may be applied. */
  | { kind: 'noProposal'; message: string; usage: Usage; model: string };

const cacheControl = (ttl: CacheTtl | undefined) => (ttl === '1h' ? { type: 'ephemeral' as const, ttl: '1h' as const } : { type: 'ephemeral' as const });

const modeOf = (r: RefactorRequest): JsonMode => r.mode ?? { kind: 'format' };

export function refactorParams(r: RefactorRequest): MessageCreateParamsBase {
  const cc = cacheControl(r.cacheTtl);
  const mode = modeOf(r);
  const system: TextBlockParam[] = [{ type: 'text', text: REFACTOR_SYSTEM, cache_control: cc }];
  const fileBlock = contextBlockText({ id: r.file.label, label: r.file.label, text: r.file.text, kind: 'file' });
  const { startLine, endLine } = r.selection;
  const lines = startLine === endLine ? `line ${startLine + 1}` : `lines ${startLine + 1}–${endLine + 1}`;
  const fence = fenceFor(r.selection.text);
  const ask =
    `The selection is ${lines} of ${r.file.label}:\n${fence}${r.file.languageId ?? ''}\n${r.selection.text}\n${fence}\n\n` +
    `Instruction: ${r.instruction.trim()}\n\nThe replacement replaces exactly the selected text. ${answerInstruction(REFACTOR_SPEC, mode)}`;
  const params: MessageCreateParamsBase = {
    model: r.model,
    max_tokens: r.maxTokens,
    system,
    messages: [{ role: 'user', content: [{ type: 'text', text: fileBlock, cache_control: cc }, { type: 'text', text: ask }] }],
  };
  if (r.thinking) params.thinking = r.thinking;
  if (r.effort) params.output_config = { effort: r.effort };
  applyJsonMode(params, REFACTOR_SPEC, mode);
  return params;
}

/** Reads the proposal out of the final message; an answer that fails the schema is never a proposal. */
export function parseProposal(msg: Message, mode: JsonMode = { kind: 'format' }): RefactorOutcome {
  const base = { usage: msg.usage, model: msg.model };
  const answer = readJsonAnswer(msg, REFACTOR_SPEC, mode);
  if (answer.kind === 'invalid') return { kind: 'noProposal', message: answer.message, ...base };
  return { kind: 'proposal', replacement: answer.value.replacement, rationale: answer.value.rationale, ...base };
}

/** One attempt, streamed (so a large max_tokens is allowed); API and network errors are thrown as they come. */
export async function runRefactor(client: AnthropicClient, r: RefactorRequest, signal?: AbortSignal): Promise<RefactorOutcome> {
  const msg = await client.messages.stream(refactorParams(r), { signal }).finalMessage();
  return parseProposal(msg, modeOf(r));
}
