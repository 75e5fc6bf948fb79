// One streaming request: folds raw SSE events into the turn's blocks, reports deltas, and watches for stalls.
import type { MessageCreateParamsStreaming, MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { SessionEvent, UsageView } from '../shared/protocol';
import type { ApiDiagnostics } from './cacheDoctor';
import { Block, toBlockView, Turn } from './conversation';
import type { AnthropicClient } from './sdk';
import { CitationMapper } from './attachments/citations';
import { citationView, MAX_CITATIONS, serverBlockFromStart } from './web/blocks';

/** The events a stream reports, each after the block it describes changed. */
export type StreamEvent = Extract<SessionEvent, { type: 'blockStart' | 'blockDelta' | 'blockStop' | 'citation' | 'blockCitations' }>;

/** The partial result of a stream that failed or was stopped, attached to the error it threw. */
export function partialOf(err: unknown): StreamResult | undefined {
  return err && typeof err === 'object' ? (err as { partial?: StreamResult }).partial : undefined;
}

export interface StreamResult {
  usage: UsageView;
  /** The raw API usage object of message_delta merged over message_start, for exact accounting. */
  apiUsage: Record<string, unknown>;
  stopReason: string | null;
  stopSequence: string | null;
  /** The response's id (msg_…), for the next request's `diagnostics.previous_message_id`. */
  messageId?: string;
  /** Message.diagnostics: why the cache could not reuse the previous request's prefix, when asked. */
  diagnostics?: ApiDiagnostics | null;
}

/** Thrown when the stream sent nothing for `stallTimeoutMs`. */
export class StallError extends Error {
  constructor(readonly seconds: number) {
    super(`No data from the API for ${seconds} s.`);
    this.name = 'StallError';
  }
}

export async function streamReply(
  client: AnthropicClient,
  params: MessageCreateParamsStreaming,
  turn: Turn,
  emit: (e: StreamEvent) => void,
  signal: AbortSignal,
  stallTimeoutMs = 0,
): Promise<StreamResult> {
  const local = new AbortController();
  const onAbort = () => local.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (!stallTimeoutMs) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      local.abort();
    }, stallTimeoutMs);
  };
  const { stream: _s, ...body } = params;
  const result: StreamResult = {
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    apiUsage: {},
    stopReason: null,
    stopSequence: null,
  };
  const byIndex = new Map<number, Block>();
  const citations = new CitationMapper(params.messages);
  try {
    arm();
    // Beta features (context editing, compaction blocks: core/session/) go through the beta client with `betas`.
    const stream: AsyncIterable<MessageStreamEvent> =
      'betas' in body && body.betas ? (client.beta.messages.stream(body as never, { signal: local.signal }) as AsyncIterable<never>) : client.messages.stream(body, { signal: local.signal });
    for await (const event of stream) {
      arm();
      fold(turn, event, result, byIndex, emit, citations);
    }
    return result;
  } catch (err) {
    const thrown = stalled && !signal.aborted ? new StallError(Math.round(stallTimeoutMs / 1000)) : err;
    // What arrived before the failure, so the caller can still account for the billed input.
    if (thrown && typeof thrown === 'object') (thrown as { partial?: StreamResult }).partial = result;
    throw thrown;
  } finally {
    if (timer) clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A citation of a text block. A web result (web_search_result_location) is gathered on the block and reported with
 * the block's end as numbered links; any other (an attached document's char/page location) is a PDF footnote, kept
 * on the block and reported at once.
 */
function cite(turn: Turn, block: Block, raw: unknown, map: CitationMapper, emit: (e: StreamEvent) => void): void {
  const web = citationView(raw);
  if (web) {
    if ((block.webCitations ??= []).length < MAX_CITATIONS) block.webCitations.push(web);
    return;
  }
  if ((raw as { type?: unknown } | null)?.type === 'web_search_result_location') return; // malformed web citation
  const citation = map.view(raw);
  if (!citation) return;
  (block.citations ??= []).push(citation);
  emit({ type: 'citation', turnId: turn.id, blockId: block.id, citation });
}

