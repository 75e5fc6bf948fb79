// "Claude: Choose Tools from Other Extensions and MCP Servers": every vscode.lm tool with a checkbox (saved per
// workspace), grouped by where it comes from; a tool allowed to run without asking has a button to ask again; MCP
// servers that are configured but not running are listed with a way to start them.
import * as vscode from 'vscode';
import { originLabel } from '../../core/lm/externalTools';
import type { Logger } from '../../core/ports';
import { configuredServers, isRunning, type McpServerInfo, startServers } from './mcpServers';
import type { CatalogEntry, ToolBridge } from './toolBridge';

type ToolItem = vscode.QuickPickItem & { tool?: CatalogEntry; server?: McpServerInfo };

const REVOKE: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('workspace-untrusted'), tooltip: 'Ask before each call again (it now runs without asking in this workspace)' };
const START: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('debug-start'), tooltip: 'Start this MCP server' };

function groupOf(t: CatalogEntry): string {
  return t.origin.kind === 'vscode' ? 'VS Code (built in; most expect its own chat)' : originLabel(t.origin);
}

export function pickerItems(catalog: readonly CatalogEntry[], stopped: readonly McpServerInfo[]): ToolItem[] {
  const groups = new Map<string, CatalogEntry[]>();
  const rank = (t: CatalogEntry) => (t.origin.kind === 'mcp' ? 0 : t.origin.kind === 'extension' ? 1 : 2);
  for (const t of [...catalog].sort((a, b) => rank(a) - rank(b) || groupOf(a).localeCompare(groupOf(b)) || a.name.localeCompare(b.name))) {
    const g = groups.get(groupOf(t)) ?? [];
    g.push(t);
    groups.set(groupOf(t), g);
  }
  const items: ToolItem[] = [];
  // Servers not started come first: their tools are missing below until they run.
  if (stopped.length) {
    items.push({ label: 'MCP servers configured but not started (check one to start it)', kind: vscode.QuickPickItemKind.Separator });
    for (const s of stopped) items.push({ label: `$(debug-start) Start "${s.name}"`, description: s.where, detail: s.launch, picked: false, buttons: [START], server: s });
  }
  for (const [label, tools] of groups) {
    items.push({ label, kind: vscode.QuickPickItemKind.Separator });
    for (const t of tools) {
      items.push({
        label: t.name,
        description: t.allowedInWorkspace ? 'runs without asking in this workspace' : undefined,
        detail: (t.description || '').split('\n')[0].slice(0, 160),
        picked: t.enabled,
        buttons: t.allowedInWorkspace ? [REVOKE] : [],
        tool: t,
      });
    }
  }
  return items;
}

export async function chooseTools(bridge: ToolBridge, globalStorage: vscode.Uri, logger: Logger): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('Tools of other extensions and MCP servers are off in Restricted Mode, like the workspace tools. Trust the workspace to use them.');
    return;
  }
  bridge.servers = await configuredServers(globalStorage, logger);
  const catalog = bridge.catalog();
  const stopped = bridge.servers.filter((s) => !isRunning(s.name, catalog.map((t) => t.name)));
  if (catalog.length === 0 && stopped.length === 0) {
    void vscode.window.showInformationMessage('No tools from other extensions or MCP servers are available. Add an MCP server in .vscode/mcp.json (MCP: Add Server), or install an extension that contributes language model tools.');
    return;
  }
  const qp = vscode.window.createQuickPick<ToolItem>();
  qp.title = 'Tools Claude may use from other extensions and MCP servers (this workspace)';
  qp.placeholder = 'Checked tools are offered to Claude; each call asks first unless you allow it';
  qp.canSelectMany = true;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.items = pickerItems(catalog, stopped);
  qp.selectedItems = qp.items.filter((i) => i.picked);
  const done = new Promise<void>((resolve) => {
    qp.onDidTriggerItemButton(async (e) => {
      if (e.button === REVOKE && e.item.tool) {
        await bridge.revokeWorkspace(e.item.tool.name);
        e.item.description = undefined;
        e.item.buttons = [];
        qp.items = [...qp.items];
      } else if (e.button === START && e.item.server) {
        qp.hide();
        if (await startServers([e.item.server], logger)) void chooseTools(bridge, globalStorage, logger);
      }
    });
    qp.onDidAccept(async () => {
      const selected = new Set(qp.selectedItems);
      const changes: Record<string, boolean> = {};
      for (const i of qp.items) if (i.tool && i.tool.enabled !== selected.has(i)) changes[i.tool.name] = selected.has(i);
      await bridge.setEnabled(changes);
      const toStart = qp.items.filter((i) => i.server && selected.has(i)).map((i) => i.server!);
      qp.hide();
      if (toStart.length) await startServers(toStart, logger);
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve();
    });
  });
  qp.show();
  await done;
}
