// "Claude: Set API Key" / "Claude: Clear API Key". The key goes only to SecretStorage, after one check call.
import * as vscode from 'vscode';
import { ApiKeyService } from '../core/apiKey';
import type { KeyRoute } from '../core/keyRoute';
import type { Logger } from '../core/ports';

export function registerKeyCommands(keys: ApiKeyService, route: KeyRoute, logger: Logger, onChange: () => void): vscode.Disposable[] {
  const setKey = async (): Promise<boolean> => {
    const value = await vscode.window.showInputBox({
      title: 'Claude: Set API Key',
      prompt: 'Paste your Anthropic API key. It is checked with the API, then kept in VS Code\'s secret storage.',
      placeHolder: 'sk-ant-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => ApiKeyService.checkFormat(v),
    });
    if (value === undefined) return false;
    route.resetDeclined(); // an explicit "set the key": ask again about a host declined earlier this session
    const check = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Checking API key…' },
      () => keys.set(value),
    );
    if (!check.ok) {
      logger.warn('API key was rejected and not saved');
      void vscode.window.showErrorMessage(check.message, 'Try Again').then((a) => {
        if (a === 'Try Again') void vscode.commands.executeCommand('claudeChat.setApiKey');
      });
      return false;
    }
    logger.info('API key saved to secret storage');
    onChange();
    void vscode.window.showInformationMessage('Claude API key saved.');
    return true;
  };

  const clearKey = async (): Promise<void> => {
    await keys.clear();
    logger.info('API key cleared from secret storage');
    onChange();
    const env = (await keys.resolve()).source === 'env';
    void vscode.window.showInformationMessage(
      env ? 'Claude API key cleared. The ANTHROPIC_API_KEY environment variable is still used.' : 'Claude API key cleared.',
    );
  };

  return [
    vscode.commands.registerCommand('claudeChat.setApiKey', setKey),
    vscode.commands.registerCommand('claudeChat.clearApiKey', clearKey),
  ];
}
