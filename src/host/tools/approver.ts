// The Approver in VS Code: a proposed edit opens as a diff (the file against the proposed text) with Approve /
// Reject in the diff's title bar and in a notification; the chat card answers through decide() (the ChatApp's
// approval port) with the edit id (= the tool_use id). A read-only call that needs approval (auto-approval off)
// gets the notification and the card. A protected edit (a file that runs or configures code) says why in a warning
// and in the diff title, and offers no "for this conversation" (it would not cover such an edit anyway).
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { ApprovalDecision, Approver, ProposedEdit, ToolApprovalRequest } from '../../core/tools/workspace';
import { TOOL_DECISION_LABELS } from '../../shared/protocol';
import { CONTEXT_KEYS } from '../commandIds';
import type { DiffProposals } from '../diffProposals';

interface Pending {
  summary: string;
  resolve(decision: ApprovalDecision): void;
}

/** What approveEdit/rejectEdit accept: an id, a proposed-diff URI (editor title buttons), `{ id }`, or nothing. */
export type EditRef = string | vscode.Uri | { id?: unknown } | undefined;

export class EditApprover implements Approver, vscode.Disposable {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly fileUri: (path: string) => vscode.Uri,
    private readonly proposals: DiffProposals,
    private readonly logger: Logger,
  ) {}

  /** Ids of the approvals waiting now, oldest first. */
  pendingIds(): string[] {
    return [...this.pending.keys()];
  }

  approve(edit: ProposedEdit, _conversationId: string, signal?: AbortSignal): Promise<ApprovalDecision> {
    if (edit.protectedReason === undefined) return this.ask(edit.id, edit.summary, signal, () => this.showDiff(edit));
    const warning = `Claude wants to ${lowerFirst(edit.summary)}. This file is always asked about: ${edit.protectedReason} Review the diff before approving.`;
    return this.ask(edit.id, edit.summary, signal, () => this.showDiff(edit), warning);
  }

  approveTool(request: ToolApprovalRequest, _conversationId: string, signal?: AbortSignal): Promise<ApprovalDecision> {
    if (request.source === undefined) return this.ask(request.id, `run ${request.summary}`, signal);
    // Another extension's or an MCP server's tool: named with its source; it can be allowed for the workspace.
    return this.ask(request.id, `run ${request.summary} from ${request.source}`, signal, undefined, undefined, true);
  }

  /** Settles a waiting approval. Returns false when `id` is not waiting (already decided, cancelled, unknown). */
  decide(id: string | undefined, decision: ApprovalDecision): boolean {
    const p = id === undefined ? undefined : this.pending.get(id);
    if (!p || id === undefined) return false;
    this.pending.delete(id);
    this.updateContext();
    p.resolve(decision);
    void this.proposals.discard('edit', id, true);
    this.logger.info(`tools: ${decision} ${p.summary}`);
    return true;
  }

  /** `warning`: ask with this text in a warning notification, without "for this conversation". `workspace`: offer "allow in this workspace". */
  private ask(id: string, summary: string, signal?: AbortSignal, show?: () => Promise<void>, warning?: string, workspace = false): Promise<ApprovalDecision> {
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
      const label = TOOL_DECISION_LABELS;
      const shown = warning !== undefined
        ? vscode.window.showWarningMessage(warning, label.approve, label.reject)
        : workspace
          ? vscode.window.showInformationMessage(`Claude wants to ${lowerFirst(summary)}. Its result is not trusted.`, label.approve, label.always, label.workspace, label.reject)
          : vscode.window.showInformationMessage(`Claude wants to ${lowerFirst(summary)}.`, label.approve, label.always, label.reject);
      void shown.then((choice) => {
        if (choice === label.approve) this.decide(id, 'approve');
        else if (choice === label.always) this.decide(id, 'always');
        else if (choice === label.workspace) this.decide(id, 'workspace');
        else if (choice === label.reject) this.decide(id, 'reject');
        // Dismissed: the question stays open in the diff and the chat card.
      });
    });
  }

  private async showDiff(edit: ProposedEdit): Promise<void> {
    const left = edit.kind === 'create' ? this.proposals.put('edit', edit.id, edit.path, 'before', '') : this.fileUri(edit.target);
    const right = this.proposals.put('edit', edit.id, edit.path, 'after', edit.after);
    if (!this.pending.has(edit.id)) return;
    const title = `${edit.path} ↔ proposed by Claude${edit.protectedReason === undefined ? '' : ' ⚠ runs or configures code: always asked'}`;
    await this.proposals.show(left, right, title, { preview: false, preserveFocus: true });
    if (!this.pending.has(edit.id)) await this.proposals.discard('edit', edit.id, true); // decided while the diff was opening
  }

  /** The edit an approveEdit/rejectEdit command means. */
  idOf(ref: EditRef): string | undefined {
    if (typeof ref === 'string') return ref;
    if (ref instanceof vscode.Uri) return this.proposals.idOf('edit', ref);
    if (ref && typeof ref === 'object' && typeof ref.id === 'string') return ref.id;
    // From the palette: the proposal in the active diff, else the newest one waiting.
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const active = input instanceof vscode.TabInputTextDiff ? this.proposals.idOf('edit', input.modified) : undefined;
    return active && this.pending.has(active) ? active : this.pendingIds().at(-1);
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.pendingEdit, this.pending.size > 0);
  }

  dispose(): void {
    for (const id of this.pendingIds()) this.decide(id, 'reject');
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
