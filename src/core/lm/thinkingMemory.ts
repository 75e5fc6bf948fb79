// Thinking blocks the provider received, kept by the ids of the tool calls of the same reply. A caller sends the
// assistant turn back without them (LanguageModelThinkingPart is a proposal it may not have, and it has no place
// for the signature), but the API wants the thinking of a tool-use turn back, unmodified, while the tool loop goes
// on. So the provider puts them back itself. Bounded: the oldest entries go first.
import type { RedactedThinkingBlockParam, ThinkingBlockParam } from '@anthropic-ai/sdk/resources/messages';

export type ThinkingBlock = ThinkingBlockParam | RedactedThinkingBlockParam;

const DEFAULT_MAX = 256;

export class ThinkingMemory {
  private readonly byCall = new Map<string, ThinkingBlock[]>();

  constructor(private readonly max = DEFAULT_MAX) {}

  /** Remembers the thinking of one reply under each of its tool call ids. */
  remember(callIds: readonly string[], blocks: readonly ThinkingBlock[]): void {
    if (blocks.length === 0) return;
    for (const id of callIds) {
      this.byCall.delete(id);
      this.byCall.set(id, blocks.map((b) => ({ ...b })));
    }
    while (this.byCall.size > this.max) this.byCall.delete(this.byCall.keys().next().value as string);
  }

  /** The thinking of the reply that made this call, as fresh copies. */
  recall(callId: string): ThinkingBlock[] | undefined {
    return this.byCall.get(callId)?.map((b) => ({ ...b }));
  }

  get size(): number {
    return this.byCall.size;
  }
}
