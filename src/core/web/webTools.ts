// The web search and web fetch server tools (spec-more §6.1) as they go into a request: off unless the conversation
// (or claudeChat.web.enabled) turns them on; domain lists and max_uses from the settings. The basic GA versions are
// used (web_search_20250305, web_fetch_20250910): the later ones default `allowed_callers` to code execution and need
// `["direct"]` on models without programmatic tool calling (§6.1), which this chat does not use.
import type { ToolUnion } from '@anthropic-ai/sdk/resources/messages';

export const WEB_SEARCH = 'web_search';
export const WEB_FETCH = 'web_fetch';

export interface WebToolSettings {
  search: boolean;
  fetch: boolean;
  /** Only these domains (no scheme; subdomains included). Exclusive with blockedDomains. */
  allowedDomains: string[];
  blockedDomains: string[];
  /** Uses of each tool per request; undefined = no limit. */
  maxUses?: number;
}

export class WebSettingsError extends Error {}

/** "https://Docs.Example.com/path/" -> "docs.example.com/path": the API takes no scheme (§6.1). */
export function normalizeDomain(d: string): string {
  return d.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '').replace(/^([^/]*)/, (h) => h.toLowerCase());
}

function domains(list: readonly string[]): string[] {
  return [...new Set(list.map(normalizeDomain).filter(Boolean))];
}

/** The server tool definitions for `w`; throws WebSettingsError for settings the API would reject. */
export function webToolDefs(w: WebToolSettings): ToolUnion[] {
  const allowed = domains(w.allowedDomains);
  const blocked = domains(w.blockedDomains);
  if (allowed.length && blocked.length) {
    throw new WebSettingsError('claudeChat.web.allowedDomains and claudeChat.web.blockedDomains cannot both be set (the API rejects both lists). Clear one of them.');
  }
  const bad = [...allowed, ...blocked].find((d) => d.split('/')[0].includes('*') || /\s/.test(d));
  if (bad) throw new WebSettingsError(`"${bad}" is not a valid domain for claudeChat.web (no spaces; "*" only in the path).`);
  const limits = {
    ...(w.maxUses ? { max_uses: w.maxUses } : {}),
    ...(allowed.length ? { allowed_domains: allowed } : {}),
    ...(blocked.length ? { blocked_domains: blocked } : {}),
  };
  const out: ToolUnion[] = [];
  if (w.search) out.push({ type: 'web_search_20250305', name: WEB_SEARCH, ...limits });
  if (w.fetch) out.push({ type: 'web_fetch_20250910', name: WEB_FETCH, citations: { enabled: true }, ...limits });
  return out;
}
