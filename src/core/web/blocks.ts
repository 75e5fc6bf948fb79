// The web server tools' blocks in a turn (spec-more §6.2): a server_tool_use (its input streams like a tool_use), a
// web_search_tool_result / web_fetch_tool_result that arrives whole, and citations on text. The result blocks are kept
// exactly as received (`raw`, with encrypted_content) to go back to the API unchanged; what the chat shows (`sources`)
// is a bounded copy of the untrusted titles and URLs.
import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { SourceView, WebCitationView } from '../../shared/protocol';
import type { Block } from '../conversation';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const MAX_SOURCES = 50;
export const MAX_CITATIONS = 100;
const MAX_URL = 2048;
const MAX_TITLE = 300;
const MAX_CITED = 500;

const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');

function source(url: unknown, title: unknown, pageAge?: unknown): SourceView {
  const s: SourceView = { url: str(url, MAX_URL), title: str(title, MAX_TITLE) || str(url, MAX_TITLE) };
  if (typeof pageAge === 'string' && pageAge) s.pageAge = str(pageAge, 100);
  return s;
}

/** Fills `block` from a server-tool content_block_start. False for a block type this file does not know. */
export function serverBlockFromStart(cb: Obj, block: Block): boolean {
  switch (cb.type) {
    case 'server_tool_use':
      block.kind = 'server_tool_use';
      block.toolId = str(cb.id, 200);
      block.toolName = str(cb.name, 100);
      return true;
    case 'web_search_tool_result': {
      block.kind = 'web_search_tool_result';
      block.toolId = str(cb.tool_use_id, 200);
      block.raw = cb;
      if (Array.isArray(cb.content)) block.sources = cb.content.filter(isObj).slice(0, MAX_SOURCES).map((r) => source(r.url, r.title, r.page_age));
      else if (isObj(cb.content)) block.errorCode = str(cb.content.error_code, 100) || 'unavailable';
      return true;
    }
    case 'web_fetch_tool_result': {
      block.kind = 'web_fetch_tool_result';
      block.toolId = str(cb.tool_use_id, 200);
      block.raw = cb;
      const c = isObj(cb.content) ? cb.content : {};
      if (c.type === 'web_fetch_result') block.sources = [source(c.url, isObj(c.content) ? c.content.title : undefined)];
      else block.errorCode = str(c.error_code, 100) || 'unavailable';
      return true;
    }
    default:
      return false;
  }
}

/** A citations_delta's citation as the chat shows it; only web results link anywhere (others are skipped). */
export function citationView(c: unknown): WebCitationView | undefined {
  if (!isObj(c) || c.type !== 'web_search_result_location' || typeof c.url !== 'string') return undefined;
  const v: WebCitationView = { url: str(c.url, MAX_URL), citedText: str(c.cited_text, MAX_CITED) };
  if (typeof c.title === 'string' && c.title) v.title = str(c.title, MAX_TITLE);
  return v;
}

/** A server-tool block as it goes back in an assistant message, or undefined when it must not. */
export function serverBlockParam(b: Block, answered: ReadonlySet<string>): ContentBlockParam | undefined {
  if (b.kind === 'server_tool_use') {
    if (!b.complete || !b.toolId || !answered.has(b.toolId)) return undefined;
    return { type: 'server_tool_use', id: b.toolId, name: b.toolName as 'web_search', input: (b.input ?? {}) as Record<string, unknown> };
  }
  if ((b.kind === 'web_search_tool_result' || b.kind === 'web_fetch_tool_result') && isObj(b.raw)) return b.raw as unknown as ContentBlockParam;
  return undefined;
}

/** Server-tool block kinds. */
export const isServerBlock = (kind: Block['kind']) => kind === 'server_tool_use' || kind === 'web_search_tool_result' || kind === 'web_fetch_tool_result';
