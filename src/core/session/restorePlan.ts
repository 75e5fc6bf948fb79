// What "Restore checkpoint" on turn k would do: put every file that turn k or a later turn changed back to its text
// before turn k. A conversation file (and so a checkpoint) is data another process may have written, so each
// entry is checked again here: its contents must hash to what the checkpoint names, its path must resolve inside
// the workspace (core/tools/confine.ts, symlinks followed), nothing inside .git is written, and files that run or
// configure code carry the reason they are always asked (core/tools/protectedPaths.ts). A file whose text is not
// what the agent left (the user changed it since) is flagged, so it is never overwritten without asking.
import type { Conversation } from '../conversation';
import { Confinement } from '../tools/confine';
import { ToolError } from '../tools/paths';
import { insideGit, namesOf, protection } from '../tools/protectedPaths';
import type { WorkspacePort } from '../tools/workspace';
import { blob } from './checkpoints';

export interface RestoreFile {
  path: string;
  /** The canonical path now (it passed the confinement check). */
  target: string;
  /** The text to put back; undefined = the turn created the file, so it is deleted. */
  restored: string | undefined;
  /** The text now; undefined = the file does not exist. */
  current: string | undefined;
  /** The file is not as the agent left it: changed by someone since. */
  changedSince: boolean;
  protectedReason?: string;
}

export interface RestorePlan {
  files: RestoreFile[];
  /** Files that cannot be restored, and why. */
  refused: { path: string; reason: string }[];
  /** Files already as they were before the turn. */
  unchanged: string[];
}

interface Entry {
  path: string;
  before: string | null;
  after: string;
  pruned: boolean;
}

/** Per path: the text before the first of turns k.. that changed it, after the last one. */
function entries(conv: Conversation, k: number): Entry[] {
  const byPath = new Map<string, Entry>();
  for (const t of conv.turns.slice(k)) {
    for (const f of t.checkpoint?.files ?? []) {
      const e = byPath.get(f.path);
      if (e) e.after = f.after;
      else byPath.set(f.path, { path: f.path, before: f.before, after: f.after, pruned: !!t.checkpoint?.pruned });
      if (t.checkpoint?.pruned && e) e.pruned = true;
    }
  }
  return [...byPath.values()];
}

export async function planRestore(conv: Conversation, turnIndex: number, port: WorkspacePort): Promise<RestorePlan> {
  const plan: RestorePlan = { files: [], refused: [], unchanged: [] };
  const conf = new Confinement(port);
  for (const e of entries(conv, turnIndex)) {
    const refuse = (reason: string) => void plan.refused.push({ path: e.path, reason });
    if (e.pruned) {
      refuse('its saved contents were dropped to keep checkpoints within their size limit');
      continue;
    }
    const restored = e.before === null ? undefined : blob(conv, e.before);
    const expected = blob(conv, e.after);
    if ((e.before !== null && restored === undefined) || expected === undefined) {
      refuse('its saved contents are missing or were altered');
      continue;
    }
    try {
      const r = await conf.resolve(e.path, { mustExist: false });
      const names = await namesOf(r, port);
      if (insideGit(names)) {
        refuse('it is inside a .git folder, which is never written');
        continue;
      }
      const current = r.exists ? await conf.readText(r) : undefined;
      if (current === restored) {
        plan.unchanged.push(e.path);
        continue;
      }
      const p = protection(names, current, restored ?? '');
      const file: RestoreFile = { path: r.display, target: r.real, restored, current, changedSince: current !== expected };
      if (p) file.protectedReason = p.reason;
      plan.files.push(file);
    } catch (err) {
      refuse(err instanceof ToolError ? err.message : `it could not be read (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return plan;
}
