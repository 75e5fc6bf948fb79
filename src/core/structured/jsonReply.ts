// "Give me JSON back" for one-shot commands (Refactor Selection, Review File, batch findings). Where the model has
// native structured output the request carries output_config.format with the JSON schema; otherwise a tool with the
// same schema, forced only where the model accepts forced tool choice (not on Fable 5.1 / Mythos 5.1 / Opus 5.5, and
// on no model while thinking is `enabled`: spec-more §4.5), else offered with tool_choice auto. The tool is not
// `strict`: strict tools need the same grammar support the model lacks. Either way the answer is checked against the
// schema here (valibot), and an answer that does not match is an error that says so: it is never applied.
import type { Message, MessageCreateParamsBase, Tool } from '@anthropic-ai/sdk/resources/messages';
import { type GenericSchema, type InferOutput, safeParse } from 'valibot';
import type { JsonMode } from '../capabilities';

export interface JsonSpec<S extends GenericSchema> {
  /** The fallback tool's name (also how the answer is described to the user). */
  toolName: string;
  toolDescription: string;
  /** The JSON schema sent to the API (subset of spec-more §4.2: additionalProperties false on every object). */
  schema: Record<string, unknown>;
  /** The same shape as a valibot schema: what the answer must pass before anything uses it. */
  check: S;
}

export type JsonOutcome<T> =
  | { kind: 'ok'; value: T }
  /** No usable answer: `message` says why, for the user. */
  | { kind: 'invalid'; message: string };

/** Puts the JSON request into `params` (mutates it): a format, or the tool (+ tool_choice). */
export function applyJsonMode(params: MessageCreateParamsBase, spec: JsonSpec<GenericSchema>, mode: JsonMode): void {
  if (mode.kind === 'format') {
    params.output_config = { ...(params.output_config ?? {}), format: { type: 'json_schema', schema: spec.schema } };
    return;
  }
  const tool: Tool = { name: spec.toolName, description: spec.toolDescription, input_schema: spec.schema as Tool['input_schema'] };
  params.tools = [...(params.tools ?? []), tool];
  params.tool_choice = mode.force ? { type: 'tool', name: spec.toolName } : { type: 'auto' };
}

/** The sentence that tells the model how to answer, for the end of the prompt. */
export function answerInstruction(spec: JsonSpec<GenericSchema>, mode: JsonMode): string {
  return mode.kind === 'format' ? 'Answer with the JSON object the response format describes.' : `Answer by calling the ${spec.toolName} tool.`;
}

/** Where a valibot issue points, e.g. "findings.2.startLine". */
function where(issue: { path?: { key: unknown }[] }): string {
  return (issue.path ?? []).map((p) => String(p.key)).join('.') || '(top level)';
}

export function checkAnswer<S extends GenericSchema>(spec: JsonSpec<S>, value: unknown): JsonOutcome<InferOutput<S>> {
  const r = safeParse(spec.check, value);
  if (r.success) return { kind: 'ok', value: r.output };
  const i = r.issues[0];
  return { kind: 'invalid', message: `The answer does not match the expected format (${where(i)}: ${i.message}), so nothing was applied.` };
}

/** Reads and checks the JSON answer of a finished message. */
export function readJsonAnswer<S extends GenericSchema>(msg: Message, spec: JsonSpec<S>, mode: JsonMode): JsonOutcome<InferOutput<S>> {
  if (msg.stop_reason === 'max_tokens') return { kind: 'invalid', message: 'The answer was cut off at the max_tokens limit, so nothing was applied. Send less text or raise claudeChat.maxTokens.' };
  if (msg.stop_reason === 'refusal') return { kind: 'invalid', message: 'The model declined to answer, so nothing was applied.' };
  const said = msg.content.map((b) => (b.type === 'text' ? b.text : '')).join('').trim();
  if (mode.kind === 'format') {
    let value: unknown;
    try {
      value = JSON.parse(said);
    } catch {
      return { kind: 'invalid', message: `The answer is not the JSON that was asked for, so nothing was applied${said ? `; it said: "${said.slice(0, 200)}"` : '.'}` };
    }
    return checkAnswer(spec, value);
  }
  const call = msg.content.find((b) => b.type === 'tool_use' && b.name === spec.toolName);
  if (!call || call.type !== 'tool_use') {
    return { kind: 'invalid', message: `The model did not answer with a ${spec.toolName} call, so nothing was applied${said ? `; it said: "${said.slice(0, 200)}"` : '.'}` };
  }
  return checkAnswer(spec, call.input);
}
