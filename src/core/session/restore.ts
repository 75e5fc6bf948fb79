// "Restore checkpoint": shows what will be reverted, asks (files changed since the agent's edit are asked about
// separately and never overwritten without a yes), then writes every file as one undoable edit. The editor side is
// the RestorePort (host/checkpoints/restorePort.ts); the decisions are here, tested in plain node.
import type { Conversation } from '../conversation';
import type { WorkspacePort } from '../tools/workspace';
import { planRestore, RestoreFile } from './restorePlan';

/** A file to write back, as the host needs it. */
export type RestoreWrite = Pick<RestoreFile, 'path' | 'target' | 'restored' | 'current'>;

export interface RestorePort {
  /** Shows each file's change (its text now -> the text it gets back). */
  showDiff(title: string, files: readonly RestoreWrite[]): Promise<void>;
  /** A modal question: the chosen action, or undefined when cancelled. */
  ask(message: string, detail: string, ...actions: string[]): Promise<string | undefined>;
  /** Writes every file as one undoable edit; rejects (writing nothing) if a file is no longer as `current` says. */
  apply(files: readonly RestoreWrite[]): Promise<void>;
}

export interface CheckpointPorts {
  workspace: WorkspacePort;
  restore: RestorePort;
}

export const RESTORE = 'Restore Files';
export const RESTORE_AND_REWIND = 'Restore and Rewind Conversation';
export const OVERWRITE = 'Overwrite Them';
export const SKIP = 'Skip Them';

export type RestoreOutcome = { kind: 'restored'; files: number; rewind: boolean; skipped: string[] } | { kind: 'cancelled' } | { kind: 'nothing'; message: string };

function list(paths: readonly string[], max = 8): string {
  return paths.length <= max ? paths.join(', ') : `${paths.slice(0, max).join(', ')} and ${paths.length - max} more`;
}

/** Restores the files turns `turnIndex`.. changed to before that turn. `offerRewind`: also offer to rewind the chat. */
export async function restoreCheckpoint(conv: Conversation, turnIndex: number, ports: CheckpointPorts, offerRewind: boolean): Promise<RestoreOutcome> {
  const plan = await planRestore(conv, turnIndex, ports.workspace);
  const refusedNote = plan.refused.map((r) => `${r.path}: not restored, ${r.reason}.`).join('\n');
  if (plan.files.length === 0) {
    const why = plan.refused.length ? refusedNote : plan.unchanged.length ? 'The files are already as they were before this turn.' : 'This turn changed no files.';
    return { kind: 'nothing', message: `Nothing to restore. ${why}` };
  }
  let files = plan.files;
  const skipped: string[] = [];
  const changed = files.filter((f) => f.changedSince);
  if (changed.length > 0) {
    const answer = await ports.restore.ask(
      `${changed.length === 1 ? 'A file was' : `${changed.length} files were`} changed after Claude edited ${changed.length === 1 ? 'it' : 'them'}: ${list(changed.map((f) => f.path))}.`,
      'Restoring overwrites those changes. You can also restore the other files only.',
      OVERWRITE,
      SKIP,
    );
    if (answer === undefined) return { kind: 'cancelled' };
    if (answer === SKIP) {
      skipped.push(...changed.map((f) => f.path));
      files = files.filter((f) => !f.changedSince);
      if (files.length === 0) return { kind: 'nothing', message: 'Nothing restored: every file was changed after Claude edited it, and you chose to keep those changes.' };
    }
  }
  const writes: RestoreWrite[] = files.map(({ path, target, restored, current }) => ({ path, target, restored, current }));
  await ports.restore.showDiff(`Restore checkpoint: ${files.length} ${files.length === 1 ? 'file' : 'files'}`, writes);
  const detail = [
    ...files.map((f) => `${f.path}: ${f.restored === undefined ? 'deleted (the turn created it)' : f.current === undefined ? 'created again' : 'restored'}${f.protectedReason ? ` (protected: ${f.protectedReason})` : ''}`),
    refusedNote,
    'This is one edit: Undo in the editor reverts it.',
  ].filter(Boolean).join('\n');
  const actions = offerRewind ? [RESTORE, RESTORE_AND_REWIND] : [RESTORE];
  const answer = await ports.restore.ask(`Restore ${files.length} ${files.length === 1 ? 'file' : 'files'} to how ${files.length === 1 ? 'it was' : 'they were'} before this turn?`, detail, ...actions);
  if (answer === undefined) return { kind: 'cancelled' };
  await ports.restore.apply(writes);
  return { kind: 'restored', files: files.length, rewind: answer === RESTORE_AND_REWIND, skipped };
}
