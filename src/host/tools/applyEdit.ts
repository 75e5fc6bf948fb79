// Applies an approved ProposedEdit as one WorkspaceEdit, so a single Undo reverts it. On disk, the target is
// checked by descriptor just before and after (the approval may have taken minutes; a folder on the way could
// have been swapped for a symlink meanwhile): a WorkspaceEdit writes by URI, so the check cannot be closer.
import * as vscode from 'vscode';
import { checkedWrite } from '../../core/tools/verifiedFs';
import type { ProposedEdit } from '../../core/tools/workspace';

export async function applyProposedEdit(edit: ProposedEdit, uri: vscode.Uri): Promise<void> {
  if (uri.scheme !== 'file') return apply(edit, uri);
  await checkedWrite(uri.fsPath, edit.kind, () => apply(edit, uri));
}

async function apply(edit: ProposedEdit, uri: vscode.Uri): Promise<void> {
  const we = new vscode.WorkspaceEdit();
  let wasDirty = false;
  if (edit.kind === 'create') {
    we.createFile(uri, { overwrite: false, ignoreIfExists: false });
    if (edit.after !== '') we.insert(uri, new vscode.Position(0, 0), edit.after);
  } else {
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.getText() !== edit.before) throw new Error(`${edit.path} changed after the edit was proposed`);
    wasDirty = doc.isDirty;
    we.replace(uri, new vscode.Range(doc.positionAt(edit.change.start), doc.positionAt(edit.change.end)), edit.change.text);
  }
  if (!(await vscode.workspace.applyEdit(we))) throw new Error(`the editor could not apply the change to ${edit.path}`);
  // Save what we wrote, but never the user's own unsaved changes.
  if (!wasDirty) {
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.isDirty && !(await doc.save())) throw new Error(`the change to ${edit.path} was made but could not be saved`);
  }
}
