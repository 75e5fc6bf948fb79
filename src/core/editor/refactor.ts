// "Refactor Selection" as a one-shot request (not the chat): a forced propose_refactor tool call returns the
// replacement and a short rationale. Prefix: tools -> cached system block -> the whole file as a cached block,
// then the selection and the instruction, so a second command on the same file reads the file from cache.
import type { Message, MessageCreateParamsBase, TextBlockParam, Tool, Usage } from '@anthropic-ai/sdk/resources/messages';
import type { CacheTtl } from '../cachePlan';
import { contextBlockText } from '../conversation';
import { fenceFor } from '../context/docs';
import type { AnthropicClient } from '../sdk';

export const REFACTOR_TOOL_NAME = 'propose_refactor';

export const REFACTOR_TOOL: Tool = {
  name: REFACTOR_TOOL_NAME,
  description:
    'Propose the new text for the selected code. The replacement replaces exactly the selected lines, so it must be complete, correctly indented code for that place in the file, with no markdown fences.',
  input_schema: {
    type: 'object',
    properties: {
      replacement: { type: 'string', description: 'The full new text for the selection.' },
      rationale: { type: 'string', description: 'One to three sentences: what changed and why.' },
    },
    required: ['replacement', 'rationale'],
  },
};

export const REFACTOR_SYSTEM =
  'You are a careful refactoring assistant inside a code editor. You get a whole file for context, then a selected ' +
  'part of it and an instruction. Change only the selected part, keep its behaviour unless the instruction says ' +
  'otherwise, match the file\'s style and indentation, and answer by calling the propose_refactor tool.';

export interface RefactorRequest {
  model: string;
  maxTokens: number;
  /** TTL of the two cache breakpoints (system, file). */
  cacheTtl?: CacheTtl;
  file: { label: string; languageId?: string; text: string };
  /** The selected text and its 0-based line range. */
  selection: { text: string; startLine: number; endLine: number };
  instruction: string;
}

export type RefactorOutcome =
  | { kind: 'proposal'; replacement: string; rationale: string; usage: Usage; model: string }
  /** The model answered without a usable tool call (the tokens were still spent: `usage`). */
  | { kind: 'noProposal'; message: string; usage: Usage; model: string };

const cacheControl = (ttl: CacheTtl | undefined) => (ttl === '1h' ? { type: 'ephemeral' as const, ttl: '1h' as const } : { type: 'ephemeral' as const });

export function refactorParams(r: RefactorRequest): MessageCreateParamsBase {
  const cc = cacheControl(r.cacheTtl);
  const system: TextBlockParam[] = [{ type: 'text', text: REFACTOR_SYSTEM, cache_control: cc }];
  const fileBlock = contextBlockText({ id: r.file.label, label: r.file.label, text: r.file.text, kind: 'file' });
  const { startLine, endLine } = r.selection;
  const lines = startLine === endLine ? `line ${startLine + 1}` : `lines ${startLine + 1}–${endLine + 1}`;
  const fence = fenceFor(r.selection.text);
  const ask =
    `The selection is ${lines} of ${r.file.label}:\n${fence}${r.file.languageId ?? ''}\n${r.selection.text}\n${fence}\n\n` +
    `Instruction: ${r.instruction.trim()}\n\nCall ${REFACTOR_TOOL_NAME} with the replacement for exactly the selected text.`;
  return {
    model: r.model,
    max_tokens: r.maxTokens,
    system,
    tools: [REFACTOR_TOOL],
    tool_choice: { type: 'tool', name: REFACTOR_TOOL_NAME },
    messages: [{ role: 'user', content: [{ type: 'text', text: fileBlock, cache_control: cc }, { type: 'text', text: ask }] }],
  };
}

/** Reads the forced tool call out of the final message. */
export function parseProposal(msg: Message): RefactorOutcome {
  const base = { usage: msg.usage, model: msg.model };
  if (msg.stop_reason === 'max_tokens') {
    return { kind: 'noProposal', message: `The proposal was cut off at the max_tokens limit. Select less code or raise claudeChat.maxTokens.`, ...base };
  }
  const call = msg.content.find((b) => b.type === 'tool_use' && b.name === REFACTOR_TOOL_NAME);
  if (!call || call.type !== 'tool_use') {
    const said = msg.content.map((b) => (b.type === 'text' ? b.text : '')).join(' ').trim();
    return { kind: 'noProposal', message: `The model did not propose a change (no ${REFACTOR_TOOL_NAME} call)${said ? `; it said: "${said.slice(0, 200)}"` : '.'}`, ...base };
  }
  const input = (call.input ?? {}) as { replacement?: unknown; rationale?: unknown };
  if (typeof input.replacement !== 'string') {
    return { kind: 'noProposal', message: `The model's ${REFACTOR_TOOL_NAME} call has no "replacement" text.`, ...base };
  }
  return { kind: 'proposal', replacement: input.replacement, rationale: typeof input.rationale === 'string' ? input.rationale : '', ...base };
}

/** One attempt, streamed (so a large max_tokens is allowed); API and network errors are thrown as they come. */
export async function runRefactor(client: AnthropicClient, r: RefactorRequest, signal?: AbortSignal): Promise<RefactorOutcome> {
  const msg = await client.messages.stream(refactorParams(r), { signal }).finalMessage();
  return parseProposal(msg);
}

