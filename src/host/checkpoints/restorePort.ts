// The editor side of "Restore checkpoint" (core/session/restore.ts decides): the diff of what will be reverted
// (read-only documents of host/diffProposals.ts, in the multi-file diff editor), a modal question, and the restore
// itself as ONE WorkspaceEdit, so a single Undo reverts it. Just before writing, each file must still hold the text
// the plan read and (on disk) still resolve to the checked path; otherwise nothing is written.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { RestorePort, RestoreWrite } from '../../core/session/restore';
import type { DiffProposals } from '../diffProposals';

export class VsCodeRestorePort implements RestorePort {
  private shown: { id: string; title: string } | undefined;
  private next = 0;

  /**
   * `uri`: the URI of a canonical path in the workspace folders' namespace (VsCodeWorkspacePort.uri).
   * `testAnswers`: only in the extension's own tests (ExtensionMode.Test), where VS Code refuses modal dialogs: queued
   * answers are used instead of the modal while there are any (the real modal is driven in the UI tests).
   */
  constructor(
    private readonly proposals: DiffProposals,
    private readonly uri: (path: string) => vscode.Uri,
    readonly testAnswers?: (string | undefined)[],
  ) {}

  async showDiff(title: string, files: readonly RestoreWrite[]): Promise<void> {
    await this.closeShown();
    const id = `restore-${++this.next}`;
    this.shown = { id, title };
    const entries = files.map((f) => [
      this.uri(f.target),
      this.proposals.put('checkpoint', id, f.path, 'before', f.current ?? ''),
      this.proposals.put('checkpoint', id, f.path, 'after', f.restored ?? ''),
    ] as const);
    if (entries.length === 1) await this.proposals.show(entries[0][1], entries[0][2], `${title}: ${files[0].path} (now ↔ restored)`, { preview: true });
    else await vscode.commands.executeCommand('vscode.changes', title, entries.map((e) => [...e]));
  }

  async ask(message: string, detail: string, ...actions: string[]): Promise<string | undefined> {
    if (this.testAnswers?.length) return this.testAnswers.shift();
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);
  }

  async apply(files: readonly RestoreWrite[]): Promise<void> {
    const we = new vscode.WorkspaceEdit();
    const save: { uri: vscode.Uri; wasDirty: boolean }[] = [];
    for (const f of files) {
      const uri = this.uri(f.target);
      await checkStillThere(uri, f);
      if (f.current === undefined) {
        we.createFile(uri, { overwrite: false, ignoreIfExists: false });
        if (f.restored) we.insert(uri, new vscode.Position(0, 0), f.restored);
        save.push({ uri, wasDirty: false });
        continue;
      }
      const doc = await vscode.workspace.openTextDocument(uri);
      if (doc.getText() !== f.current) throw new Error(`${f.path} changed after the restore was shown; nothing was restored`);
      if (f.restored === undefined) {
        we.deleteFile(uri, { ignoreIfNotExists: true });
        continue;
      }
      save.push({ uri, wasDirty: doc.isDirty });
      we.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), f.restored);
    }
    if (!(await vscode.workspace.applyEdit(we))) throw new Error('the editor could not apply the restore');
    // Save what we wrote, but never a file that held the user's unsaved changes (they stay unsaved, restored).
    for (const s of save) {
      if (s.wasDirty) continue;
      const doc = await vscode.workspace.openTextDocument(s.uri);
      if (doc.isDirty) await doc.save();
    }
    await this.closeShown();
  }

  private async closeShown(): Promise<void> {
    const shown = this.shown;
    this.shown = undefined;
    if (!shown) return;
    await this.proposals.discard('checkpoint', shown.id, true);
    // The multi-file diff editor's tab is not a TabInputTextDiff (the API has no type for it): found by its title.
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith(shown.title));
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true).then(undefined, () => false);
  }
}

/** On disk: the file (or, for one to create, its folder) still resolves to the checked path. */
async function checkStillThere(uri: vscode.Uri, f: RestoreWrite): Promise<void> {
  if (uri.scheme !== 'file') return;
  const real = await fs.realpath(f.current === undefined ? vscode.Uri.joinPath(uri, '..').fsPath : uri.fsPath).catch(() => undefined);
  const expected = f.current === undefined ? vscode.Uri.joinPath(uri, '..').fsPath : uri.fsPath;
  if (real !== expected) throw new Error(`${f.path} no longer resolves to where it was checked (a folder on the way was replaced); nothing was restored`);
}
