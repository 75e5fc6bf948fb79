// One service for every "proposed by Claude" diff: a tool's proposed edit (approve/reject), a refactor of the
// selection (apply/reject) and a chat code block applied to an editor. It serves the proposed text as read-only
// in-memory documents, opens the diff and closes it again. Each kind keeps its own URI scheme, because the
// editor-title buttons in package.json are chosen by `resourceScheme`.
//   <scheme>:/<file path or name>?id=<proposal id>&side=before|after   (the path keeps the file's language)
import * as vscode from 'vscode';
import { Disposable, Emitter } from '../core/lifecycle';

export type ProposalKind = 'edit' | 'refactor' | 'codeBlock' | 'checkpoint';

export const PROPOSAL_SCHEMES: Readonly<Record<ProposalKind, string>> = {
  edit: 'claude-chat-proposed',
  refactor: 'claude-chat-refactor',
  codeBlock: 'claude-chat-proposal',
  checkpoint: 'claude-chat-checkpoint',
};

export class DiffProposals extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changes = this.register(new Emitter<vscode.Uri>());
  readonly onDidChange = this.changes.event;

  constructor() {
    super();
    for (const scheme of Object.values(PROPOSAL_SCHEMES)) this.register(vscode.workspace.registerTextDocumentContentProvider(scheme, this));
  }

  /** A read-only document holding `text`, for one side of proposal `id`. */
  put(kind: ProposalKind, id: string, path: string, side: 'before' | 'after', text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEMES[kind], path: '/' + path.replace(/^\/+/, ''), query: new URLSearchParams({ id, side }).toString() });
    this.texts.set(uri.toString(), text);
    this.changes.fire(uri);
    return uri;
  }

  async show(left: vscode.Uri, right: vscode.Uri, title: string, options: { preview: boolean; preserveFocus?: boolean }): Promise<void> {
    await vscode.commands.executeCommand('vscode.diff', left, right, title, options);
  }

  /** The proposal id of a document this service serves as `kind`, else undefined. */
  idOf(kind: ProposalKind, uri: vscode.Uri): string | undefined {
    return uri.scheme === PROPOSAL_SCHEMES[kind] ? new URLSearchParams(uri.query).get('id') ?? undefined : undefined;
  }

  /** True for any document this service serves (never a target for inserting code). */
  owns(uri: vscode.Uri): boolean {
    return Object.values(PROPOSAL_SCHEMES).includes(uri.scheme);
  }

  /** Forgets proposal `id`'s texts; with `close`, also closes the diff editors that show it. */
  async discard(kind: ProposalKind, id: string, close: boolean): Promise<void> {
    for (const key of [...this.texts.keys()]) if (this.idOf(kind, vscode.Uri.parse(key)) === id) this.texts.delete(key);
    if (!close) return;
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && this.idOf(kind, t.input.modified) === id);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true).then(undefined, () => false);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  override dispose(): void {
    this.texts.clear();
    super.dispose();
  }
}
