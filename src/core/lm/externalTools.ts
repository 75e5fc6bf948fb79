// The tools of other extensions and MCP servers (vscode.lm.tools) in our agentic loop, vscode-free. Offered after
// our workspace tools with their JSON schemas, under names that never clash with ours, in a stable order
// (toolOrder.ts). A call is checked against the tool's schema, asked about unless the user allowed that tool for the
// conversation or the workspace, invoked with cancellation, and answered with its output marked untrusted.
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { CANCELLED } from '../tools/runner';
import { TOOL_NAMES } from '../tools/definitions';
import type { ExtraToolSource, ToolCall, ToolResult, ToolRunContext, ToolStatus } from '../tools/types';
import type { ApprovalDecision, ToolApprovalRequest } from '../tools/workspace';
import type { Logger } from '../ports';
import { nullLogger } from '../ports';
import { plural } from '../tools/text';
import type { LmPart } from './parts';
import { inputSchema } from './request';
import { checkInput, MAX_SCHEMA_CHARS } from './schema';
import { StableToolOrder } from './toolOrder';
import { ToolNameMap } from './toolNames';
import { resultText, untrustedResult } from './toolResults';

export type ToolOrigin = { kind: 'mcp'; server: string } | { kind: 'extension'; id: string; name: string } | { kind: 'vscode' };

export interface ExternalTool {
  /** The name VS Code knows it by (what invokeTool takes). */
  name: string;
  description: string;
  inputSchema: unknown;
  tags: readonly string[];
  origin: ToolOrigin;
}

export function originLabel(o: ToolOrigin): string {
  switch (o.kind) {
    case 'mcp':
      return `MCP server "${o.server}"`;
    case 'extension':
      return o.name && o.name !== o.id ? `extension "${o.name}" (${o.id})` : `extension ${o.id}`;
    case 'vscode':
      return 'VS Code';
  }
}

export interface ExternalToolsPort {
  /** The tools to offer now: available, and switched on by the user. Read on every request. */
  available(): ExternalTool[];
  /** Calls the tool (vscode.lm.invokeTool); rejects on failure; aborts with the signal. */
  invoke(name: string, input: object, signal: AbortSignal): Promise<LmPart[]>;
  /** Asks the user (the chat card and a notification); resolves 'reject' when the signal aborts. */
  approve(request: ToolApprovalRequest, conversationId: string, signal: AbortSignal): Promise<ApprovalDecision>;
  /** Tools the user allowed in this workspace (by VS Code name). */
  workspaceAllowed: { has(name: string): boolean; add(name: string): Promise<void> };
  /** Where the offer order is kept between sessions (per workspace); optional. */
  order?: { load(): [string, string][]; save(order: [string, string][]): void };
}

const MAX_DESCRIPTION = 4000;

interface Offered {
  tool: ExternalTool;
  definition: Tool;
}

export class ExternalToolSource implements ExtraToolSource {
  private readonly names = new ToolNameMap(new Set(TOOL_NAMES));
  private readonly order: StableToolOrder;
  /** API name -> the tool as offered in the last definitions(). */
  private offered = new Map<string, Offered>();
  /** API names handed out this session (a call to one that went away still gets a clear answer). */
  private readonly everOffered = new Map<string, ToolOrigin>();
  private readonly conversationAllowed = new Map<string, Set<string>>();
  private lastSaved = '';

  constructor(private readonly port: ExternalToolsPort, private readonly logger: Logger = nullLogger) {
    this.order = new StableToolOrder(port.order?.load() ?? []);
  }

  definitions(): Tool[] {
    const candidates: (Offered & { name: string; fingerprint: string })[] = [];
    for (const tool of this.port.available()) {
      const def = this.definition(tool);
      if (def) candidates.push({ tool, definition: def, name: tool.name, fingerprint: JSON.stringify([def.description, def.input_schema]) });
    }
    const arranged = this.order.arrange(candidates);
    this.offered = new Map(arranged.map((o) => [o.definition.name, { tool: o.tool, definition: o.definition }]));
    for (const o of arranged) this.everOffered.set(o.definition.name, o.tool.origin);
    this.saveOrder();
    return arranged.map((o) => structuredClone(o.definition));
  }

  owns(name: string): boolean {
    return this.offered.has(name) || this.everOffered.has(name);
  }

  sourceOf(name: string): string | undefined {
    const origin = this.offered.get(name)?.tool.origin ?? this.everOffered.get(name);
    return origin ? originLabel(origin) : undefined;
  }

  /** Forgets "allow for this conversation" (e.g. trust was withdrawn). */
  clearConversationApprovals(): void {
    this.conversationAllowed.clear();
  }

