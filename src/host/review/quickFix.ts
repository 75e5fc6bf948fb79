// The Quick Fix of a Claude finding that carries a replacement: it opens the replacement as a diff (the same review as
// Refactor Selection: Apply / Reject, one Undo reverts it), and applies it only to the exact lines the finding was made
// for; if they changed, nothing is written.
import * as vscode from 'vscode';
import { locate } from '../../core/review/reconcile';
import { commandId } from '../commandIds';
import type { RefactorReview } from '../editor/refactorReview';
import type { FindingsCollection } from './findings';

export class FindingQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly findings: FindingsCollection) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of ctx.diagnostics) {
      const f = this.findings.forDiagnostic(doc.uri, d);
      if (!f || f.replacement === undefined) continue;
      const action = new vscode.CodeAction("Review Claude's fix…", vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = true;
      action.command = { command: commandId('applyFinding'), title: "Review Claude's fix", arguments: [doc.uri, f.id] };
      out.push(action);
    }
    return out;
  }
}

/** Opens the diff of a finding's replacement; Apply writes it. False when the finding is gone or its lines changed. */
export async function reviewFindingFix(findings: FindingsCollection, review: RefactorReview, uri: unknown, id: unknown): Promise<boolean> {
  if (!(uri instanceof vscode.Uri) || typeof id !== 'string') return false;
  const f = findings.find(uri, id);
  if (!f || f.replacement === undefined) {
    void vscode.window.showInformationMessage('That Claude finding is no longer there (the file changed or the findings were cleared).');
    return false;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const lines = doc.getText().split(/\r?\n/);
  const original = f.original.split('\n');
  const at = locate(original, f.startLine, lines);
  if (at === undefined) {
    findings.remove(uri, id);
    void vscode.window.showWarningMessage("The lines of that Claude finding changed since the review, so its fix was not offered. Review the file again.");
    return false;
  }
  const start = doc.offsetAt(new vscode.Position(at, 0));
  const end = doc.offsetAt(doc.lineAt(at + original.length - 1).range.end);
  const label = vscode.workspace.asRelativePath(uri, false);
  await review.open({
    uri, label, version: doc.version, text: doc.getText(), start, end,
    replacement: f.replacement, rationale: f.message,
    title: `Claude's fix for ${label}, line${original.length > 1 ? `s ${at + 1}–${at + original.length}` : ` ${at + 1}`}`,
    onApplied: () => findings.remove(uri, id),
  });
  return true;
}
