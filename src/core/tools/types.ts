// The tool-use contract between the chat engine (the agentic loop) and whoever runs tools (the workspace).
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import type { IncomingFile } from '../attachments/types';

export interface ToolCall {
  /** The API's tool_use id. */
  id: string;
  name: string;
  input: unknown;
}

export interface ToolResult {
  toolUseId: string;
  /** Text the model sees; for failures, a clear reason it can act on. */
  content: string;
  isError: boolean;
  /** The output came from outside the extension (another extension's tool, an MCP server): shown as untrusted. */
  untrusted?: boolean;
  /** Images or PDFs the tool read (read_file on one): sent as blocks inside the tool_result. */
  media?: IncomingFile[];
}

export type { ToolStatus } from '../../shared/protocol';
import type { ToolStatus } from '../../shared/protocol';

export interface ToolRunContext {
  signal: AbortSignal;
  conversationId: string;
  /**
   * Progress for the chat card of one call (status, and a short summary such as "read 120 lines"). With
   * 'pending-approval', `protectedReason` says why this edit is always asked (it runs or configures code).
   */
  onStatus(toolUseId: string, status: ToolStatus, detail?: string, protectedReason?: string): void;
  /** After an approved edit was written: the file's text before (undefined: created) and after it (checkpoints). */
  onApplied?(change: { path: string; before: string | undefined; after: string }): void;
}

export interface ToolRunner {
  /** Definitions sent with every request. Must be byte-identical between calls (they head the cached prefix). */
  definitions(): Tool[];
  /**
   * Runs one round of calls (read-only ones may run in parallel) and returns exactly one result per call, in the
   * same order. Never rejects: failures, denials and cancellation come back as is_error results.
   */
  run(calls: ToolCall[], ctx: ToolRunContext): Promise<ToolResult[]>;
  /** Where a tool comes from when it is not one of our own (e.g. 'MCP server "notes"'), for the chat card. */
  sourceOf?(name: string): string | undefined;
}

/**
 * Tools from elsewhere (vscode.lm tools of other extensions, MCP servers) that the workspace runner offers after its
 * own and runs in the same loop (core/lm/externalTools.ts). Off with the workspace tools in Restricted Mode.
 */
export interface ExtraToolSource {
  /** Definitions offered after the workspace tools, in a stable order; names never clash with the workspace tools'. */
  definitions(): Tool[];
  /** Whether `name` is (or was, in this session) one of this source's tools. */
  owns(name: string): boolean;
  /** Where the tool comes from, for the card. */
  sourceOf(name: string): string | undefined;
  /** Runs one call: validation, approval, the call itself; never rejects. */
  run(call: ToolCall, ctx: ToolRunContext, maxOutputBytes: number): Promise<ToolResult & { status: ToolStatus; detail?: string }>;
}
