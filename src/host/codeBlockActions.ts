// The chat's code-block buttons (not the light-bulb code actions of host/editor/lightBulb.ts): copy, insert at
// the cursor, and apply through a diff the user confirms.
import * as vscode from 'vscode';
import type { CodeBlockAction } from '../shared/protocol';

const SCHEME = 'claude-chat-proposal';

/** Serves proposed file contents to the diff editor, read-only, from memory. */
class ProposalProvider implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private next = 0;

  add(text: string, name: string): vscode.Uri {
    this.next += 1;
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${this.next}/${name}` });
    this.docs.set(uri.toString(), text);
    return uri;
  }
  remove(uri: vscode.Uri): void {
    this.docs.delete(uri.toString());
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }
  dispose(): void {
    this.emitter.dispose();
    this.docs.clear();
  }
}

export class CodeBlockActions implements vscode.Disposable {
  private readonly proposals = new ProposalProvider();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this.proposals);
  /** The editor the user last worked in: clicking in the chat can leave no active text editor. */
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly tracking = vscode.window.onDidChangeActiveTextEditor((e) => {
    if (e && e.document.uri.scheme !== SCHEME) this.lastEditor = e;
  });

  private targetEditor(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active && active.document.uri.scheme !== SCHEME) return active;
    const last = this.lastEditor;
    if (last && !last.document.isClosed && vscode.window.visibleTextEditors.some((e) => e.document === last.document)) return last;
    return undefined;
  }

  async run(action: CodeBlockAction, code: string, lang: string): Promise<void> {
    switch (action) {
      case 'copy':
        await vscode.env.clipboard.writeText(code);
        vscode.window.setStatusBarMessage('$(check) Code copied', 2000);
        return;
      case 'insert':
        return this.insert(code, lang);
      case 'apply':
        return this.apply(code, lang);
    }
  }

  private async insert(code: string, lang: string): Promise<void> {
    const editor = this.targetEditor();
    if (!editor) {
      const doc = await vscode.workspace.openTextDocument({ content: code, language: lang || undefined });
      await vscode.window.showTextDocument(doc);
      return;
    }
    await editor.edit((b) => {
      for (const sel of editor.selections) b.replace(sel, code);
    });
  }

  /** Shows current vs proposed (the selection replaced, or the whole file) and applies only on confirmation. */
  private async apply(code: string, lang: string): Promise<void> {
    const editor = this.targetEditor();
    if (!editor) {
      const doc = await vscode.workspace.openTextDocument({ content: code, language: lang || undefined });
      await vscode.window.showTextDocument(doc);
      void vscode.window.showInformationMessage('No editor was open, so the code was opened as a new file.');
      return;
    }
    const doc = editor.document;
    const range = editor.selection.isEmpty ? new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)) : editor.selection;
    const version = doc.version;
    const original = doc.getText();
    const proposed = original.slice(0, doc.offsetAt(range.start)) + code + original.slice(doc.offsetAt(range.end));
    const name = doc.uri.path.split('/').pop() || 'untitled';
    const right = this.proposals.add(proposed, name);
    try {
      await vscode.commands.executeCommand('vscode.diff', doc.uri, right, `${name}: current ↔ proposed by Claude`, { preview: true });
      const what = editor.selection.isEmpty ? 'the whole file' : 'the selection';
      const choice = await vscode.window.showInformationMessage(`Apply Claude's code to ${what} of ${name}?`, 'Apply', 'Discard');
      if (choice !== 'Apply') return;
      if (doc.version !== version) {
        void vscode.window.showWarningMessage(`${name} changed since the diff was shown; nothing was applied. Run Apply again to see a fresh diff.`);
        return;
      }
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, range, code);
      await vscode.workspace.applyEdit(edit);
    } finally {
      this.proposals.remove(right);
    }
  }

  dispose(): void {
    this.tracking.dispose();
    this.registration.dispose();
    this.proposals.dispose();
  }
}
