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
}

export interface ToolRunner {
  /** Definitions sent with every request. Must be byte-identical between calls (they head the cached prefix). */
  definitions(): Tool[];
  /**
   * Runs one round of calls (read-only ones may run in parallel) and returns exactly one result per call, in the
   * same order. Never rejects: failures, denials and cancellation come back as is_error results.
   */
  run(calls: ToolCall[], ctx: ToolRunContext): Promise<ToolResult[]>;
}