function fold(turn: Turn, event: MessageStreamEvent, r: StreamResult, byIndex: Map<number, Block>, emit: (e: StreamEvent) => void, citations: CitationMapper): void {
  switch (event.type) {
    case 'message_start': {
      r.messageId = event.message.id;
      r.diagnostics = (event.message as { diagnostics?: ApiDiagnostics | null }).diagnostics ?? null;
      const u = event.message.usage;
      r.apiUsage = { ...u };
      r.usage.inputTokens = u.input_tokens;
      r.usage.cacheReadTokens = u.cache_read_input_tokens ?? 0;
      r.usage.cacheWriteTokens = u.cache_creation_input_tokens ?? 0;
      r.usage.outputTokens = u.output_tokens;
      return;
    }
    case 'content_block_start': {
      const cb = event.content_block;
      const block: Block = { id: `${turn.id}b${turn.blocks.length}`, kind: 'text', text: '', complete: false };
      if (cb.type === 'text') block.text = cb.text;
      else if (cb.type === 'thinking') {
        block.kind = 'thinking';
        block.text = cb.thinking;
        block.signature = cb.signature || undefined;
      } else if (cb.type === 'redacted_thinking') {
        block.kind = 'redacted_thinking';
        block.data = cb.data;
      } else if (cb.type === 'tool_use') {
        block.kind = 'tool_use';
        block.toolId = cb.id;
        block.toolName = cb.name;
      } else if (!serverBlockFromStart(cb as unknown as Record<string, unknown>, block)) return; // other server tools: not offered
      turn.blocks.push(block);
      byIndex.set(event.index, block);
      emit({ type: 'blockStart', turnId: turn.id, block: toBlockView(block) });
      if (cb.type === 'text') for (const c of cb.citations ?? []) cite(turn, block, c, citations, emit);
      return;
    }
    case 'content_block_delta': {
      const block = byIndex.get(event.index);
      if (!block) return;
      const d = event.delta;
      let text: string | undefined;
      if (d.type === 'text_delta') text = d.text;
      else if (d.type === 'thinking_delta') text = d.thinking;
      else if (d.type === 'input_json_delta') text = d.partial_json;
      else if (d.type === 'signature_delta') block.signature = d.signature;
      else if (d.type === 'citations_delta') cite(turn, block, d.citation, citations, emit);
      if (text) {
        block.text += text;
        emit({ type: 'blockDelta', turnId: turn.id, blockId: block.id, text });
      }
      return;
    }
    case 'content_block_stop': {
      const block = byIndex.get(event.index);
      if (!block) return;
      block.complete = true;
      if (block.kind === 'tool_use' || block.kind === 'server_tool_use') block.input = parseInput(block.text);
      if (block.webCitations?.length) emit({ type: 'blockCitations', turnId: turn.id, blockId: block.id, citations: block.webCitations.map((c) => ({ ...c })) });
      emit({ type: 'blockStop', turnId: turn.id, blockId: block.id });
      return;
    }
    case 'message_delta': {
      r.stopReason = event.delta.stop_reason;
      r.stopSequence = event.delta.stop_sequence ?? null;
      const u = event.usage;
      for (const [k, v] of Object.entries(u)) if (v !== null && v !== undefined) r.apiUsage[k] = v;
      r.usage.outputTokens = u.output_tokens;
      if (u.input_tokens != null) r.usage.inputTokens = u.input_tokens;
      if (u.cache_read_input_tokens != null) r.usage.cacheReadTokens = u.cache_read_input_tokens;
      if (u.cache_creation_input_tokens != null) r.usage.cacheWriteTokens = u.cache_creation_input_tokens;
      // Cumulative server-tool counts (spec-more §6.5).
      const searches = u.server_tool_use?.web_search_requests;
      const fetches = u.server_tool_use?.web_fetch_requests;
      if (searches) r.usage.webSearchRequests = searches;
      if (fetches) r.usage.webFetchRequests = fetches;
      const late = (event as { diagnostics?: ApiDiagnostics | null }).diagnostics;
      if (late) r.diagnostics = late; // UNCONFIRMED whether the API ever sends it here; message_start has it
      return;
    }
    default:
      return;
  }
}

/** The complete input JSON of a tool call; empty input is {}; unparseable input is kept as the raw string. */
function parseInput(json: string): unknown {
  if (!json.trim()) return {};
  try {
    return JSON.parse(json);
  } catch {
    return { _invalid_json: json };
  }
}
