// The other sources of tools the workspace runner offers after its own (vscode.lm tools, MCP: core/lm/externalTools.ts),
// kept apart so the runner only asks "whose is this call?" and runs it. Our own tool names always stay ours.
import { capOutput } from './text';
import { isToolName } from './definitions';
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import type { ExtraToolSource, ToolCall, ToolResult, ToolRunContext, ToolStatus } from './types';

export class ExtraSources {
  private readonly list: ExtraToolSource[] = [];

  add(source: ExtraToolSource, changed: () => void): { dispose(): void } {
    this.list.push(source);
    changed();
    return {
      dispose: () => {
        const i = this.list.indexOf(source);
        if (i >= 0) this.list.splice(i, 1);
        changed();
      },
    };
  }

  definitions(): Tool[] {
    return this.list.flatMap((s) => s.definitions());
  }

  /** The source of a call, unless the name is one of the workspace tools'. */
  find(name: string): ExtraToolSource | undefined {
    return isToolName(name) ? undefined : this.list.find((s) => s.owns(name));
  }

  sourceOf(name: string): string | undefined {
    return this.find(name)?.sourceOf(name);
  }

  /** Runs one call of `source` (asked about and run alone), bounded; reports the final status. */
  async run(source: ExtraToolSource, call: ToolCall, ctx: ToolRunContext, maxBytes: number, status: (s: ToolStatus, detail: string) => void): Promise<ToolResult> {
    const r = await source.run(call, ctx, maxBytes);
    status(r.status, r.detail ?? r.content.split('\n', 1)[0].slice(0, 120));
    return { toolUseId: call.id, content: capOutput(r.content, maxBytes), isError: r.isError, ...(r.untrusted ? { untrusted: true } : {}) };
  }
}
