// Token usage of one API response, as reported by the API (message_start + message_delta, or a batch result).

export interface UsageRecord {
  /** Model id the request was sent to. */
  model: string;
  /** Uncached input tokens (after the last cache breakpoint). */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** Cache writes with the 5-minute TTL. */
  cacheWrite5mTokens: number;
  /** Cache writes with the 1-hour TTL. */
  cacheWrite1hTokens: number;
  /** Message Batches requests are billed at 50%. */
  batch: boolean;
  /** Epoch ms when the response ended. */
  at: number;
  /** What produced it: a chat turn, a tool round, explain/refactor, a batch item, a conversation's compaction, another extension through the provider. */
  kind: 'chat' | 'tool' | 'command' | 'batch' | 'compaction' | 'provider';
  /** Set for chat/tool usage: the conversation it belongs to. */
  conversationId?: string;
  /** Set for provider usage: the extension that sent the request (its id), 'core' or '(unknown)'. */
  caller?: string;
  /** True when the counts are final (from the API); false for a live estimate while streaming. */
  exact: boolean;
  /** usage.server_tool_use.web_search_requests: billed per search (errored searches are not counted). */
  webSearchRequests?: number;
  /** usage.server_tool_use.web_fetch_requests: no charge beyond tokens. */
  webFetchRequests?: number;
}

/** A usage record from an SDK `usage` object. Missing fields count as 0. */
export function usageFromApi(
  u: {
    input_tokens?: number | null;
    output_tokens?: number | null;
    cache_read_input_tokens?: number | null;
    cache_creation_input_tokens?: number | null;
    cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
    server_tool_use?: { web_search_requests?: number | null; web_fetch_requests?: number | null } | null;
  },
  rest: Pick<UsageRecord, 'model' | 'batch' | 'at' | 'kind' | 'conversationId' | 'caller'>,
): UsageRecord {
  const created = u.cache_creation_input_tokens ?? 0;
  const w1h = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const w5m = u.cache_creation ? u.cache_creation.ephemeral_5m_input_tokens ?? 0 : created;
  const r: UsageRecord = {
    ...rest,
    inputTokens: u.input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
    cacheReadTokens: u.cache_read_input_tokens ?? 0,
    cacheWrite5mTokens: w5m,
    cacheWrite1hTokens: w1h,
    exact: true,
  };
  const searches = u.server_tool_use?.web_search_requests;
  const fetches = u.server_tool_use?.web_fetch_requests;
  if (typeof searches === 'number' && searches > 0) r.webSearchRequests = searches;
  if (typeof fetches === 'number' && fetches > 0) r.webFetchRequests = fetches;
  return r;
}

/** The token counts of one response or of a sum of them (same field names as UsageRecord), and its web searches. */
export type Tokens = Pick<UsageRecord, 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWrite5mTokens' | 'cacheWrite1hTokens' | 'webSearchRequests'>;

/** A sum of costs where some parts may be unknown: `known` dollars plus how many tokens had no price. */
export interface CostSum {
  known: number;
  unknownTokens: number;
  /** Models seen without a price. */
  unknownModels: string[];
}

/** All prompt tokens of a request: uncached input + cache writes + cache reads (§3, "Total input tokens"). */
export function promptTokens(t: Tokens): number {
  return t.inputTokens + t.cacheReadTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens;
}

export function totalTokens(t: Tokens): number {
  return promptTokens(t) + t.outputTokens;
}
