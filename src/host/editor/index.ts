// The editor side of the extension: explain/refactor the selection, add files, folders and selections to the
// chat's cached context, the light-bulb actions, and re-reading attached files before each send.
import * as vscode from 'vscode';
import type { ApiKeyService } from '../../core/apiKey';
import type { Logger } from '../../core/ports';
import type { ChatApp } from '../../core/chat/chatApp';
import type { UsageSink } from '../../core/chat/ports';
import { addFilesToContext } from './addContext';
import { LightBulbActions } from './lightBulb';
import { addSelectionToContext, explainSelection } from './explain';
import { refactorSelection } from './refactorCommand';
import { RefactorReview } from './refactorReview';

export { contextRefresher } from './refreshContext';

export interface EditorDeps {
  chat: ChatApp;
  keys: ApiKeyService;
  usage?: UsageSink;
  logger: Logger;
}

export function registerEditorFeatures(deps: EditorDeps): vscode.Disposable[] {
  const review = new RefactorReview();
  const { chat } = deps;
  return [
    review,
    vscode.commands.registerCommand('claudeChat.explainSelection', () => explainSelection(chat)),
    vscode.commands.registerCommand('claudeChat.refactorSelection', (instruction?: unknown) => refactorSelection({ ...deps, review }, instruction)),
    vscode.commands.registerCommand('claudeChat.applyRefactor', () => review.apply()),
    vscode.commands.registerCommand('claudeChat.rejectRefactor', () => review.reject()),
    vscode.commands.registerCommand('claudeChat.addFileToContext', (uri?: unknown, uris?: unknown) => addFilesToContext(chat, uri, uris)),
    vscode.commands.registerCommand('claudeChat.addSelectionToContext', () => addSelectionToContext(chat)),
    vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], new LightBulbActions(), LightBulbActions.metadata),
  ];
}
