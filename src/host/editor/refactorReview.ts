// Reviewing a refactor proposal: a diff editor (original vs proposed, both served by DiffProposals), then Apply or
// Reject. Apply writes one WorkspaceEdit over exactly the selected range, so a single Undo reverts it. If the
// document changed since the request, the proposal is re-diffed against the current text (or refused when the
// selected text itself changed) instead of clobbering the edits.
import * as vscode from 'vscode';
import { relocate, spliced } from '../../core/editor/relocate';
import { CONTEXT_KEYS } from '../commandIds';
import type { DiffProposals } from '../diffProposals';

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
  /** How the notification names it (default "Claude's refactor of <label>"). */
  title?: string;
  /** Called once the replacement was written (a review finding is then resolved). */
  onApplied?: () => void;
}

interface Pending extends Proposal {
  generation: number;
}

export type ApplyOutcome = 'applied' | 'rediffed' | 'refused' | 'none';

export class RefactorReview implements vscode.Disposable {
  private pending: Pending | undefined;
  private generation = 0;

  constructor(private readonly proposals: DiffProposals) {}

  get current(): Proposal | undefined {
    return this.pending;
  }

  /** Shows the diff and offers Apply / Reject (also as commands and editor-title buttons). Replaces an older one. */
  async open(p: Proposal, note?: string): Promise<void> {
    await this.discard();
    const generation = ++this.generation;
    const name = p.uri.path.split('/').pop() || 'untitled';
    const left = this.proposals.put('refactor', String(generation), name, 'before', p.text);
    const right = this.proposals.put('refactor', String(generation), name, 'after', spliced(p.text, p.start, p.end, p.replacement));
    this.pending = { ...p, generation };
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.pendingRefactor, true);
    await this.proposals.show(left, right, `${name}: original ↔ proposed by Claude`, { preview: false });
    const message = `${note ? `${note} ` : ''}${p.title ?? `Claude's refactor of ${p.label}`}${p.rationale ? `: ${p.rationale}` : '.'}`;
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
    p.onApplied?.();
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
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.pendingRefactor, false);
    await this.proposals.discard('refactor', String(p.generation), true);
  }

  dispose(): void {
    this.pending = undefined;
  }
}
