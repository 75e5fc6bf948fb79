// The sidebar webview view: lifecycle, HTML, and the transport of messages. Messages from the page are checked by
// the guard before anything reads them; the ready handshake and what the messages do live in core/chat/.
import * as vscode from 'vscode';
import { checkWebviewToHost } from '../shared/guards/fromWebview';
import type { HostToWebview, WebviewToHost } from '../shared/protocol';
import { PostBatcher } from '../core/chat/postBatcher';
import { DisposableStore } from '../core/lifecycle';
import type { Logger } from '../core/ports';
import { redactDeep } from '../core/redact';
import { chatHtml, webviewOptions } from './webviewHtml';

export const CHAT_VIEW_ID = 'claudeChat.chatView';

export interface WebviewMessageHandler {
  handle(message: WebviewToHost): Promise<void>;
  /** A new page is loading or the page went away: hold messages until it says `ready`. */
  viewReset(): void;
}

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly viewListeners = new DisposableStore();
  private handler: WebviewMessageHandler | undefined;

  private readonly batcher = new PostBatcher((m) => void this.view?.webview.postMessage(m), (fn) => setImmediate(fn));

  constructor(private readonly extensionUri: vscode.Uri, private readonly logger: Logger) {}

  setHandler(handler: WebviewMessageHandler): void {
    this.handler = handler;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewListeners.clear();
    this.batcher.clear();
    this.view = view;
    this.handler?.viewReset();
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = chatHtml(view.webview, this.extensionUri);
    this.viewListeners.add(view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this.viewListeners.add(
      view.onDidDispose(() => {
        if (this.view !== view) return;
        this.batcher.clear();
        this.view = undefined;
        this.handler?.viewReset();
      }),
    );
  }

  get isVisible(): boolean {
    return !!this.view?.visible;
  }

  /** Delivers to the page if one exists (core/chat/viewLink.ts holds messages until it is ready). */
  post(message: HostToWebview): void {
    // The sink: no key reaches the webview, whoever posts (core/redact.ts). Batched per turn of the event loop.
    if (this.view) this.batcher.post(redactDeep(message));
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  private receive(raw: unknown): void {
    const checked = checkWebviewToHost(raw);
    if (!checked.ok) {
      this.logger.warn(`ignored a malformed message from the chat webview: ${checked.reason}`);
      return;
    }
    this.handler?.handle(checked.value).catch((e: unknown) => this.logger.error(`webview message failed: ${String(e)}`));
  }

  dispose(): void {
    this.viewListeners.dispose();
    this.view = undefined;
  }
}
