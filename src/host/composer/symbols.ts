// @symbol: workspace symbols from the language extensions (vscode.executeWorkspaceSymbolProvider), and the whole
// body of the one picked, from its file's document symbols (a workspace symbol's range may be its name only).
import * as vscode from 'vscode';
import { symbolName, type SymbolBody, type SymbolHit } from '../../core/composer/ports';
import type { VsCodeWorkspacePort } from '../tools/vscodeWorkspace';

const TIMEOUT_MS = 5_000;

function within<T>(p: Thenable<T>, fallback: T): Promise<T> {
  return Promise.race([Promise.resolve(p), new Promise<T>((r) => setTimeout(() => r(fallback), TIMEOUT_MS))]);
}

const kindName = (k: vscode.SymbolKind) => (vscode.SymbolKind[k] ?? 'symbol').toLowerCase();

export async function workspaceSymbols(query: string, limit: number): Promise<SymbolHit[]> {
  const found = (await within(vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', query), undefined)) ?? [];
  const schemes = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.scheme));
  const q = query.toLowerCase();
  const rank = (s: vscode.SymbolInformation) => (symbolName(s.name) === query ? 0 : s.name.toLowerCase().startsWith(q) ? 1 : 2);
  return found
    .filter((s) => s?.location?.uri && schemes.has(s.location.uri.scheme) && vscode.workspace.getWorkspaceFolder(s.location.uri))
    .sort((a, b) => rank(a) - rank(b) || a.name.length - b.name.length)
    .slice(0, limit)
    .map((s) => ({ name: s.name, kind: kindName(s.kind), container: s.containerName || undefined, path: s.location.uri.path, line: s.location.range.start.line }));
}

/** The innermost document symbol named `name` whose range holds `line`. */
function innermost(symbols: readonly vscode.DocumentSymbol[], name: string, line: number): vscode.DocumentSymbol | undefined {
  for (const s of symbols) {
    if (s.range.start.line > line || s.range.end.line < line) continue;
    const inner = innermost(s.children ?? [], name, line);
    if (inner) return inner;
    if (symbolName(s.name) === name) return s;
  }
  return undefined;
}

export async function symbolBody(hit: SymbolHit, port: VsCodeWorkspacePort): Promise<SymbolBody | undefined> {
  const uri = port.uri(hit.path);
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(uri);
  } catch {
    return undefined;
  }
  const symbols = (await within(vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', uri), undefined)) ?? [];
  const tree = symbols.filter((s): s is vscode.DocumentSymbol => 'children' in s);
  const flat = symbols.filter((s): s is vscode.SymbolInformation => !('children' in s));
  const name = symbolName(hit.name);
  const range = innermost(tree, name, hit.line)?.range ?? flat.find((s) => symbolName(s.name) === name && s.location.range.start.line <= hit.line && s.location.range.end.line >= hit.line)?.location.range;
  const start = range?.start.line ?? hit.line;
  const end = Math.min(range?.end.line ?? hit.line, doc.lineCount - 1);
  const text = doc.getText(new vscode.Range(start, 0, end, doc.lineAt(end).text.length));
  return { path: hit.path, languageId: doc.languageId, startLine: start, endLine: end, text };
}
