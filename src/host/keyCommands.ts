// "Claude: Set API Key" / "Claude: Clear API Key". The key goes only to SecretStorage, after one check call.
import * as vscode from 'vscode';
import { ApiKeyService } from '../core/apiKey';
import type { KeyRoute } from '../core/keyRoute';
import type { Logger } from '../core/ports';

export interface KeyCommands {
  setKey(): Promise<boolean>;
  clearKey(): Promise<void>;
}

export function keyCommands(keys: ApiKeyService, route: KeyRoute, logger: Logger, onChange: () => void): KeyCommands {
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
        if (a === 'Try Again') void setKey();
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

  return { setKey, clearKey };
}
