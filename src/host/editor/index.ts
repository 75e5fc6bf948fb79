// The editor side of the extension: explain/refactor the selection, add files, folders and selections to the
// chat's cached context, the light-bulb actions, and re-reading attached files before each send.
import * as vscode from 'vscode';
import { LightBulbActions } from './lightBulb';

export { addFilesToContext } from './addContext';
export { addSelectionToContext, explainSelection } from './explain';
export { refactorSelection } from './refactorCommand';
export { RefactorReview } from './refactorReview';

export { contextRefresher } from './refreshContext';

/** The light bulb on a selection; the editor commands themselves are in the command table (host/commands.ts). */
export function registerLightBulb(): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], new LightBulbActions(), LightBulbActions.metadata);
}
