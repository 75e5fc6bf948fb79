// Checkpoints: each agent turn that changes files records, per file, its text before the turn and after the
// turn's last change. Contents live once per conversation in `blobs`, keyed by their sha-256 (content-addressed:
// a file written back and forth costs nothing more). Bounded: files above MAX_CHECKPOINT_FILE_CHARS are not
// recorded (and the log says so), at most MAX_CHECKPOINTS turns keep contents, and when the contents pass the
// setting's size the oldest turns' checkpoints are pruned (they stay listed, marked unavailable).
import { createHash } from 'node:crypto';
import type { Conversation, Turn } from '../conversation';
import { MAX_CHECKPOINT_FILE_CHARS, MAX_CHECKPOINT_FILES } from '../persist/sessionSchemas';

export const MAX_CHECKPOINTS = 200;

/** What the workspace tools report after an approved edit was applied. */
export interface AppliedChange {
  /** Workspace-relative path, as the tool showed it. */
  path: string;
  /** The text before this edit; undefined: the edit created the file. */
  before: string | undefined;
  after: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function put(conv: Conversation, text: string): string {
  const h = sha256(text);
  (conv.blobs ??= {})[h] = text;
  return h;
}

/**
 * Records one applied change in the turn's checkpoint. Returns false when the file was too large to keep (the
 * caller logs it: a restore will not cover that file).
 */
export function recordChange(conv: Conversation, turn: Turn, c: AppliedChange, now: number, maxChars: number): boolean {
  if (c.after.length > MAX_CHECKPOINT_FILE_CHARS || (c.before?.length ?? 0) > MAX_CHECKPOINT_FILE_CHARS) return false;
  const cp = (turn.checkpoint ??= { files: [], at: now });
  const f = cp.files.find((x) => x.path === c.path);
  if (f) f.after = put(conv, c.after);
  else if (cp.files.length < MAX_CHECKPOINT_FILES) cp.files.push({ path: c.path, before: c.before === undefined ? null : put(conv, c.before), after: put(conv, c.after) });
  else return false;
  prune(conv, maxChars);
  return true;
}

/** Keeps the contents within `maxChars` and MAX_CHECKPOINTS turns, pruning the oldest first; drops unused blobs. */
export function prune(conv: Conversation, maxChars: number): void {
  const live = () => conv.turns.filter((t) => t.checkpoint && !t.checkpoint.pruned);
  const size = () => {
    const used = new Set(live().flatMap((t) => t.checkpoint!.files.flatMap((f) => [f.before, f.after]).filter((h): h is string => h !== null)));
    return [...used].reduce((n, h) => n + (conv.blobs?.[h]?.length ?? 0), 0);
  };
  for (let turns = live(); turns.length > 0 && (turns.length > MAX_CHECKPOINTS || size() > maxChars); turns = live()) turns[0].checkpoint!.pruned = true;
  collect(conv);
}

/** Removes contents no live checkpoint refers to (after pruning, a fork or a rewind). */
export function collect(conv: Conversation): void {
  if (!conv.blobs) return;
  const used = new Set(conv.turns.flatMap((t) => (t.checkpoint && !t.checkpoint.pruned ? t.checkpoint.files.flatMap((f) => [f.before, f.after]) : [])));
  for (const h of Object.keys(conv.blobs)) if (!used.has(h)) delete conv.blobs[h];
  if (Object.keys(conv.blobs).length === 0) delete conv.blobs;
}

/** The text stored under `hash`, only if it still hashes to it (the file on disk may have been altered). */
export function blob(conv: Conversation, hash: string): string | undefined {
  const text = conv.blobs?.[hash];
  return text !== undefined && sha256(text) === hash ? text : undefined;
}
