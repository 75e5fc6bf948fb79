// The chat's long-session actions: compact now (/compact, "Claude: Compact Conversation"), edit and resend an
// earlier message (a fork, offering to restore that point's files), restore a turn's checkpoint (optionally
// rewinding the chat, also a fork). Forks keep the old branch whole in the history.
import type { HostToWebview, TurnRef } from '../../shared/protocol';
import type { ChatSession } from '../chatSession';
import type { Attachment } from '../attachments/types';
import type { Conversation } from '../conversation';
import { describeError } from '../errors';
import type { Logger } from '../ports';
import { forkAt } from '../session/fork';
import { CheckpointPorts, RESTORE, restoreCheckpoint } from '../session/restore';
import type { HistoryService } from './history';
import type { Notifier } from './ports';

export interface SessionActionsDeps {
  session: ChatSession;
  history: HistoryService;
  notify: Notifier;
  logger: Logger;
  checkpoints?: CheckpointPorts;
  post(m: HostToWebview): void;
  pushState(): Promise<void>;
  /** Sends through the chat (spend guard, refreshed context); `attachments`: the edited message's images and PDFs. */
  send(text: string, ref?: TurnRef, attachments?: Attachment[]): Promise<void>;
  /** Copies the stored images and PDFs a fork carries (and `extra`) into the fork's own folder. */
  forkMedia?(fromId: string, fork: Conversation, extra?: readonly Attachment[]): Promise<void>;
  allowed(): Promise<boolean>;
  now(): number;
}

const KEEP = 'Keep Files As They Are';

export class SessionActions {
  constructor(private readonly d: SessionActionsDeps) {}

  /** Summarizes the older turns now; the notices say what happened. */
  async compact(): Promise<void> {
    if (this.d.session.busy) {
      this.d.post({ type: 'notice', message: 'Claude is replying; compact the conversation once the reply has ended.' });
      return;
    }
    if (!(await this.d.allowed())) return;
    const r = await this.d.session.compactNow();
    if (r === 'done') await this.d.history.saveOpen();
  }

  /**
   * Edits an earlier user message and sends it again: the conversation forks before that turn (the old branch stays
   * in the history), and when that turn or a later one changed files, offers to restore them first.
   */
  async editResend(turnId: string, text: string): Promise<void> {
    const t = text.trim();
    const old = this.d.session.conversation;
    const index = old.turns.findIndex((x) => x.id === turnId);
    if (!t || index < 0 || this.d.session.busy) return;
    const { ref, attachments } = old.turns[index];
    await this.d.history.saveOpen();
    const fork = forkAt(old, index, 'edited', this.d.now());
    await this.d.forkMedia?.(old.id, fork, attachments);
    await this.d.session.load(fork);
    await this.d.pushState();
    this.d.post({ type: 'notice', message: `Editing "${preview(old.turns[index].userText)}": this conversation continues from there; the original stays in Conversations.` });
    if (this.d.checkpoints && old.turns.slice(index).some((x) => x.checkpoint)) {
      const answer = await this.d.checkpoints.restore.ask(
        'Restore the files Claude changed from that message on?',
        'The edited message is sent after this. Restoring puts the files back as they were before the original message (one undoable edit).',
        RESTORE,
        KEEP,
      );
      if (answer === RESTORE) await this.restoreFrom(old, index, false);
    }
    await this.d.send(t, ref, attachments && structuredClone(attachments));
  }

  /** "Restore checkpoint" on a turn: files back to before it, and optionally the conversation too (a fork). */
  async restoreCheckpoint(turnId: string): Promise<void> {
    const conv = this.d.session.conversation;
    const index = conv.turns.findIndex((x) => x.id === turnId);
    if (index < 0) return;
    if (this.d.session.busy) {
      this.d.post({ type: 'notice', message: 'Claude is replying; restore the checkpoint once the reply has ended.' });
      return;
    }
    const rewind = await this.restoreFrom(conv, index, true);
    if (!rewind) return;
    await this.d.history.saveOpen();
    const fork = forkAt(conv, index, 'rewound', this.d.now());
    await this.d.forkMedia?.(conv.id, fork);
    await this.d.session.load(fork);
    await this.d.history.saveOpen();
    await this.d.pushState();
    this.d.post({ type: 'notice', message: 'Rewound: this conversation continues from before that turn. The full conversation stays in Conversations.' });
  }

  /** Runs the restore flow for `conv` from turn `index`; true when the user also chose to rewind. */
  private async restoreFrom(conv: Conversation, index: number, offerRewind: boolean): Promise<boolean> {
    const ports = this.d.checkpoints;
    if (!ports) {
      this.d.post({ type: 'notice', message: 'Checkpoints cannot be restored here: no workspace folder is open.' });
      return false;
    }
    try {
      const r = await restoreCheckpoint(conv, index, ports, offerRewind);
      if (r.kind === 'nothing') this.d.post({ type: 'notice', message: r.message });
      if (r.kind !== 'restored') return false;
      const kept = r.skipped.length ? ` Kept your changes to ${r.skipped.join(', ')}.` : '';
      this.d.post({ type: 'notice', message: `Restored ${r.files} ${r.files === 1 ? 'file' : 'files'} to before that turn (Undo in the editor reverts it).${kept}` });
      return r.rewind;
    } catch (e) {
      this.d.logger.warn(`restore failed: ${describeError(e).message}`);
      void this.d.notify.error(`Claude API Chat could not restore the checkpoint: ${describeError(e).message}`);
      return false;
    }
  }
}

function preview(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
