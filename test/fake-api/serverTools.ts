// The web search and web fetch server tools (../shared/reference/anthropic-wire-spec-more.md §6): their definitions
// in a request, the blocks a scripted reply may use, and what the server does with them: ids and `caller`,
// encrypted_content/encrypted_index the client must pass back unchanged, max_uses (-> max_uses_exceeded), domain
// lists, "only URLs already in the conversation" for fetch, errors inside the block (HTTP 200), usage
// (`server_tool_use.web_search_requests`, errored calls not counted), the iteration limit (-> pause_turn) and the
// continuation of a paused turn (its pending call runs first).
import { createHmac, randomBytes } from 'node:crypto';
import { ApiError, badRequest, base62 } from './http';
import type { ReplyBlock, WebResult } from './replies';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const SEARCH_TYPES = ['web_search_20250305', 'web_search_20260209', 'web_search_20260318'];
export const FETCH_TYPES = ['web_fetch_20250910', 'web_fetch_20260209', 'web_fetch_20260309', 'web_fetch_20260318'];
export const SEARCH_ERRORS = ['too_many_requests', 'invalid_tool_input', 'max_uses_exceeded', 'query_too_long', 'request_too_large', 'unavailable'];
export const FETCH_ERRORS = ['invalid_tool_input', 'url_too_long', 'url_not_allowed', 'url_not_in_prior_context', 'url_not_accessible', 'too_many_requests', 'unsupported_content_type', 'max_uses_exceeded', 'unavailable', 'content_too_large'];
const DIRECT = { type: 'direct' };
const KEY = randomBytes(32);

const mac = (s: string) => createHmac('sha256', KEY).update(s).digest('base64url').slice(0, 22);
/** Opaque, signed: the client must send it back exactly as received (§6.2). */
export function sealed(kind: string, data: Obj): string {
  const body = Buffer.from(JSON.stringify({ k: kind, ...data })).toString('base64url');
  return `${body}.${mac(body)}`;
}
export function unsealed(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const [body, sig] = s.split('.');
  return !!body && sig === mac(body);
}

export const serverToolUseId = () => 'srvtoolu_01' + base62(22);

const toolOf = (tools: Obj[], name: string) => tools.find((t) => t.name === name && (name === 'web_search' ? SEARCH_TYPES : FETCH_TYPES).includes(String(t.type)));

function checkDomains(list: unknown, where: string): ApiError | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list) || list.some((d) => typeof d !== 'string')) return badRequest(`${where}: Input should be a valid list of strings`);
  for (const d of list as string[]) {
    // "no scheme; … `*` only in the path … Invalid domain formats are rejected at request time with a 400" (§6.1). Wording UNCONFIRMED.
    if (!d || /^[a-z]+:\/\//i.test(d) || d.split('/')[0].includes('*')) return badRequest(`${where}: invalid domain "${d}"`);
  }
  return undefined;
}

/** Server tool definitions in `tools` (custom tools are checked elsewhere). */
export function validateServerToolDefs(tools: unknown): ApiError | undefined {
  if (!Array.isArray(tools)) return undefined;
  for (let i = 0; i < tools.length; i++) {
    const t = tools[i] as Obj;
    const type = String(t.type ?? 'custom');
    const search = SEARCH_TYPES.includes(type);
    const fetch = FETCH_TYPES.includes(type);
    if (!search && !fetch) {
      if (/^web_(search|fetch)_/.test(type)) return badRequest(`tools.${i}: Input tag '${type}' found using 'type' does not match any of the expected tags`); // UNCONFIRMED wording
      continue;
    }
    const where = `tools.${i}.${type}`;
    if (t.name !== (search ? 'web_search' : 'web_fetch')) return badRequest(`${where}.name: Input should be '${search ? 'web_search' : 'web_fetch'}'`);
    if (t.max_uses !== undefined && t.max_uses !== null && !(Number.isInteger(t.max_uses) && (t.max_uses as number) > 0)) return badRequest(`${where}.max_uses: Input should be greater than 0`);
    const e = checkDomains(t.allowed_domains, `${where}.allowed_domains`) ?? checkDomains(t.blocked_domains, `${where}.blocked_domains`);
    if (e) return e;
    const both = Array.isArray(t.allowed_domains) && t.allowed_domains.length > 0 && Array.isArray(t.blocked_domains) && t.blocked_domains.length > 0;
    // "If a request includes both [domain lists], the API returns a 400 error" (§6.1). Wording UNCONFIRMED.
    if (both) return badRequest(`${where}: Only one of allowed_domains or blocked_domains can be provided`);
  }
  return undefined;
}

