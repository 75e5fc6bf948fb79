// claudeChat.maxSessionCost: once the session's spend passes it, each request asks first.
import * as vscode from 'vscode';
import { maxSessionCost } from './config';

export function spendGuard(sessionCost: () => number): () => Promise<boolean> {
  let allowedUpTo = 0;
  return async () => {
    const limit = maxSessionCost();
    const spent = sessionCost();
    if (!limit || spent < limit || spent < allowedUpTo) return true;
    const choice = await vscode.window.showWarningMessage(
      `This session has cost $${spent.toFixed(2)}, past your limit of $${limit.toFixed(2)} (claudeChat.maxSessionCost). Send anyway?`,
      { modal: true },
      'Send',
      'Send and Stop Asking This Session',
    );
    if (choice === 'Send and Stop Asking This Session') allowedUpTo = Number.POSITIVE_INFINITY;
    return choice !== undefined;
  };
}
