// Validation of `messages` (spec §2.2, §2.4, §2.5, §4.2). Messages are the verbatim texts of real responses
// where the spec has them; the rest follow the API's `field.path: reason` style and are marked UNCONFIRMED.
import { ApiError, badRequest } from './http';
import type { ThinkingSigner } from './signatures';
import { checkCacheControl } from './validate-common';
import { checkDocument, checkImage, DEFAULT_IMAGE_MAX_BYTES, type MediaRules } from './media';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const V2026 = '2026-10-21';

export interface MessageRules {
  version: string;
  signer: ThinkingSigner;
  /** Historical 2024 rules: first message must be user, roles must alternate (§4.2, §11). */
  strict: boolean;
  /** A final assistant message is a prefill (false for an on-demand compaction request, which samples nothing). */
  finalIsPrefill?: boolean;
  /** Image and document limits (media.ts). */
  media?: MediaRules;
}

const EMPTY_TEXT = 'messages: text content blocks must be non-empty';
const BLANK_TEXT = 'messages: text content blocks must contain non-whitespace text';
// UNCONFIRMED in the spec; seen in real API errors quoted by third parties.
const TRAILING_WS = 'messages: final assistant content cannot end with trailing whitespace';
const MODIFIED =
  '`thinking` or `redacted_thinking` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.';

const mediaRules = (r: MessageRules): MediaRules => r.media ?? { imageMaxBytes: DEFAULT_IMAGE_MAX_BYTES };

function checkText(text: unknown, path: string): ApiError | undefined {
  if (typeof text !== 'string') return badRequest(`${path}.text: Field required`);
  if (text === '') return badRequest(EMPTY_TEXT);
  if (text.trim() === '') return badRequest(BLANK_TEXT);
  return undefined;
}

function checkBlock(b: unknown, path: string, role: string, rules: MessageRules): ApiError | undefined {
  if (!isObj(b)) return badRequest(`${path}: Input should be a valid dictionary or object to extract fields from`);
  if (typeof b.type !== 'string') return badRequest(`${path}.type: Field required`);
  const t = b.type;
  switch (t) {
    case 'text': {
      const e = checkText(b.text, `${path}.text`);
      if (e) return e;
      if (rules.version === V2026 && role === 'user' && Array.isArray(b.citations) && b.citations.length > 0) {
        return badRequest(`${path}.text.citations: text blocks with citations are not accepted in user messages`); // §2.5, wording UNCONFIRMED
      }
      break;
    }
    case 'thinking':
    case 'redacted_thinking': {
      if (b.cache_control !== undefined) return badRequest(`${path}.${t}.cache_control: Extra inputs are not permitted`); // §2.3, wording UNCONFIRMED
      if (t === 'thinking') {
        if (typeof b.thinking !== 'string') return badRequest(`${path}.thinking.thinking: Field required`);
        if (typeof b.signature !== 'string') return badRequest(`${path}.thinking.signature: Field required`);
      } else if (typeof b.data !== 'string') {
        return badRequest(`${path}.redacted_thinking.data: Field required`);
      }
      return undefined;
    }
    case 'tool_use':
      if (typeof b.id !== 'string') return badRequest(`${path}.tool_use.id: Field required`);
      if (typeof b.name !== 'string') return badRequest(`${path}.tool_use.name: Field required`);
      if (!isObj(b.input)) return badRequest(`${path}.tool_use.input: Input should be a valid dictionary`);
      break;
    case 'tool_result':
      if (typeof b.tool_use_id !== 'string') return badRequest(`${path}.tool_result.tool_use_id: Field required`);
      if (Array.isArray(b.content)) {
        for (let k = 0; k < b.content.length; k++) {
          const c = b.content[k];
          if (isObj(c) && c.type === 'text') {
            const e = checkText(c.text, `${path}.tool_result.content.${k}.text`);
            if (e) return e;
          }
          const at = `${path}.tool_result.content.${k}`;
          const e = isObj(c) && c.type === 'image' ? checkImage(c, at, mediaRules(rules)) : isObj(c) && c.type === 'document' ? checkDocument(c, at) : undefined;
          if (e) return e;
        }
      }
      break;
    case 'document': {
      if (rules.version === V2026 && role === 'assistant') {
        return badRequest(`${path}: document blocks are not accepted in assistant messages`); // §2.5, wording UNCONFIRMED
      }
      const e = checkDocument(b, path);
      if (e) return e;
      break;
    }
    case 'image': {
      const e = checkImage(b, path, mediaRules(rules));
      if (e) return e;
      break;
    }
    default:
      break;
  }
  return checkCacheControl(b.cache_control, `${path}.${t}.cache_control`);
}

interface Turn {
  role: string;
  /** [message index, block index or -1 for string content, block] */
  blocks: Array<[number, number, Obj]>;
  first: number;
}