const RESULT_TYPES = ['web_search_tool_result', 'web_fetch_tool_result'];

/** Passed-back server blocks: search results with the encrypted_content the fake issued, known tool for a pending call. */
export function validateServerBlocks(messages: Obj[], tools: Obj[]): ApiError | undefined {
  for (let i = 0; i < messages.length; i++) {
    const content = messages[i].content;
    if (!Array.isArray(content)) continue;
    for (let j = 0; j < content.length; j++) {
      const b = content[j] as Obj;
      if (!isObj(b)) continue;
      const path = `messages.${i}.content.${j}`;
      if (b.type === 'web_search_tool_result' && Array.isArray(b.content)) {
        const k = b.content.findIndex((r) => isObj(r) && !unsealed(r.encrypted_content));
        // "If encrypted_content is missing or modified, the request fails with a 400 validation error" (§6.2). Wording UNCONFIRMED.
        if (k >= 0) return badRequest(`${path}.web_search_tool_result.content.${k}.encrypted_content: invalid or modified encrypted content`);
      }
      if (b.type === 'server_tool_use' && (b.name === 'web_search' || b.name === 'web_fetch') && !toolOf(tools, b.name)) {
        const answered = content.some((x) => isObj(x) && RESULT_TYPES.includes(String(x.type)) && x.tool_use_id === b.id);
        if (!answered && i === messages.length - 1) {
          // "the API returns a validation error if that tool is missing from the continuation" (§6.6). Text UNCONFIRMED beyond its end.
          return badRequest(`${path}: the conversation ends with a \`server_tool_use\` block \`${String(b.id)}\` but no \`${b.name}\` tool was provided`);
        }
      }
    }
  }
  return undefined;
}

/** A final assistant message holding server-tool blocks is a paused turn being continued (§6.6), not a prefill. */
export function isServerContinuation(messages: Obj[]): boolean {
  const last = messages[messages.length - 1];
  return !!last && last.role === 'assistant' && Array.isArray(last.content) && last.content.some((b) => isObj(b) && (b.type === 'server_tool_use' || RESULT_TYPES.includes(String(b.type))));
}

/** The pending call a continuation must answer first: the last block of the final assistant message, unanswered. */
function pendingCall(messages: Obj[]): Obj | undefined {
  if (!isServerContinuation(messages)) return undefined;
  const content = messages[messages.length - 1].content as Obj[];
  const last = content[content.length - 1];
  return last?.type === 'server_tool_use' ? last : undefined;
}

export interface ServerContext {
  tools: Obj[];
  messages: Obj[];
  /** Server sampling iterations before pause_turn. */
  iterations: number;
}

export interface ServerUsage {
  web_search_requests: number;
  web_fetch_requests: number;
}

export interface ServerPlan {
  blocks: ReplyBlock[];
  usage: ServerUsage | null;
  pause: boolean;
  problem?: string;
}

const host = (url: string) => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
};
const matches = (url: string, domain: string) => {
  const h = host(url);
  const d = domain.split('/')[0].toLowerCase();
  return h === d || h.endsWith(`.${d}`); // "subdomains included" (§6.1)
};
const allowedBy = (tool: Obj | undefined, url: string) => {
  if (!tool) return false;
  if (Array.isArray(tool.allowed_domains) && tool.allowed_domains.length) return (tool.allowed_domains as string[]).some((d) => matches(url, d));
  if (Array.isArray(tool.blocked_domains)) return !(tool.blocked_domains as string[]).some((d) => matches(url, d));
  return true;
};

/**
 * Applies the server's rules to a scripted reply: fills ids, answers a pending call first, enforces max_uses, the
 * domain lists and prior context, stops at the iteration limit, and counts usage. `problem` = a script error.
 */
