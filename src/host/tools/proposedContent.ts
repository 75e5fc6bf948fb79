// Read-only in-memory documents for the proposed side of an edit's diff: claude-chat-proposed:/<path>?id=<edit id>.
// The path keeps the file's name (and so its language); the query says which edit it shows.
import * as vscode from 'vscode';

export const PROPOSED_SCHEME = 'claude-chat-proposed';

export class ProposedContent implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  /** A URI for `text` under edit `id`; `side` tells the empty "before" of a new file from the proposal. */
  put(id: string, path: string, side: 'before' | 'after', text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: '/' + path.replace(/^\/+/, ''), query: new URLSearchParams({ id, side }).toString() });
    this.texts.set(uri.toString(), text);
    this.emitter.fire(uri);
    return uri;
  }

  forget(id: string): void {
    for (const key of [...this.texts.keys()]) if (ProposedContent.idOf(vscode.Uri.parse(key)) === id) this.texts.delete(key);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  static idOf(uri: vscode.Uri): string | undefined {
    return uri.scheme === PROPOSED_SCHEME ? new URLSearchParams(uri.query).get('id') ?? undefined : undefined;
  }

  dispose(): void {
    this.texts.clear();
    this.emitter.dispose();
  }
}
