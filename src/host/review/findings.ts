// Claude's review findings as VS Code diagnostics (source "Claude", in the Problems panel). Each finding keeps the
// text of the lines it was made for: an edit of the document moves it with those lines or drops it when they change
// (core/review/reconcile.ts), so a finding never points at the wrong code. Findings of a file are cleared by
// "Claude: Clear Claude Findings" and when the file is deleted or renamed.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';
import { followEdit, type PlacedFinding } from '../../core/review/reconcile';
import type { Severity } from '../../core/review/schema';

export const FINDINGS_SOURCE = 'Claude';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

const FOLLOW_DEBOUNCE_MS = 250;

export class FindingsCollection extends Disposable {
  private readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('claude'));
  private readonly byUri = new Map<string, PlacedFinding[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor() {
    super();
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.register(vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((u) => this.clearUnder(u))));
    this.register(vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => this.clearUnder(f.oldUri))));
    // Deleted outside VS Code (a terminal, git): the file watcher sees it.
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/*', true, true, false));
    this.register(watcher.onDidDelete((u) => this.clearUnder(u)));
  }

  /** Replaces the findings of `uri`. */
  set(uri: vscode.Uri, placed: readonly PlacedFinding[], doc?: vscode.TextDocument): void {
    const key = uri.toString();
    if (placed.length === 0) {
      this.clear(uri);
      return;
    }
    this.byUri.set(key, [...placed]);
    this.diagnostics.set(uri, placed.map((p) => toDiagnostic(p, doc)));
  }

  get(uri: vscode.Uri): readonly PlacedFinding[] {
    return this.byUri.get(uri.toString()) ?? [];
  }

  find(uri: vscode.Uri, id: string): PlacedFinding | undefined {
    return this.get(uri).find((p) => p.id === id);
  }

  /** The finding behind a diagnostic the editor hands back (matched by line and message). */
  forDiagnostic(uri: vscode.Uri, d: vscode.Diagnostic): PlacedFinding | undefined {
    if (d.source !== FINDINGS_SOURCE) return undefined;
    return this.get(uri).find((p) => p.startLine === d.range.start.line && p.message === d.message);
  }

  remove(uri: vscode.Uri, id: string): void {
    this.set(uri, this.get(uri).filter((p) => p.id !== id));
  }

  clear(uri: vscode.Uri): boolean {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const had = this.byUri.delete(key);
    this.diagnostics.delete(uri);
    return had;
  }

  clearAll(): number {
    const n = this.byUri.size;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.byUri.clear();
    this.diagnostics.clear();
    return n;
  }

  /** Files with findings. */
  get files(): vscode.Uri[] {
    return [...this.byUri.keys()].map((k) => vscode.Uri.parse(k, true));
  }

  /** A deleted file, or every file under a deleted folder. */
  private clearUnder(uri: vscode.Uri): void {
    const prefix = `${uri.toString().replace(/\/$/, '')}/`;
    for (const key of [...this.byUri.keys()]) if (key === uri.toString() || key.startsWith(prefix)) this.clear(vscode.Uri.parse(key, true));
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!this.byUri.has(key)) return;
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      const placed = this.byUri.get(key);
      if (placed) this.set(doc.uri, followEdit(placed, doc.getText()).kept, doc);
    }, FOLLOW_DEBOUNCE_MS));
  }

  override dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    super.dispose();
  }
}

function toDiagnostic(p: PlacedFinding, doc?: vscode.TextDocument): vscode.Diagnostic {
  const endChar = doc && p.endLine < doc.lineCount ? doc.lineAt(p.endLine).text.length : p.original.split('\n').at(-1)!.length;
  const d = new vscode.Diagnostic(new vscode.Range(p.startLine, 0, p.endLine, endChar), p.message, SEVERITY[p.severity]);
  d.source = FINDINGS_SOURCE;
  if (p.replacement !== undefined) d.code = 'fix available';
  return d;
}