export function planServerTools(script: ReplyBlock[], ctx: ServerContext): ServerPlan {
  const blocks: ReplyBlock[] = [];
  const seen = JSON.stringify(ctx.messages);
  let context = seen;
  const used: Record<string, number> = { web_search: 0, web_fetch: 0 };
  const usage: ServerUsage = { web_search_requests: 0, web_fetch_requests: 0 };
  const offered = ctx.tools.some((t) => SEARCH_TYPES.includes(String(t.type)) || FETCH_TYPES.includes(String(t.type)));
  let open: { id: string; name: string; input: Obj } | undefined;
  const pending = pendingCall(ctx.messages);
  if (pending) open = { id: String(pending.id), name: String(pending.name), input: isObj(pending.input) ? pending.input : {} };
  let calls = 0;
  const queue = [...script];
  if (open && !(queue[0] && RESULT_TYPES.includes(queue[0].type))) {
    // The paused call runs first even when the script did not say what it found: an empty result list.
    queue.unshift(open.name === 'web_search' ? { type: 'web_search_tool_result', results: [] } : { type: 'web_fetch_tool_result', url: String(open.input.url ?? ''), error_code: 'url_not_accessible' });
  }
  for (let i = 0; i < queue.length; i++) {
    const b = { ...queue[i] } as ReplyBlock;
    if (b.type === 'server_tool_use') {
      if (!toolOf(ctx.tools, b.name)) return { blocks, usage: null, pause: false, problem: `the scripted reply calls the server tool ${b.name}, which the request does not offer` };
      if (calls >= ctx.iterations) {
        blocks.push({ ...b, id: b.id ?? serverToolUseId() });
        return { blocks, usage, pause: true };
      }
      calls++;
      open = { id: b.id ?? serverToolUseId(), name: b.name, input: b.input };
      blocks.push({ ...b, id: open.id });
      continue;
    }
    if (b.type === 'web_search_tool_result' || b.type === 'web_fetch_tool_result') {
      const call = open;
      if (!call || (b.type === 'web_search_tool_result') !== (call.name === 'web_search')) return { blocks, usage: null, pause: false, problem: `a scripted ${b.type} has no ${b.type === 'web_search_tool_result' ? 'web_search' : 'web_fetch'} call before it` };
      open = undefined;
      const tool = toolOf(ctx.tools, call.name);
      const max = tool && Number.isInteger(tool.max_uses) ? (tool.max_uses as number) : Infinity;
      used[call.name]++;
      let error = b.error_code;
      if (!error && used[call.name] > max) error = 'max_uses_exceeded';
      if (b.type === 'web_fetch_tool_result' && !error) {
        const url = String(call.input.url ?? b.url);
        if (!allowedBy(tool, url)) error = 'url_not_allowed';
        else if (!context.includes(url)) error = 'url_not_in_prior_context';
      }
      const out: ReplyBlock = { ...b, tool_use_id: b.tool_use_id ?? call.id };
      if (error) {
        out.error_code = error;
        if (out.type === 'web_search_tool_result') delete out.results;
      } else if (out.type === 'web_search_tool_result') {
        out.results = (out.results ?? []).filter((r: WebResult) => allowedBy(tool, r.url));
        usage.web_search_requests++; // "If an error occurs during web search, the web search will not be billed"
        context += JSON.stringify(out.results);
      } else {
        usage.web_fetch_requests++;
        context += out.text ?? '';
      }
      blocks.push(out);
      continue;
    }
    blocks.push(b);
  }
  return { blocks, usage: offered ? usage : null, pause: false };
}

/** The API shape of a server-tool reply block. */
export function serverOutBlock(b: ReplyBlock): Obj | undefined {
  switch (b.type) {
    case 'server_tool_use':
      return { type: 'server_tool_use', id: b.id, name: b.name, input: b.input, caller: DIRECT };
    case 'web_search_tool_result':
      return {
        type: 'web_search_tool_result', tool_use_id: b.tool_use_id, caller: DIRECT,
        content: b.error_code ? { type: 'web_search_tool_result_error', error_code: b.error_code }
          : (b.results ?? []).map((r) => ({ type: 'web_search_result', url: r.url, title: r.title, encrypted_content: sealed('r', { u: r.url }), page_age: r.page_age ?? null })),
      };
    case 'web_fetch_tool_result':
      return {
        type: 'web_fetch_tool_result', tool_use_id: b.tool_use_id, caller: DIRECT,
        content: b.error_code ? { type: 'web_fetch_tool_result_error', error_code: b.error_code } : {
          type: 'web_fetch_result', url: b.url, retrieved_at: '2026-11-22T00:00:00Z',
          content: { type: 'document', source: { type: 'text', media_type: 'text/plain', data: b.text ?? '' }, title: b.title ?? null, citations: { enabled: true } },
        },
      };
    default:
      return undefined;
  }
}

/** Citations of a text block (web search results are always citable, §6.2). */
export function citationsOut(list: { url: string; title?: string; cited_text: string }[] | undefined): Obj[] | null {
  if (!list || !list.length) return null;
  return list.map((c) => ({ type: 'web_search_result_location', cited_text: c.cited_text.slice(0, 150), url: c.url, title: c.title ?? null, encrypted_index: sealed('i', { u: c.url }) }));
}
