// Reads the claudeChat.* settings fresh on every call, so changes apply without a reload.
import * as vscode from 'vscode';
import type { RequestSettings } from '../core/ports';

export const SECTION = 'claudeChat';
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

export function readSettings(): RequestSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const maxTokens = c.get<number>('maxTokens', 8192);
  return {
    model: (c.get<string>('model', DEFAULT_MODEL) || DEFAULT_MODEL).trim(),
    maxTokens: Number.isInteger(maxTokens) && maxTokens > 0 ? maxTokens : 8192,
    baseURL: (c.get<string>('baseURL', '') ?? '').trim(),
  };
}
