// WorkspacePort on the VS Code API: workspace.fs for contents, node's realpath/lstat for the file scheme (the
// API has neither), findFiles with files.exclude + search.exclude + .gitignore, VS Code's own ripgrep for
// search_text, diagnostics, visible editors.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { MAX_READ_BYTES } from '../../core/tools/confine';
import { readVerified } from '../../core/tools/verifiedFs';
import { nullLogger, type Logger } from '../../core/ports';
import {
  DEFAULT_SEARCH_TIMEOUT_MS,
  type DiagnosticInfo,
  type DirEntry,
  type EditorInfo,
  type EntryType,
  type FileStat,
  type FolderSearchScope,
  type ProposedEdit,
  type RootFolder,
  type SearchEngine,
  type Severity,
  type WorkspacePort,
} from '../../core/tools/workspace';
import { applyProposedEdit } from './applyEdit';
import { excludeGlobs, loadExcludeFilter } from './excludes';

const SEVERITY: Record<vscode.DiagnosticSeverity, Severity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function entryType(t: vscode.FileType): EntryType {
  if (t & vscode.FileType.SymbolicLink) return 'symlink';
  if (t & vscode.FileType.Directory) return 'directory';
  if (t & vscode.FileType.File) return 'file';
  return 'other';
}

export class VsCodeWorkspacePort implements WorkspacePort {
  /** `rgPath`: VS Code's own ripgrep (findVsCodeRipgrep), or undefined for the worker fallback. */
  constructor(
    readonly rgPath: string | undefined = undefined,
    private readonly logger: Logger = nullLogger,
  ) {}

  folders(): readonly RootFolder[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.path }));
  }

  /** The URI for a path in the folders' namespace (the scheme of the folder it lies in). */
  uri(path: string): vscode.Uri {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const home = folders.find((f) => path === f.uri.path || path.startsWith(f.uri.path.replace(/\/$/, '') + '/')) ?? folders[0];
    return home ? home.uri.with({ path, query: '', fragment: '' }) : vscode.Uri.file(path);
  }

  async realpath(path: string): Promise<string> {
    const uri = this.uri(path);
    if (uri.scheme === 'file') return vscode.Uri.file(await fs.realpath(uri.fsPath)).path;
    // Other file systems cannot tell where a link points: accept only paths without any symlink on the way.
    const parts = path.split('/').filter((s) => s !== '');
    for (let i = 1; i <= parts.length; i++) {
      const st = await vscode.workspace.fs.stat(uri.with({ path: '/' + parts.slice(0, i).join('/') }));
      if (st.type & vscode.FileType.SymbolicLink) throw new Error('symbolic links are not followed on this file system');
    }
    return '/' + parts.join('/');
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const uri = this.uri(path);
    try {
      if (uri.scheme === 'file') {
        const st = await fs.lstat(uri.fsPath);
        return { type: st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other', size: st.size };
      }
      const st = await vscode.workspace.fs.stat(uri);
      return { type: entryType(st.type), size: st.size };
    } catch {
      return undefined;
    }
  }

  async readFile(path: string): Promise<Uint8Array> {
    const uri = this.uri(path);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc && !doc.isClosed) return Buffer.from(doc.getText(), 'utf8'); // what the user sees, unsaved changes included
    // On disk: by descriptor, verified to be the checked file (a folder swapped for a symlink since is refused).
    if (uri.scheme === 'file') return readVerified(uri.fsPath, MAX_READ_BYTES);
    return vscode.workspace.fs.readFile(uri);
  }

  async readDir(path: string): Promise<DirEntry[]> {
    const entries = await vscode.workspace.fs.readDirectory(this.uri(path));
    return entries.map(([name, t]) => ({ name, type: entryType(t) }));
  }

  async findFiles(folder: RootFolder, glob: string, maxResults: number, signal: AbortSignal): Promise<string[]> {
    const wf = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.path === folder.path);
    if (!wf) return [];
    const cts = new vscode.CancellationTokenSource();
    const onAbort = () => cts.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const filter = await loadExcludeFilter(wf, cts.token, (m) => this.logger.warn(`find_files: ${m}`));
      const slack = Math.min(maxResults * 2 + 100, 50_000);
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(wf, glob), filter.excludeGlob, slack, cts.token);
      const root = wf.uri.path.replace(/\/$/, '');
      const kept = found.filter((u) => !filter.excludes(u.path.slice(root.length + 1)));
      return kept.slice(0, maxResults).map((u) => u.path);
    } finally {
      signal.removeEventListener('abort', onAbort);
      cts.dispose();
    }
  }

  searchEngine(): SearchEngine {
    const seconds = vscode.workspace.getConfiguration('claudeChat.tools').get<number>('searchTimeoutSeconds');
    const timeoutMs = typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_SEARCH_TIMEOUT_MS;
    return { rgPath: this.rgPath, timeoutMs, warn: (m) => this.logger.warn(m) };
  }

  /** Only folders on the local disk can be searched by ripgrep; others use the fallback. */
  async searchScope(folder: RootFolder): Promise<FolderSearchScope | undefined> {
    const wf = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.path === folder.path);
    if (!wf || wf.uri.scheme !== 'file') return undefined;
    return {
      fsPath: wf.uri.fsPath,
      excludeGlobs: excludeGlobs(wf),
      useIgnoreFiles: vscode.workspace.getConfiguration('search', wf.uri).get<boolean>('useIgnoreFiles', true),
    };
  }

  async diagnostics(path?: string): Promise<DiagnosticInfo[]> {
    const all: [vscode.Uri, readonly vscode.Diagnostic[]][] = path === undefined ? vscode.languages.getDiagnostics() : [[this.uri(path), vscode.languages.getDiagnostics(this.uri(path))]];
    const schemes = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.scheme));
    return all
      .filter(([uri]) => schemes.has(uri.scheme))
      .flatMap(([uri, diags]) =>
        diags.map((d) => ({
          path: uri.path,
          line: d.range.start.line + 1,
          column: d.range.start.character + 1,
          severity: SEVERITY[d.severity] ?? 'info',
          message: d.message,
          source: d.source,
          code: d.code === undefined ? undefined : String(typeof d.code === 'object' ? d.code.value : d.code),
        })),
      );
  }

  async openEditors(): Promise<EditorInfo[]> {
    const active = vscode.window.activeTextEditor;
    const schemes = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.scheme));
    return vscode.window.visibleTextEditors
      .filter((e) => schemes.has(e.document.uri.scheme))
      .map((e) => ({
        path: e.document.uri.path,
        languageId: e.document.languageId,
        active: e === active,
        dirty: e.document.isDirty,
        selections: e.selections.map((s) => ({
          startLine: s.start.line + 1,
          startColumn: s.start.character + 1,
          endLine: s.end.line + 1,
          endColumn: s.end.character + 1,
          text: e.document.getText(s),
        })),
        visible: e.visibleRanges[0] ? { startLine: e.visibleRanges[0].start.line + 1, endLine: e.visibleRanges[0].end.line + 1 } : undefined,
      }));
  }

  applyEdit(edit: ProposedEdit): Promise<void> {
    return applyProposedEdit(edit, this.uri(edit.target));
  }
}
