// "Claude: Show Usage": a webview panel with spend per day, a per-model table and the session's cache savings.
// Same CSP as the chat view: a per-load nonce, no inline script or style, resources only from dist/ and media/.
import * as vscode from 'vscode';
import { DisposableStore } from '../core/lifecycle';
import type { Logger } from '../core/ports';
import { checkReportToHost } from '../shared/guards/fromWebview';
import type { HostToReport, ReportData } from '../shared/usageReport';
import { webviewOptions, webviewPage } from './webviewHtml';

export const REPORT_VIEW_TYPE = 'claudeChat.usageReport';

export class UsageReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  /** Listeners of the open panel; released when it closes. */
  private readonly panelListeners = new DisposableStore();

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
    this.panelListeners.add(panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
    this.panelListeners.add(
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
        this.panelListeners.clear();
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

  private receive(raw: unknown): void {
    const checked = checkReportToHost(raw);
    if (!checked.ok) {
      this.logger.warn(`usage report: ignored a malformed message: ${checked.reason}`);
      return;
    }
    const m = checked.value;
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

  dispose(): void {
    this.panelListeners.dispose();
    this.panel?.dispose();
    this.panel = undefined;
  }
}

function reportHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewPage(webview, extensionUri, { bundle: 'usageReport', title: 'Claude Usage', root: '<main id="app" aria-busy="true"></main>' });
}
