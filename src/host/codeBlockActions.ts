// The chat's code-block buttons (not the light-bulb code actions of host/editor/lightBulb.ts): copy, insert at
// the cursor, and apply through a diff the user confirms.
import * as vscode from 'vscode';
import type { CodeBlockPort } from '../core/chat/ports';
import { Disposable } from '../core/lifecycle';
import type { CodeBlockAction } from '../shared/protocol';
import type { DiffProposals } from './diffProposals';

export class CodeBlockActions extends Disposable implements CodeBlockPort {
  /** The editor the user last worked in: clicking in the chat can leave no active text editor. */
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private next = 0;

  constructor(private readonly proposals: DiffProposals) {
    super();
    this.register(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && !proposals.owns(e.document.uri)) this.lastEditor = e;
      }),
    );
  }

  private targetEditor(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active && !this.proposals.owns(active.document.uri)) return active;
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
    const id = String(++this.next);
    const right = this.proposals.put('codeBlock', id, name, 'after', proposed);
    try {
      await this.proposals.show(doc.uri, right, `${name}: current ↔ proposed by Claude`, { preview: true });
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
      // The diff stays open (the user closes it); its text is no longer kept.
      void this.proposals.discard('codeBlock', id, false);
    }
  }
}
