// Reviewing a refactor proposal: a diff editor (original vs proposed, both served from memory), then Apply or
// Reject. Apply writes one WorkspaceEdit over exactly the selected range, so a single Undo reverts it. If the
// document changed since the request, the proposal is re-diffed against the current text (or refused when the
// selected text itself changed) instead of clobbering the edits.
import * as vscode from 'vscode';
import { relocate, spliced } from '../../core/editor/relocate';

export const REFACTOR_SCHEME = 'claude-chat-refactor';
export const PENDING_CONTEXT = 'claudeChat.pendingRefactor';

export interface Proposal {
  uri: vscode.Uri;
  label: string;
  /** Document version and full text the proposal was made against. */
  version: number;
  text: string;
  /** The selected range as offsets into `text`. */
  start: number;
  end: number;
  replacement: string;
  rationale: string;
}

interface Pending extends Proposal {
  left: vscode.Uri;
  right: vscode.Uri;
  generation: number;
}

export type ApplyOutcome = 'applied' | 'rediffed' | 'refused' | 'none';

class MemoryDocs implements vscode.TextDocumentContentProvider {
  readonly docs = new Map<string, string>();
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }
}

export class RefactorReview implements vscode.Disposable {
  private readonly memory = new MemoryDocs();
  private readonly disposables: vscode.Disposable[];
  private pending: Pending | undefined;
  private generation = 0;

  constructor() {
    this.disposables = [vscode.workspace.registerTextDocumentContentProvider(REFACTOR_SCHEME, this.memory)];
  }

  get current(): Proposal | undefined {
    return this.pending;
  }

  /** Shows the diff and offers Apply / Reject (also as commands and editor-title buttons). Replaces an older one. */
  async open(p: Proposal, note?: string): Promise<void> {
    await this.discard();
    const generation = ++this.generation;
    const name = p.uri.path.split('/').pop() || 'untitled';
    const at = (side: string) => vscode.Uri.from({ scheme: REFACTOR_SCHEME, path: `/${generation}/${side}/${name}` });
    const pending: Pending = { ...p, left: at('original'), right: at('proposed'), generation };
    this.memory.docs.set(pending.left.toString(), p.text);
    this.memory.docs.set(pending.right.toString(), spliced(p.text, p.start, p.end, p.replacement));
    this.pending = pending;
    await vscode.commands.executeCommand('setContext', PENDING_CONTEXT, true);
    await vscode.commands.executeCommand('vscode.diff', pending.left, pending.right, `${name}: original ↔ proposed by Claude`, { preview: false });
    const message = `${note ? `${note} ` : ''}Claude's refactor of ${p.label}${p.rationale ? `: ${p.rationale}` : '.'}`;
    void vscode.window.showInformationMessage(message, 'Apply', 'Reject').then((choice) => {
      if (this.pending?.generation !== generation) return;
      if (choice === 'Apply') void this.apply();
      else if (choice === 'Reject') void this.reject();
    });
  }

  async apply(): Promise<ApplyOutcome> {
    const p = this.pending;
    if (!p) {
      void vscode.window.showInformationMessage('There is no refactor proposal to apply.');
      return 'none';
    }
    const doc = await vscode.workspace.openTextDocument(p.uri);
    if (doc.version !== p.version) return this.relocated(p, doc);
    const edit = new vscode.WorkspaceEdit();
    const range = new vscode.Range(doc.positionAt(p.start), doc.positionAt(p.end));
    edit.replace(doc.uri, range, p.replacement);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`The refactor could not be applied to ${p.label}.`);
      return 'none';
    }
    await this.discard();
    const end = doc.positionAt(p.start + p.replacement.length);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(range.start, end), preview: false });
    vscode.window.setStatusBarMessage(`$(check) Refactor applied to ${p.label} (Undo reverts it)`, 4000);
    return 'applied';
  }

  /** The document changed since the request: re-diff against its current text, or refuse. Never writes. */
  private async relocated(p: Pending, doc: vscode.TextDocument): Promise<ApplyOutcome> {
    const now = doc.getText();
    const where = relocate(p.text.slice(p.start, p.end), p.start, now);
    if (where.kind === 'changed') {
      await this.discard();
      void vscode.window.showErrorMessage(
        `The selected code in ${p.label} changed after the refactor was requested, so the proposal no longer fits and was not applied. Run Refactor Selection again.`,
      );
      return 'refused';
    }
    await this.open(
      { ...p, version: doc.version, text: now, start: where.start, end: where.end },
      `${p.label} changed since the request: the diff now shows the proposal against the current text. Nothing was applied yet.`,
    );
    return 'rediffed';
  }

  async reject(): Promise<void> {
    if (!this.pending) return;
    const label = this.pending.label;
    await this.discard();
    vscode.window.setStatusBarMessage(`Refactor of ${label} discarded`, 3000);
  }

  /** Forgets the pending proposal and closes its diff editor. */
  private async discard(): Promise<void> {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    await vscode.commands.executeCommand('setContext', PENDING_CONTEXT, false);
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === p.right.toString());
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
    this.memory.docs.delete(p.left.toString());
    this.memory.docs.delete(p.right.toString());
  }

  dispose(): void {
    this.pending = undefined;
    this.memory.docs.clear();
    for (const d of this.disposables) d.dispose();
  }
}
