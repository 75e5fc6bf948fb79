// The batch report as a read-only Markdown document (claude-chat-report:/…md) instead of an untitled editor that asks
// to be saved on close. The text lives in memory for the session; "Save As" still copies it anywhere.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle';

export const REPORT_SCHEME = 'claude-chat-report';

export class BatchReports extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this));
  }

  /** Opens the report of batch `id` (read-only) and returns its document. */
  async open(id: string, markdown: string, show = true): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/Claude batch review ${id.replace(/[^\w.-]/g, '_')}.md` });
    this.texts.set(uri.toString(), markdown);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (show) await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This batch report is no longer available (reports are kept until the window closes).';
  }

  override dispose(): void {
    this.texts.clear();
    super.dispose();
  }
}
