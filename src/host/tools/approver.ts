// The Approver in VS Code: a proposed edit opens as a diff (the file against the proposed text) with Approve /
// Reject in the diff's title bar and in a notification; the chat card answers through decide() (the ChatApp's
// approval port) with the edit id (= the tool_use id). A read-only call that needs approval (auto-approval off)
// gets the notification and the card.
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { ApprovalDecision, Approver, ProposedEdit, ToolApprovalRequest } from '../../core/tools/workspace';
import { ProposedContent, PROPOSED_SCHEME } from './proposedContent';

export const APPROVE_EDIT_COMMAND = 'claudeChat.approveEdit';
export const REJECT_EDIT_COMMAND = 'claudeChat.rejectEdit';
/** Context key: true while an approval is waiting (shows the commands in the palette). */
export const PENDING_CONTEXT_KEY = 'claudeChat.pendingEdit';

const EDIT_BUTTONS = { approve: 'Approve', always: 'Approve all for this conversation', reject: 'Reject' } as const;
const TOOL_BUTTONS = { approve: 'Allow', always: 'Allow all for this conversation', reject: 'Deny' } as const;

interface Pending {
  summary: string;
  resolve(decision: ApprovalDecision): void;
}

/** What approveEdit/rejectEdit accept: an id, a proposed-diff URI (editor title buttons), `{ id }`, or nothing. */
export type EditRef = string | vscode.Uri | { id?: unknown } | undefined;

export class EditApprover implements Approver, vscode.Disposable {
  private readonly pending = new Map<string, Pending>();
  private readonly content = new ProposedContent();

  constructor(
    private readonly fileUri: (path: string) => vscode.Uri,
    private readonly logger: Logger,
  ) {}

  /** The content provider and the two commands; push the result into the extension's subscriptions. */
  register(): vscode.Disposable[] {
    return [
      vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this.content),
      vscode.commands.registerCommand(APPROVE_EDIT_COMMAND, (ref?: EditRef) => this.decide(this.idOf(ref), 'approve')),
      vscode.commands.registerCommand(REJECT_EDIT_COMMAND, (ref?: EditRef) => this.decide(this.idOf(ref), 'reject')),
    ];
  }

  /** Ids of the approvals waiting now, oldest first. */
  pendingIds(): string[] {
    return [...this.pending.keys()];
  }

  approve(edit: ProposedEdit, _conversationId: string, signal?: AbortSignal): Promise<ApprovalDecision> {
    return this.ask(edit.id, edit.summary, EDIT_BUTTONS, signal, () => this.showDiff(edit));
  }

  approveTool(request: ToolApprovalRequest, _conversationId: string, signal?: AbortSignal): Promise<ApprovalDecision> {
    return this.ask(request.id, `run ${request.summary}`, TOOL_BUTTONS, signal);
  }

  /** Settles a waiting approval. Returns false when `id` is not waiting (already decided, cancelled, unknown). */
  decide(id: string | undefined, decision: ApprovalDecision): boolean {
    const p = id === undefined ? undefined : this.pending.get(id);
    if (!p || id === undefined) return false;
    this.pending.delete(id);
    this.updateContext();
    p.resolve(decision);
    this.content.forget(id);
    void this.closeDiff(id);
    this.logger.info(`tools: ${decision} ${p.summary}`);
    return true;
  }

  private ask(id: string, summary: string, buttons: typeof EDIT_BUTTONS | typeof TOOL_BUTTONS, signal?: AbortSignal, show?: () => Promise<void>): Promise<ApprovalDecision> {
    this.decide(id, 'reject'); // an id asked twice: the older question is void
    return new Promise<ApprovalDecision>((resolve) => {
      if (signal?.aborted) return resolve('reject');
      const onAbort = () => this.decide(id, 'reject');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        summary,
        resolve: (d) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(d);
        },
      });
      this.updateContext();
      show?.().catch((e: unknown) => this.logger.warn(`tools: could not show the proposed change: ${String(e)}`));
      void vscode.window.showInformationMessage(`Claude wants to ${summary.charAt(0).toLowerCase()}${summary.slice(1)}.`, buttons.approve, buttons.always, buttons.reject).then((choice) => {
        if (choice === buttons.approve) this.decide(id, 'approve');
        else if (choice === buttons.always) this.decide(id, 'always');
        else if (choice === buttons.reject) this.decide(id, 'reject');
        // Dismissed: the question stays open in the diff and the chat card.
      });
    });
  }

  private async showDiff(edit: ProposedEdit): Promise<void> {
    const left = edit.kind === 'create' ? this.content.put(edit.id, edit.path, 'before', '') : this.fileUri(edit.target);
    const right = this.content.put(edit.id, edit.path, 'after', edit.after);
    if (!this.pending.has(edit.id)) return;
    await vscode.commands.executeCommand('vscode.diff', left, right, `${edit.path} ↔ proposed by Claude`, { preview: false, preserveFocus: true });
    if (!this.pending.has(edit.id)) await this.closeDiff(edit.id); // decided while the diff was opening
  }

  private async closeDiff(id: string): Promise<void> {
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && ProposedContent.idOf(t.input.modified) === id);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true).then(undefined, () => false);
  }

  private idOf(ref: EditRef): string | undefined {
    if (typeof ref === 'string') return ref;
    if (ref instanceof vscode.Uri) return ProposedContent.idOf(ref);
    if (ref && typeof ref === 'object' && typeof ref.id === 'string') return ref.id;
    // From the palette: the proposal in the active diff, else the newest one waiting.
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const active = input instanceof vscode.TabInputTextDiff ? ProposedContent.idOf(input.modified) : undefined;
    return active && this.pending.has(active) ? active : this.pendingIds().at(-1);
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', PENDING_CONTEXT_KEY, this.pending.size > 0);
  }

  dispose(): void {
    for (const id of this.pendingIds()) this.decide(id, 'reject');
    this.content.dispose();
  }
}
