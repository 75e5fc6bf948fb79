// The sidebar webview view: lifecycle, HTML, and a queue that holds messages until the webview says `ready`.
import * as vscode from 'vscode';
import { HostToWebview, isWebviewToHost, WebviewToHost } from '../shared/protocol';
import type { Logger } from '../core/ports';
import { redactDeep } from '../core/redact';
import { chatHtml, webviewOptions } from './webviewHtml';

export const CHAT_VIEW_ID = 'claudeChat.chatView';

export interface WebviewMessageHandler {
  handle(message: WebviewToHost): void | Promise<void>;
}

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private pending: HostToWebview[] = [];
  private viewDisposables: vscode.Disposable[] = [];
  private handler: WebviewMessageHandler | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly logger: Logger) {}

  setHandler(handler: WebviewMessageHandler): void {
    this.handler = handler;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    this.ready = false;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = chatHtml(view.webview, this.extensionUri);
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.ready = false;
        }
      }),
    );
  }

  get isVisible(): boolean {
    return !!this.view?.visible;
  }

  /** Posts now if the webview is ready, else queues. Streaming deltas are dropped while no view exists: state is resent on ready. */
  post(raw: HostToWebview): void {
    if (!this.view) return;
    const message = redactDeep(raw); // the sink: no key reaches the webview, whoever posts
    if (!this.ready) {
      this.pending.push(message);
      return;
    }
    void this.view.webview.postMessage(message);
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  private receive(raw: unknown): void {
    if (!isWebviewToHost(raw)) {
      this.logger.warn(`ignored malformed message from webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    if (raw.type === 'ready') {
      this.ready = true;
      // The handler's answer to `ready` is a full state, which supersedes anything queued.
      this.pending = [];
    }
    Promise.resolve(this.handler?.handle(raw)).catch((e: unknown) => this.logger.error(`webview message failed: ${String(e)}`));
    if (raw.type === 'ready') this.flush();
  }

  private flush(): void {
    const queued = this.pending;
    this.pending = [];
    for (const m of queued) void this.view?.webview.postMessage(m);
  }

  private disposeView(): void {
    for (const d of this.viewDisposables) d.dispose();
    this.viewDisposables = [];
  }

  dispose(): void {
    this.disposeView();
    this.view = undefined;
  }
}
