// One round of the agentic loop's tool calls: find the calls still waiting for an answer, run them, and append one
// tool_result block per call to the turn (in call order), reporting each as it lands.
import { Block, toBlockView, Turn } from './conversation';
import type { SessionEvent } from '../shared/protocol';
import type { ToolCall, ToolRunContext, ToolRunner } from './tools/types';
import { type Attachment, type IncomingFile, isRefusal, type Refusal } from './attachments/types';

/** Takes in an image or PDF a tool returned (limits, downscaling, the store). */
export type ToolMediaIntake = (file: IncomingFile) => Promise<Attachment | Refusal>;

/** The events a tool round reports, each after the turn changed. */
export type ToolRoundEvent = Extract<SessionEvent, { type: 'blockStart' | 'blockStop' | 'toolStatus' }>;

/** Tool calls of the turn that have no result yet. */
export function pendingCalls(turn: Turn): ToolCall[] {
  const answered = new Set(turn.blocks.filter((b) => b.kind === 'tool_result').map((b) => b.toolId));
  return turn.blocks
    .filter((b) => b.kind === 'tool_use' && b.complete && b.toolId && !answered.has(b.toolId))
    .map((b) => ({ id: b.toolId!, name: b.toolName ?? '', input: b.input }));
}

export async function runToolRound(
  turn: Turn,
  calls: ToolCall[],
  runner: ToolRunner,
  signal: AbortSignal,
  conversationId: string,
  emit: (e: ToolRoundEvent) => void,
  onApplied?: ToolRunContext['onApplied'],
  media?: ToolMediaIntake,
): Promise<void> {
  const byTool = new Map(turn.blocks.filter((b) => b.kind === 'tool_use').map((b) => [b.toolId, b]));
  // Tools of other extensions and MCP servers: the card says where each comes from.
  const sources = new Map(calls.map((c) => [c.id, runner.sourceOf?.(c.name)]));
  for (const [id, source] of sources) {
    const b = byTool.get(id);
    if (b && source !== undefined) b.toolSource = source;
  }
  const results = await runner.run(calls, {
    signal,
    conversationId,
    onApplied,
    onStatus: (toolId, status, detail, protectedReason) => {
      // A protected edit (a file that runs or configures code) carries why it is always asked, while it waits.
      const reason = status === 'pending-approval' ? protectedReason : undefined;
      const b = byTool.get(toolId);
      if (b) {
        b.toolStatus = status;
        if (reason === undefined) delete b.protectedReason;
        else b.protectedReason = reason;
      }
      const source = sources.get(toolId);
      emit({ type: 'toolStatus', turnId: turn.id, toolId, status, ...(detail !== undefined ? { detail } : {}), ...(reason !== undefined ? { protectedReason: reason } : {}), ...(source !== undefined ? { source } : {}) });
    },
  });
  for (const call of calls) {
    const r = results.find((x) => x.toolUseId === call.id) ?? { toolUseId: call.id, content: 'The tool did not return a result.', isError: true };
    const block: Block = { id: `${turn.id}b${turn.blocks.length}`, kind: 'tool_result', text: r.content, complete: true, toolId: call.id, isError: r.isError };
    if (r.untrusted) block.untrusted = true;
    if (r.media?.length) await attachMedia(block, r.media, media);
    turn.blocks.push(block);
    emit({ type: 'blockStart', turnId: turn.id, block: toBlockView(block) });
    emit({ type: 'blockStop', turnId: turn.id, blockId: block.id });
  }
}

/** An image or PDF from a tool goes inside its tool_result, within the same limits as a pasted one; else the result says why. */
async function attachMedia(block: Block, files: IncomingFile[], media: ToolMediaIntake | undefined): Promise<void> {
  const reasons: string[] = [];
  for (const f of files) {
    const r = media ? await media(f).catch((e: unknown) => ({ refused: `"${f.name}" could not be attached: ${e instanceof Error ? e.message : String(e)}.` })) : { refused: `"${f.name}" could not be attached: images and PDFs are not available here.` };
    if (isRefusal(r)) reasons.push(r.refused);
    else (block.attachments ??= []).push(r);
  }
  if (reasons.length) {
    block.text = `${block.text}\n${reasons.join('\n')}`;
    if (!block.attachments?.length) block.isError = true;
  }
}
