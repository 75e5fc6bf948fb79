// Delivers a planned assistant message over the wire: as SSE (spec §5) or as one JSON Message (§3), with the
// scripted fault (mid-stream error, dropped socket, stall, malformed frame) injected where asked.
//
// Stream shape (§5.2–5.4): message_start (usage mandatory, §0.2 item 5) -> per block, in index order:
// content_block_start, deltas, content_block_stop; one ping right after the first content_block_start (the
// docs' examples; cadence UNCONFIRMED) -> message_delta (stop_reason, cumulative usage) -> message_stop.
// Thinking: content_block_start {thinking:"", signature:""} (2026 docs), thinking_delta*, then one
// signature_delta just before content_block_stop; with display "omitted" only the signature_delta.
// redacted_thinking: start carrying `data`, then stop, no deltas (third-party shape; UNCONFIRMED officially).
// tool_use: start with input {}, then input_json_delta fragments, the first one "".
import type * as http from 'node:http';
import type { CacheUsage } from './cache';
import { sendError, statusForErrorType } from './http';
import type { OutBlock, PlannedMessage } from './plan';
import type { StreamFault } from './replies';

/** Longest a "hang until the client goes away" stall lasts, so no test can wedge the server forever. */
export const MAX_HANG_MS = 10 * 60_000;

export interface Conn {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  closed(): boolean;
  /** Resolves when the client connection goes away. */
  gone: Promise<void>;
}

export function connOf(req: http.IncomingMessage, res: http.ServerResponse): Conn {
  let isClosed = false;
  let resolve!: () => void;
  const gone = new Promise<void>((r) => (resolve = r));
  const mark = () => {
    isClosed = true;
    resolve();
  };
  // res 'close' fires when the response is over or its connection goes away; the socket listener is a belt
  // for the braces, removed again so keep-alive sockets don't collect one listener per request.
  req.socket.on('close', mark);
  res.on('close', () => {
    req.socket.off('close', mark);
    mark();
  });
  return { req, res, closed: () => isClosed || res.destroyed, gone };
}

/** Waits `ms` (or, when undefined, until the client goes away, at most MAX_HANG_MS); returns early on close. */
export async function waitOrGone(conn: Conn, ms: number | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<void>((r) => (timer = setTimeout(r, ms ?? MAX_HANG_MS)));
  await Promise.race([t, conn.gone]);
  clearTimeout(timer);
}

/** Cuts the connection. Bytes already written are flushed first, so the client sees them, then the break. */
function drop(conn: Conn): void {
  const kill = () => {
    conn.res.socket?.destroy();
    conn.req.socket.destroy();
  };
  if (conn.res.headersSent && !conn.closed()) conn.res.write('', () => kill());
  else kill();
}

function chunks(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

function startBlock(b: OutBlock): Record<string, unknown> {
  switch (b.type) {
    case 'text':
      return { type: 'text', text: '' };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: b.data };
    case 'tool_use':
      return { type: 'tool_use', id: b.id, name: b.name, input: {} };
    case 'compaction':
      // The Python SDK fixture's start (§7.2); where the signature travels in a stream is UNCONFIRMED: here, on the start.
      return { type: 'compaction', content: null, encrypted_content: null, signature: b.signature };
    case 'server_tool_use':
      // Streams like a client tool_use (§6.4): the SDK fixture sends "input": {}.
      return { ...b, input: {} };
    default:
      // A server tool's result "arrives complete in a single content_block_start event, with no deltas" (§6.4).
      return { ...b };
  }
}

function deltas(b: OutBlock, size: number, omit: boolean): Record<string, unknown>[] {
  switch (b.type) {
    case 'text':
      // Citations follow the text they belong to, one citations_delta each (spec-more §2.4).
      // Each citation arrives as its own citations_delta after the text it belongs to (§2.4, docs example order).
      return [...chunks(b.text, size).map((text) => ({ type: 'text_delta', text })), ...(b.citations ?? []).map((citation) => ({ type: 'citations_delta', citation }))];
    case 'thinking':
      return [
        ...(omit ? [] : chunks(b.thinking, size).map((thinking) => ({ type: 'thinking_delta', thinking }))),
        { type: 'signature_delta', signature: b.signature },
      ];
    case 'redacted_thinking':
      return [];
    case 'tool_use':
    case 'server_tool_use':
      return ['', ...chunks(JSON.stringify(b.input), size)].map((partial_json) => ({ type: 'input_json_delta', partial_json }));
    case 'compaction':
      // "a single content_block_delta with the complete summary content (no intermediate streaming)" (§7.2)
      return [{ type: 'compaction_delta', content: b.content, encrypted_content: b.encrypted_content }];
    default:
      return [];
  }
}

function fullUsage(u: CacheUsage, output: number, serviceTier = 'standard', server: PlannedMessage['serverToolUse'] = null, iterations?: unknown[]): Record<string, unknown> {
  return {
    input_tokens: u.input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens,
    cache_creation: { ...u.cache_creation },
    output_tokens: output,
    server_tool_use: server ? { ...server } : null,
    service_tier: serviceTier,
    inference_geo: 'global',
    ...(iterations ? { iterations } : {}),
  };
}

