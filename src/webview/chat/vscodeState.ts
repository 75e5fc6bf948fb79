// The chat page's messages to the host and its getState/setState snapshot.
import type { ViewState, WebviewToHost } from '../../shared/protocol';
import { vscodeApi } from '../common/vscodeApi';

const vscode = vscodeApi<WebviewToHost>();

export function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

export interface PersistedState {
  view?: ViewState;
  draft?: string;
  lastSent?: string;
}

export function loadState(): PersistedState {
  const s = vscode.getState();
  return s && typeof s === 'object' ? (s as PersistedState) : {};
}

export function saveState(s: PersistedState): void {
  vscode.setState(s);
}
