// One round of the agentic loop's tool calls: find the calls still waiting for an answer, run them, and append one
// tool_result block per call to the turn (in call order), telling the listener as they land.
import type { Block, Turn } from './conversation';
import type { ToolStatus } from '../shared/protocol';
import type { ToolCall, ToolRunner } from './tools/types';

export interface ToolRoundListener {
  blockStart(turnId: string, block: Block): void;
  blockStop(turnId: string, blockId: string): void;
  toolStatus?(turnId: string, toolId: string, status: ToolStatus, detail?: string, protectedReason?: string): void;
}

/** Tool calls of the turn that have no result yet. */
export function pendingCalls(turn: Turn): ToolCall[] {
  const answered = new Set(turn.blocks.filter((b) => b.kind === 'tool_result').map((b) => b.toolId));
  return turn.blocks
    .filter((b) => b.kind === 'tool_use' && b.complete && b.toolId && !answered.has(b.toolId))
    .map((b) => ({ id: b.toolId!, name: b.toolName ?? '', input: b.input }));
}

export async function runToolRound(turn: Turn, calls: ToolCall[], runner: ToolRunner, signal: AbortSignal, conversationId: string, L: ToolRoundListener): Promise<void> {
  const byTool = new Map(turn.blocks.filter((b) => b.kind === 'tool_use').map((b) => [b.toolId, b]));
  const results = await runner.run(calls, {
    signal,
    conversationId,
    onStatus: (toolId, status, detail, protectedReason) => {
      const b = byTool.get(toolId);
      if (b) b.toolStatus = status;
      L.toolStatus?.(turn.id, toolId, status, detail, protectedReason);
    },
  });
  for (const call of calls) {
    const r = results.find((x) => x.toolUseId === call.id) ?? { toolUseId: call.id, content: 'The tool did not return a result.', isError: true };
    const block: Block = { id: `${turn.id}b${turn.blocks.length}`, kind: 'tool_result', text: r.content, complete: true, toolId: call.id, isError: r.isError };
    turn.blocks.push(block);
    L.blockStart(turn.id, block);
    L.blockStop(turn.id, block.id);
  }
}