/** The non-streaming Message body (§3). */
export function messageJson(msg: PlannedMessage, u: CacheUsage, serviceTier = 'standard'): Record<string, unknown> {
  return {
    id: msg.id, type: 'message', role: 'assistant', model: msg.model, content: msg.content,
    stop_reason: msg.stop_reason, stop_sequence: msg.stop_sequence, stop_details: msg.stop_details,
    usage: fullUsage(msg.topUsage ?? u, msg.output_tokens, serviceTier, msg.serverToolUse, msg.iterations), diagnostics: msg.diagnostics ?? null,
    ...(msg.contextManagement ? { context_management: msg.contextManagement } : {}),
  };
}

export async function deliverJson(conn: Conn, msg: PlannedMessage, u: CacheUsage, reqId: string, headers: Record<string, string>): Promise<void> {
  const f = msg.fault;
  if (f?.type === 'drop') return drop(conn);
  if (f?.type === 'stall') await waitOrGone(conn, f.ms);
  if (conn.closed()) return;
  if (f?.type === 'error') {
    const type = f.errorType ?? 'overloaded_error';
    return sendError(conn.res, { status: statusForErrorType(type), type, message: f.message ?? 'Overloaded' }, reqId);
  }
  const text = JSON.stringify(messageJson(msg, u));
  conn.res.writeHead(200, { 'content-type': 'application/json', 'request-id': reqId, ...headers });
  conn.res.end(f?.type === 'malformed' ? text.slice(0, Math.floor(text.length / 2)) : text);
}

export async function deliverStream(conn: Conn, msg: PlannedMessage, cacheUsage: CacheUsage, reqId: string, headers: Record<string, string>): Promise<void> {
  const { res } = conn;
  const u = msg.topUsage ?? cacheUsage;
  const f: StreamFault | undefined = msg.fault;
  if (f && f.at === 'headers') {
    if (f.type === 'drop') return drop(conn);
    if (f.type === 'stall') await waitOrGone(conn, f.ms);
  }
  if (conn.closed()) return;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': reqId, ...headers });
  res.flushHeaders();

  let hideNextEventName = false;
  const send = (type: string, payload: Record<string, unknown>): boolean => {
    if (conn.closed()) return false;
    const data = JSON.stringify({ type, ...payload });
    const hide = hideNextEventName && type === 'content_block_delta';
    if (hide) hideNextEventName = false;
    res.write(hide ? `data: ${data}\n\n` : `event: ${type}\ndata: ${data}\n\n`);
    return true;
  };

  let sent = 0;
  let fired = !f || f.at === 'headers';
  /** Fires the fault once `sent` deltas went out (or at the end). Returns false when the stream is over. */
  const checkFault = async (force = false): Promise<boolean> => {
    if (fired || !f || (!force && (f.at ?? 0) !== sent)) return !conn.closed();
    fired = true;
    switch (f.type) {
      case 'error':
        send('error', { error: { type: f.errorType ?? 'overloaded_error', message: f.message ?? 'Overloaded' } });
        res.end();
        return false;
      case 'drop':
        drop(conn);
        return false;
      case 'stall':
        await waitOrGone(conn, f.ms);
        return !conn.closed();
      case 'malformed':
        if ((f.variant ?? 'invalid-json') === 'invalid-json') {
          res.write(`event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_del\n\n`);
        } else {
          hideNextEventName = true;
        }
        return !conn.closed();
    }
  };

  send('message_start', {
    message: {
      id: msg.id, type: 'message', role: 'assistant', content: [], model: msg.model,
      stop_reason: null, stop_sequence: null, stop_details: null, usage: fullUsage(u, Math.min(1, msg.output_tokens), 'standard', null, msg.iterations ? [] : undefined),
      diagnostics: msg.diagnostics ?? null,
    },
  });
  if (!(await checkFault())) return;
  for (let index = 0; index < msg.content.length; index++) {
    const b = msg.content[index];
    if (!send('content_block_start', { index, content_block: startBlock(b) })) return;
    if (index === 0) send('ping', {});
    for (const delta of deltas(b, msg.chunkSize, msg.omitThinking)) {
      if (msg.delayMs) await waitOrGone(conn, msg.delayMs);
      if (!send('content_block_delta', { index, delta })) return;
      sent++;
      if (!(await checkFault())) return;
    }
    if (!send('content_block_stop', { index })) return;
  }
  if (msg.content.length === 0) send('ping', {});
  if (!(await checkFault(true))) return;
  send('message_delta', {
    delta: { stop_reason: msg.stop_reason, stop_sequence: msg.stop_sequence, stop_details: msg.stop_details },
    usage: {
      input_tokens: u.input_tokens,
      cache_creation_input_tokens: u.cache_creation_input_tokens,
      cache_read_input_tokens: u.cache_read_input_tokens,
      output_tokens: msg.output_tokens,
      ...(msg.iterations ? { iterations: msg.iterations } : {}),
      // Cumulative server-tool counts (§6.5), only when the request offered server tools.
      ...(msg.serverToolUse ? { server_tool_use: { ...msg.serverToolUse } } : {}),
    },
    // "the context edits are included in the final message_delta event", top-level beside delta and usage (§7.1)
    ...(msg.contextManagement ? { context_management: msg.contextManagement } : {}),
  });
  send('message_stop', {});
  res.end();
}
