// "Claude: Show Usage": a webview panel with spend per day, a per-model table and the session's cache savings.
// Same CSP as the chat view: a per-load nonce, no inline script or style, resources only from dist/ and media/.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { HostToReport, isReportToHost, ReportData } from '../core/usage/reportData';
import { webviewOptions } from './webviewHtml';

export const REPORT_VIEW_TYPE = 'claudeChat.usageReport';

export class UsageReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly data: () => Promise<ReportData>,
    private readonly logger: Logger,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      void this.refresh();
      return;
    }
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'Claude Usage', vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'claude.svg');
    panel.webview.html = reportHtml(panel.webview, this.extensionUri);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
        this.disposeListeners();
      }),
    );
  }

  /** Sends fresh figures if the report is open and has said `ready`. */
  async refresh(): Promise<void> {
    const panel = this.panel;
    if (!panel || !this.ready) return;
    const message: HostToReport = { type: 'data', data: await this.data() };
    if (this.panel === panel) await panel.webview.postMessage(message);
  }

  private receive(m: unknown): void {
    if (!isReportToHost(m)) {
      this.logger.warn(`usage report: ignored malformed message ${JSON.stringify(m)?.slice(0, 200)}`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.ready = true;
        void this.refresh().catch((e: unknown) => this.logger.error(`usage report: ${String(e)}`));
        return;
      case 'refresh':
        void this.refresh().catch((e: unknown) => this.logger.error(`usage report: ${String(e)}`));
        return;
      case 'openSettings':
        void vscode.commands.executeCommand('workbench.action.openSettings', 'claudeChat.prices');
        return;
    }
  }

  private disposeListeners(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  dispose(): void {
    this.disposeListeners();
    this.panel?.dispose();
    this.panel = undefined;
  }
}

function reportHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'usageReport.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'usageReport.css'));
  const src = webview.cspSource;
  const csp = ["default-src 'none'", `img-src ${src} data:`, `style-src ${src}`, `font-src ${src}`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Claude Usage</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