  async run(call: ToolCall, ctx: ToolRunContext, maxOutputBytes: number): Promise<ToolResult & { status: ToolStatus; detail?: string }> {
    const fail = (content: string, status: ToolStatus = 'error', detail?: string) => ({ toolUseId: call.id, content, isError: true, status, detail });
    const offered = this.offered.get(call.name);
    if (!offered) {
      const where = this.sourceOf(call.name);
      return fail(`The tool "${call.name}"${where ? ` (${where})` : ''} is no longer available: its extension or MCP server stopped, or it was switched off. Do not call it again in this conversation unless the user turns it back on.`);
    }
    const { tool } = offered;
    const label = originLabel(tool.origin);
    const check = checkInput(tool.inputSchema, call.input);
    if (!check.ok) return fail(check.reason, 'error', 'input does not match the schema');
    if (!this.preApproved(tool.name, ctx.conversationId)) {
      const summary = summarize(call.name, call.input);
      try {
        // The card names the source on its own line; the status stays short.
        ctx.onStatus(call.id, 'pending-approval', summary);
      } catch (e) {
        this.logger.warn(`tools: onStatus failed: ${String(e)}`);
      }
      let d: ApprovalDecision;
      try {
        d = await this.port.approve({ id: call.id, tool: call.name, summary, source: label }, ctx.conversationId, ctx.signal);
      } catch (e) {
        return fail(`Could not ask the user to approve ${call.name}: ${message(e)}. The tool was not called.`);
      }
      if (ctx.signal.aborted) return fail(CANCELLED, 'cancelled');
      if (d === 'reject') return fail(`The user declined this call of ${call.name} (${label}); it was not run.`, 'denied');
      if (d === 'always') this.allowForConversation(tool.name, ctx.conversationId);
      if (d === 'workspace') await this.port.workspaceAllowed.add(tool.name).catch((e: unknown) => this.logger.warn(`tools: could not remember the workspace approval: ${message(e)}`));
    }
    try {
      ctx.onStatus(call.id, 'running', '');
    } catch (e) {
      this.logger.warn(`tools: onStatus failed: ${String(e)}`);
    }
    try {
      const parts = await this.port.invoke(tool.name, call.input as object, ctx.signal);
      if (ctx.signal.aborted) return fail(CANCELLED, 'cancelled');
      const output = resultText(parts);
      return { toolUseId: call.id, content: untrustedResult(call.name, label, output, maxOutputBytes), isError: false, untrusted: true, status: 'done', detail: plural(output.length, 'character') };
    } catch (e) {
      if (ctx.signal.aborted || (e instanceof Error && /cancel/i.test(e.name))) return fail(CANCELLED, 'cancelled');
      const text = untrustedResult(call.name, label, `The tool failed: ${message(e)}`, maxOutputBytes);
      return { ...fail(text), untrusted: true, detail: 'the tool failed' };
    }
  }

  private preApproved(name: string, conversationId: string): boolean {
    return this.port.workspaceAllowed.has(name) || (this.conversationAllowed.get(conversationId)?.has(name) ?? false);
  }

  private allowForConversation(name: string, conversationId: string): void {
    let set = this.conversationAllowed.get(conversationId);
    if (!set) this.conversationAllowed.set(conversationId, (set = new Set()));
    set.add(name);
  }

  private definition(tool: ExternalTool): Tool | undefined {
    let schemaChars = 0;
    try {
      schemaChars = JSON.stringify(tool.inputSchema ?? {}).length;
    } catch {
      schemaChars = Infinity;
    }
    if (schemaChars > MAX_SCHEMA_CHARS) {
      this.logger.warn(`tools: not offering ${tool.name}: its input schema is not plain JSON or too large (${schemaChars} characters)`);
      return undefined;
    }
    const description = (tool.description || tool.name).slice(0, MAX_DESCRIPTION);
    return { name: this.names.add(tool.name), description: `${description}\n(From ${originLabel(tool.origin)}.)`, input_schema: inputSchema(tool.inputSchema) };
  }

  private saveOrder(): void {
    if (!this.port.order) return;
    const snap = this.order.snapshot();
    const text = JSON.stringify(snap);
    if (text === this.lastSaved) return;
    this.lastSaved = text;
    this.port.order.save(snap);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The call as a short line: the tool and the first string argument. */
function summarize(name: string, input: unknown): string {
  const first = typeof input === 'object' && input !== null ? Object.values(input).find((v) => typeof v === 'string') : undefined;
  if (typeof first !== 'string') return name;
  return `${name} ${JSON.stringify(first.length > 60 ? `${first.slice(0, 59)}…` : first)}`;
}
