// Builds the workspace tools for the extension: the VS Code WorkspacePort, the diff Approver, the core runner,
// and the listeners that keep it current (workspace trust, folders, claudeChat.tools.* settings).
import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../../core/lifecycle';
import type { Logger } from '../../core/ports';
import { WorkspaceToolRunner } from '../../core/tools/runner';
import type { DiffProposals } from '../diffProposals';
import { EditApprover } from './approver';
import { findVsCodeRipgrep } from './ripgrep';
import { readToolSettings, TOOLS_SECTION } from './settings';
import { VsCodeWorkspacePort } from './vscodeWorkspace';

export interface WorkspaceTools extends IDisposable {
  runner: WorkspaceToolRunner;
  approver: EditApprover;
  /** The workspace as the tools see it (confinement by real path); the composer reads mentions and checkpoint restores are confined through it too. */
  port: VsCodeWorkspacePort;
}

export function createWorkspaceTools(logger: Logger, proposals: DiffProposals): WorkspaceTools {
  const rgPath = findVsCodeRipgrep(vscode.env.appRoot);
  if (rgPath) logger.info(`search_text: using VS Code's ripgrep at ${rgPath}`);
  else logger.warn(`search_text: VS Code's ripgrep was not found under ${vscode.env.appRoot}; searching with the slower worker fallback`);
  const port = new VsCodeWorkspacePort(rgPath, logger);
  const approver = new EditApprover((p) => port.uri(p), proposals, logger);
  const runner = new WorkspaceToolRunner({ workspace: port, approver, settings: readToolSettings, trusted: vscode.workspace.isTrusted, logger });
  const store = new DisposableStore();
  store.add(approver);
  store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => runner.setTrusted(true)));
  store.add(vscode.workspace.onDidChangeWorkspaceFolders(() => runner.changed()));
  store.add(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(TOOLS_SECTION)) runner.changed();
    }),
  );
  return { runner, approver, port, dispose: () => store.dispose() };
}
