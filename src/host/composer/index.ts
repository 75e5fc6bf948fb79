// The composer's host: the ComposerHost port of core/composer/ made of the VS Code API (workspace port of the
// tools, symbols, terminal output, the Git extension, modal confirmation), plus the watchers that keep the file
// list and the instruction and prompt files current.
import * as vscode from 'vscode';
import { costLine } from '../../core/composer/costLine';
import type { ComposerHost } from '../../core/composer/ports';
import { DisposableStore, Emitter } from '../../core/lifecycle';
import type { Logger } from '../../core/ports';
import type { UsageTracker } from '../../core/usage/tracker';
import { commandId } from '../commandIds';
import type { VsCodeWorkspacePort } from '../tools/vscodeWorkspace';
import { gitChanges } from './git';
import { COMMANDS_SECTION, INSTRUCTIONS_SECTION, readComposerSettings } from './settings';
import { symbolBody, workspaceSymbols } from './symbols';
import { TerminalCapture } from './terminal';

/** Instruction and command files anywhere in the workspace (nested ones too). */
const REPO_FILES = ['**/{AGENTS.md,CLAUDE.md,CLAUDE.local.md}', '**/.claude/**/*.md', '**/.github/{copilot-instructions.md,prompts/*.prompt.md}'];

export interface ComposerHostDeps {
  port: VsCodeWorkspacePort;
  logger: Logger;
  tracker: UsageTracker;
}

export function createComposerHost(deps: ComposerHostDeps): { host: ComposerHost; dispose(): void } {
  const store = new DisposableStore();
  const repoChanged = store.add(new Emitter<void>());
  const filesChanged = store.add(new Emitter<void>());
  const terminal = store.add(new TerminalCapture());
  for (const glob of REPO_FILES) {
    const w = store.add(vscode.workspace.createFileSystemWatcher(glob));
    store.add(w.onDidCreate(() => repoChanged.fire()));
    store.add(w.onDidChange(() => repoChanged.fire()));
    store.add(w.onDidDelete(() => repoChanged.fire()));
  }
  const all = store.add(vscode.workspace.createFileSystemWatcher('**/*', false, true, false));
  store.add(all.onDidCreate(() => filesChanged.fire()));
  store.add(all.onDidDelete(() => filesChanged.fire()));
  store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => repoChanged.fire()));
  store.add(
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      repoChanged.fire();
      filesChanged.fire();
    }),
  );
  store.add(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(INSTRUCTIONS_SECTION) || e.affectsConfiguration(COMMANDS_SECTION)) repoChanged.fire();
      if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude') || e.affectsConfiguration('search.useIgnoreFiles')) filesChanged.fire();
    }),
  );
  const { port, logger } = deps;
  const host: ComposerHost = {
    workspace: port,
    logger,
    trusted: () => vscode.workspace.isTrusted,
    settings: readComposerSettings,
    onDidChangeRepoFiles: repoChanged.event,
    onDidChangeFiles: filesChanged.event,
    uriOf: (path) => port.uri(path).toString(),
    symbols: workspaceSymbols,
    symbolBody: (hit) => symbolBody(hit, port),
    terminal: async () => terminal.output(),
    git: gitChanges,
    confirm: async (message, detail, action) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
    refactor: async (instruction) => {
      await vscode.commands.executeCommand(commandId('refactorSelection'), instruction || undefined);
    },
    costSummary: () => costLine(deps.tracker),
  };
  return { host, dispose: () => store.dispose() };
}
