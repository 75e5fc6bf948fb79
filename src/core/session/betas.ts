// The beta features a long session uses (reference: anthropic-wire-spec-more.md §0.1, §7). Both exist only on the
// SDK's beta client (`client.beta.messages`), which sends these values in `anthropic-beta`.
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';

/** Context editing: `context_management.edits` with clear_tool_uses_20250919. */
export const CONTEXT_MANAGEMENT_BETA = 'context-management-2025-06-27';
/** On-demand compaction (`compaction: {type:"summarize"}`) and compaction blocks sent back. */
export const COMPACTION_BETA = 'compact-2026-09-04';

/** A Messages request that may use beta features: then it goes through the beta client with `betas`. */
export type SessionParams = MessageCreateParamsStreaming & {
  betas?: string[];
  context_management?: { edits: Record<string, unknown>[] };
};