/** Consecutive same-role messages are combined into one turn (§2.4). */
function turns(messages: Obj[]): Turn[] {
  const out: Turn[] = [];
  messages.forEach((m, i) => {
    const role = String(m.role);
    const blocks: Array<[number, number, Obj]> = Array.isArray(m.content)
      ? m.content.filter(isObj).map((b, j) => [i, j, b] as [number, number, Obj])
      : [[i, -1, { type: 'text', text: m.content }]];
    const last = out[out.length - 1];
    if (last && last.role === role) last.blocks.push(...blocks);
    else out.push({ role, blocks, first: i });
  });
  return out;
}

function checkToolPairing(ts: Turn[]): ApiError | undefined {
  for (let k = 0; k < ts.length; k++) {
    const t = ts[k];
    if (t.role === 'user') {
      const prev = ts[k - 1];
      const offered = new Set(prev?.role === 'assistant' ? prev.blocks.filter(([, , b]) => b.type === 'tool_use').map(([, , b]) => String(b.id)) : []);
      for (const [i, j, b] of t.blocks) {
        if (b.type === 'tool_result' && !offered.has(String(b.tool_use_id))) {
          return badRequest(
            `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(b.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
          );
        }
      }
    } else if (t.role === 'assistant' && k < ts.length - 1) {
      const ids = t.blocks.filter(([, , b]) => b.type === 'tool_use').map(([, , b]) => String(b.id));
      if (!ids.length) continue;
      const next = ts[k + 1];
      const answered = new Set(next.role === 'user' ? next.blocks.filter(([, , b]) => b.type === 'tool_result').map(([, , b]) => String(b.tool_use_id)) : []);
      const missing = ids.filter((id) => !answered.has(id));
      if (missing.length) {
        return badRequest(
          `messages.${next.first}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
      }
    }
  }
  return undefined;
}

/** Thinking blocks of the latest assistant message must be exactly what the fake issued (§2.2). */
function checkThinkingUnmodified(messages: Obj[], signer: ThinkingSigner): ApiError | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== 'assistant') continue;
    if (!Array.isArray(m.content)) return undefined;
    for (let j = 0; j < m.content.length; j++) {
      const b = m.content[j] as Obj;
      const ok = b.type === 'thinking' ? signer.verify(b.thinking, b.signature) : b.type === 'redacted_thinking' ? signer.verifyRedacted(b.data) : true;
      if (!ok) return badRequest(`messages.${i}.content.${j}: ${MODIFIED}`);
    }
    return undefined;
  }
  return undefined;
}

export function validateMessages(messages: unknown, rules: MessageRules): ApiError | undefined {
  if (messages === undefined) return badRequest('messages: Field required');
  if (!Array.isArray(messages)) return badRequest('messages: Input should be a valid list');
  if (messages.length === 0) return badRequest('messages: at least one message is required');
  if (messages.length > 100_000) return badRequest(`messages: There is a limit of 100,000 messages in a single request. Found ${messages.length}.`); // wording UNCONFIRMED
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const path = `messages.${i}`;
    if (!isObj(m)) return badRequest(`${path}: Input should be a valid dictionary`);
    if (m.role !== 'user' && m.role !== 'assistant' && m.role !== 'system') return badRequest(`${path}.role: Input should be 'user', 'assistant' or 'system'`);
    const isFinalAssistant = i === messages.length - 1 && m.role === 'assistant';
    if (typeof m.content === 'string') {
      if (m.content === '' && !isFinalAssistant) return badRequest(`${path}: all messages must have non-empty content except for the optional final assistant message`);
      if (m.content !== '' && m.content.trim() === '') return badRequest(BLANK_TEXT);
    } else if (Array.isArray(m.content)) {
      if (m.content.length === 0 && !isFinalAssistant) return badRequest(`${path}: all messages must have non-empty content except for the optional final assistant message`);
      for (let j = 0; j < m.content.length; j++) {
        const e = checkBlock(m.content[j], `${path}.content.${j}`, m.role, rules);
        if (e) return e;
      }
    } else {
      return badRequest(`${path}.content: Field required`);
    }
    // A paused server-tool turn sent back as-is (§6.6) is a continuation, not a prefill.
    if (isFinalAssistant && rules.finalIsPrefill !== false && !(Array.isArray(m.content) && m.content.some((b) => isObj(b) && b.type === 'server_tool_use'))) {
      const last = typeof m.content === 'string' ? m.content : (m.content as Obj[]).filter((b) => b.type === 'text').map((b) => String(b.text)).pop();
      if (last && /\s$/.test(last)) return badRequest(TRAILING_WS);
    }
  }
  const list = messages as Obj[];
  if (rules.strict) {
    if (list[0].role !== 'user') return badRequest('messages: first message must use the "user" role');
    for (let i = 1; i < list.length; i++) {
      if (list[i].role === list[i - 1].role) {
        return badRequest(`messages: roles must alternate between "user" and "assistant", but found multiple "${String(list[i].role)}" roles in a row`);
      }
    }
  }
  return checkToolPairing(turns(list)) ?? checkThinkingUnmodified(list, rules.signer);
}
