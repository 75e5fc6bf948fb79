// A webview page's handle on its host. acquireVsCodeApi may be called only once per page, so every page takes it
// from here, typed with the messages that page may post.

export interface VsCodeApi<Post> {
  postMessage(message: Post): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi<unknown>;

let api: VsCodeApi<unknown> | undefined;

export function vscodeApi<Post>(): VsCodeApi<Post> {
  api ??= acquireVsCodeApi();
  return api as VsCodeApi<Post>;
}
