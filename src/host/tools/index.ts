// Builds the workspace tools for the extension: the VS Code WorkspacePort, the diff Approver, the core runner,
// and the listeners that keep it current (workspace trust, folders, claudeChat.tools.* settings).
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import { WorkspaceToolRunner } from '../../core/tools/runner';
import { EditApprover } from './approver';
import { findVsCodeRipgrep } from './ripgrep';
import { readToolSettings, TOOLS_SECTION } from './settings';
import { VsCodeWorkspacePort } from './vscodeWorkspace';

export interface WorkspaceTools {
  runner: WorkspaceToolRunner;
  approver: EditApprover;
  /** Push into context.subscriptions. */
  disposables: vscode.Disposable[];
}

export function createWorkspaceTools(logger: Logger): WorkspaceTools {
  const rgPath = findVsCodeRipgrep(vscode.env.appRoot);
  if (rgPath) logger.info(`search_text: using VS Code's ripgrep at ${rgPath}`);
  else logger.warn(`search_text: VS Code's ripgrep was not found under ${vscode.env.appRoot}; searching with the slower worker fallback`);
  const port = new VsCodeWorkspacePort(rgPath, logger);
  const approver = new EditApprover((p) => port.uri(p), logger);
  const runner = new WorkspaceToolRunner({ workspace: port, approver, settings: readToolSettings, trusted: vscode.workspace.isTrusted, logger });
  const disposables: vscode.Disposable[] = [
    approver,
    ...approver.register(),
    vscode.workspace.onDidGrantWorkspaceTrust(() => runner.setTrusted(true)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => runner.changed()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(TOOLS_SECTION)) runner.changed();
    }),
  ];
  return { runner, approver, disposables };
}
