// Public surface of the webview message renderer. Browser code: no Node APIs, no vscode.
export { MessageRenderer, type RenderHooks, type RenderStats } from './renderer';
export type { CodeBlockAction } from './codeBlock';
export { isSafeHref } from './markdown';
