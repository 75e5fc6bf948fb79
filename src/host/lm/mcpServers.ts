// MCP servers the user configured for VS Code: `.vscode/mcp.json` in each workspace folder, the user's own mcp.json
// (next to settings.json), and the older `mcp.servers` setting. VS Code lists an MCP server's tools on
// vscode.lm.tools only once it runs (reference §2.6), so a server configured but not running is listed with a way
// to start it: VS Code's internal command `workbench.mcp.startServer` (not API; it may change; UNCONFIRMED outside
// 1.139), after the user agreed to run the command line it names.
import * as vscode from 'vscode';
// The ESM build: the UMD one loads its parts with a dynamic require that a bundle cannot follow.
import { parse as parseJsonc } from 'jsonc-parser/lib/esm/main.js';
import type { Logger } from '../../core/ports';

export interface McpServerInfo {
  name: string;
  /** Where it is configured, for the user. */
  where: string;
  /** The command line (stdio) or URL (http), for the question before starting it. */
  launch: string;
}

const MAX_CONFIG_BYTES = 512 * 1024;
export const START_SERVER_COMMAND = 'workbench.mcp.startServer';

function serversOf(json: unknown, where: string): McpServerInfo[] {
  if (typeof json !== 'object' || json === null) return [];
  const servers = (json as { servers?: unknown }).servers;
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) return [];
  return Object.entries(servers as Record<string, unknown>).map(([name, v]) => {
    const s = (typeof v === 'object' && v !== null ? v : {}) as { command?: unknown; args?: unknown; url?: unknown };
    const args = Array.isArray(s.args) ? s.args.filter((a): a is string => typeof a === 'string') : [];
    const launch = typeof s.url === 'string' ? s.url : [typeof s.command === 'string' ? s.command : '(no command)', ...args].join(' ');
    return { name: name.slice(0, 100), where, launch: launch.slice(0, 500) };
  });
}

async function readJsonc(uri: vscode.Uri): Promise<unknown> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_CONFIG_BYTES) return undefined;
    return parseJsonc(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), [], { allowTrailingComma: true });
  } catch {
    return undefined;
  }
}

/** Every configured server (workspace folders first), by name; a name configured twice is listed once. */
export async function configuredServers(globalStorage: vscode.Uri, logger: Logger): Promise<McpServerInfo[]> {
  const out: McpServerInfo[] = [];
  for (const f of vscode.workspace.workspaceFolders ?? []) out.push(...serversOf(await readJsonc(vscode.Uri.joinPath(f.uri, '.vscode', 'mcp.json')), `${f.name}/.vscode/mcp.json`));
  // The user's mcp.json sits in the profile's User folder: <User>/globalStorage/<extension> -> <User>/mcp.json.
  out.push(...serversOf(await readJsonc(vscode.Uri.joinPath(globalStorage, '..', '..', 'mcp.json')), 'your user mcp.json'));
  out.push(...serversOf({ servers: vscode.workspace.getConfiguration('mcp').get<unknown>('servers') }, 'the mcp.servers setting'));
  const seen = new Set<string>();
  const unique = out.filter((s) => (seen.has(s.name) ? false : (seen.add(s.name), true)));
  logger.info(`tools: ${unique.length} MCP server(s) configured`);
  return unique;
}

/** VS Code's tool-name prefix for a server ("mcp_<server>_"), in the forms seen (as is, or with odd characters as _). */
export function toolPrefixes(server: string): string[] {
  return [...new Set([`mcp_${server}_`, `mcp_${server.replace(/[^a-zA-Z0-9_-]/g, '_')}_`])];
}

/** The configured server a tool belongs to (the longest matching name), if any. */
export function serverOfTool(toolName: string, servers: readonly McpServerInfo[]): string | undefined {
  let best: string | undefined;
  for (const s of servers) if (toolPrefixes(s.name).some((p) => toolName.startsWith(p)) && (!best || s.name.length > best.length)) best = s.name;
  return best;
}

export function isRunning(server: string, toolNames: readonly string[]): boolean {
  const prefixes = toolPrefixes(server);
  return toolNames.some((n) => prefixes.some((p) => n.startsWith(p)));
}

/** Asks, then starts the configured MCP servers and waits for their tools. True when they were started. */
export async function startServers(servers: readonly McpServerInfo[], logger: Logger, ask = true): Promise<boolean> {
  if (servers.length === 0) return false;
  if (ask) {
    const detail = servers.map((s) => `${s.name} (${s.where}): ${s.launch}`).join('\n');
    const start = 'Start';
    const choice = await vscode.window.showWarningMessage(
      servers.length === 1 ? `Start the MCP server "${servers[0].name}"?` : `Start ${servers.length} MCP servers?`,
      { modal: true, detail: `Starting a server runs its command on this machine:\n${detail}\n\nVS Code starts every configured server that is not running yet.` },
      start,
    );
    if (choice !== start) return false;
  }
  try {
    await vscode.commands.executeCommand(START_SERVER_COMMAND, '*', { waitForLiveTools: true });
    return true;
  } catch (e) {
    logger.warn(`tools: could not start MCP servers (${START_SERVER_COMMAND}): ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showWarningMessage(`Could not start the MCP servers: ${e instanceof Error ? e.message : String(e)}. Start them from VS Code's MCP: List Servers command.`);
    return false;
  }
}
