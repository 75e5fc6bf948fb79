// The webview's handle on its host. acquireVsCodeApi may be called once per page.
import type { ViewState, WebviewToHost } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscode: VsCodeApi = acquireVsCodeApi();

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
