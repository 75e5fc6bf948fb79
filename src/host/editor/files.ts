// Reading workspace files for context: labels, the current text of a file (unsaved edits included), and the
// ContextFs port of core/context on vscode.workspace.fs.
import * as vscode from 'vscode';
import type { ContextFs, DirEntry } from '../../core/context/collectFiles';
import { decodeText, DEFAULT_CONFIRM_TOKENS, DEFAULT_MAX_FILE_KB } from '../../core/context/limits';

export interface ContextSettings {
  maxFileKB: number;
  confirmTokens: number;
}

export function readContextSettings(): ContextSettings {
  const c = vscode.workspace.getConfiguration('claudeChat.context');
  const num = (key: string, fallback: number) => {
    const v = c.get<number>(key, fallback);
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
  };
  return { maxFileKB: num('maxFileKB', DEFAULT_MAX_FILE_KB), confirmTokens: num('confirmTokens', DEFAULT_CONFIRM_TOKENS) };
}

/** Workspace-relative path (with the folder name in a multi-root workspace), or the file name outside one. */
export function labelOf(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri);
}

export function openDocument(uri: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
}

/** The current text of a file: the open editor's (unsaved edits included), else what is on disk. */
export async function currentText(uri: string): Promise<string> {
  const open = openDocument(uri);
  if (open) return open.getText();
  return decodeText(await vscode.workspace.fs.readFile(vscode.Uri.parse(uri, true)));
}

function kindOf(t: vscode.FileType): DirEntry['kind'] {
  if (t & vscode.FileType.SymbolicLink) return 'other';
  if (t === vscode.FileType.Directory) return 'dir';
  if (t === vscode.FileType.File) return 'file';
  return 'other';
}

/** ContextFs rooted at `root`. An open document is read from its editor, so unsaved edits are what gets sent. */
export function workspaceFs(root: vscode.Uri): ContextFs {
  const at = (rel: string) => (rel ? vscode.Uri.joinPath(root, ...rel.split('/')) : root);
  const open = (rel: string) => openDocument(at(rel).toString());
  return {
    async list(rel) {
      return (await vscode.workspace.fs.readDirectory(at(rel))).map(([name, type]) => ({ name, kind: kindOf(type) }));
    },
    async size(rel) {
      const doc = open(rel);
      return doc ? Buffer.byteLength(doc.getText()) : (await vscode.workspace.fs.stat(at(rel))).size;
    },
    async read(rel) {
      const doc = open(rel);
      return doc ? Buffer.from(doc.getText(), 'utf8') : vscode.workspace.fs.readFile(at(rel));
    },
  };
}
