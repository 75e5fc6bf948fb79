// vscode.lm.tools in our agentic loop: which tools exist and where each comes from (an MCP server by its `mcp` tag
// and name, another extension by its contributes.languageModelTools, else VS Code itself), which the user switched
// on in this workspace (MCP tools on by default; other tools by name: VS Code's own assume a chat session and
// are not offered wholesale, reference §2.2), and the port the core source calls: invokeTool with cancellation, the
// approval, the workspace's "allowed" list. All choices are kept per workspace (workspaceState).
import * as vscode from 'vscode';
import type { ExternalTool, ExternalToolsPort, ToolOrigin } from '../../core/lm/externalTools';
import type { LmPart } from '../../core/lm/parts';
import type { Logger } from '../../core/ports';
import type { Approver } from '../../core/tools/workspace';
import { toLmPart } from './convert';
import { type McpServerInfo, serverOfTool } from './mcpServers';

const TOGGLES = 'claudeChat.lmTools.toggles';
const ALLOWED = 'claudeChat.lmTools.allowedInWorkspace';
const ORDER = 'claudeChat.lmTools.order';
const SETTING = 'claudeChat.lmTools.enabled';

export interface CatalogEntry extends ExternalTool {
  enabled: boolean;
  allowedInWorkspace: boolean;
}

export class ToolBridge implements ExternalToolsPort {
  /** Servers configured for VS Code (refreshed by the picker and at start), to name a tool's server. */
  servers: McpServerInfo[] = [];

  constructor(private readonly state: vscode.Memento, private readonly approver: Approver, private readonly selfId: string, private readonly logger: Logger) {}

  /** Which extension contributes each tool: read from every extension's package.json, kept until extensions change. */
  private owners: Map<string, { id: string; name: string }> | undefined;

  /** Extensions were installed, removed, enabled or disabled: the owners are read again when next needed. */
  extensionsChanged(): void {
    this.owners = undefined;
  }

  /** Every vscode.lm tool except our own, with where it comes from and the user's choices. */
  catalog(): CatalogEntry[] {
    // Built for every request's tool list; vscode.extensions.all makes a new object per extension on each call.
    const owners = (this.owners ??= contributedTools(this.selfId));
    const toggles = this.toggles();
    const allowed = new Set(this.allowedList());
    return vscode.lm.tools
      .filter((t) => owners.get(t.name)?.id !== this.selfId)
      .map((t) => {
        const origin = originOf(t, owners, this.servers);
        return {
          name: t.name,
          description: t.description,
          inputSchema: t.inputSchema,
          tags: [...t.tags],
          origin,
          enabled: toggles[t.name] ?? origin.kind === 'mcp',
          allowedInWorkspace: allowed.has(t.name),
        };
      });
  }

  available(): ExternalTool[] {
    if (vscode.workspace.getConfiguration().get<boolean>(SETTING, true) === false) return [];
    return this.catalog().filter((t) => t.enabled);
  }

  async setEnabled(changes: Record<string, boolean>): Promise<void> {
    await this.state.update(TOGGLES, { ...this.toggles(), ...changes });
  }

  async invoke(name: string, input: object, signal: AbortSignal): Promise<LmPart[]> {
    const cts = new vscode.CancellationTokenSource();
    const onAbort = () => cts.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      // Outside a chat request the token must be undefined (reference §2.1).
      const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, cts.token);
      return result.content.map(toLmPart);
    } finally {
      signal.removeEventListener('abort', onAbort);
      cts.dispose();
    }
  }

  approve: ExternalToolsPort['approve'] = async (request, conversationId, signal) => {
    if (!this.approver.approveTool) return 'reject';
    return this.approver.approveTool(request, conversationId, signal);
  };

  readonly workspaceAllowed = {
    has: (name: string) => this.allowedList().includes(name),
    add: async (name: string) => {
      await this.state.update(ALLOWED, [...new Set([...this.allowedList(), name])]);
      this.logger.info(`tools: ${name} allowed in this workspace without asking`);
    },
  };

  async revokeWorkspace(name: string): Promise<void> {
    await this.state.update(ALLOWED, this.allowedList().filter((n) => n !== name));
  }

  readonly order = {
    load: (): [string, string][] => {
      const v = this.state.get<unknown>(ORDER);
      return Array.isArray(v) ? v.filter((x): x is [string, string] => Array.isArray(x) && typeof x[0] === 'string' && typeof x[1] === 'string') : [];
    },
    save: (order: [string, string][]) => void this.state.update(ORDER, order.slice(0, 500)),
  };

  private toggles(): Record<string, boolean> {
    const v = this.state.get<unknown>(TOGGLES);
    const out: Record<string, boolean> = {};
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'boolean') out[k] = x;
    return out;
  }

  private allowedList(): string[] {
    const v = this.state.get<unknown>(ALLOWED);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }
}

/** Tool name -> the extension whose package.json contributes it. */
function contributedTools(selfId: string): Map<string, { id: string; name: string }> {
  const map = new Map<string, { id: string; name: string }>();
  for (const ext of vscode.extensions.all) {
    const pkg = ext.packageJSON as { displayName?: unknown; contributes?: { languageModelTools?: unknown } } | undefined;
    const tools = pkg?.contributes?.languageModelTools;
    if (!Array.isArray(tools)) continue;
    const name = typeof pkg?.displayName === 'string' ? pkg.displayName : ext.id;
    for (const t of tools) if (t && typeof (t as { name?: unknown }).name === 'string') map.set((t as { name: string }).name, { id: ext.id === selfId ? selfId : ext.id, name });
  }
  return map;
}

function originOf(t: vscode.LanguageModelToolInformation, owners: Map<string, { id: string; name: string }>, servers: readonly McpServerInfo[]): ToolOrigin {
  if (t.tags.includes('mcp') || t.name.startsWith('mcp_')) {
    const server = serverOfTool(t.name, servers) ?? t.name.slice(4).split('_')[0] ?? 'unknown';
    return { kind: 'mcp', server };
  }
  const owner = owners.get(t.name);
  return owner ? { kind: 'extension', id: owner.id, name: owner.name } : { kind: 'vscode' };
}
