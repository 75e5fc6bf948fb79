// What a long session keeps with the conversation (persisted; core/persist/schemas.ts holds the schemas):
// compactions (a summary that stands in for the turns before it in every request) and checkpoints (the files an
// agent turn changed, as they were before it).
import type { UsageView } from '../../shared/protocol';

/** A summary that replaces the turns before it in the request. The turns themselves stay in the conversation. */
export interface Compaction {
  id: string;
  /** The first turn kept (whole, or from `blockIndex`); the turns before it are summarized. */
  turnId: string;
  /** Where the kept part of that turn starts in its blocks; 0 = the whole turn, its message included. */
  blockIndex: number;
  /** The summary as text (for a server compaction, the block's content). */
  summary: string;
  /** The API's compaction block, sent back verbatim to the model that wrote it (server-side compaction). */
  block?: { encrypted: string | null; signature: string | null; model: string };
  /** The model that wrote the summary. */
  model: string;
  at: number;
  /** Turns the summary covers in total (including those an earlier summary covered). */
  turns: number;
  reason: 'threshold' | 'manual' | 'overflow';
  /** Summarization requests it took (more than one: chunked). */
  requests: number;
  usage: UsageView;
  /** USD; undefined when a model had no known price. */
  cost?: number;
}

/** One file an agent turn changed. Contents are in Conversation.blobs, by sha-256. */
export interface CheckpointFile {
  /** Workspace-relative path as the tools showed it (multi-root: the folder name first). */
  path: string;
  /** The text before the turn; null = the file did not exist. */
  before: string | null;
  /** The text after the turn's last change to it. */
  after: string;
}

/** The files an agent turn changed, as they were before and after it. */
export interface Checkpoint {
  files: CheckpointFile[];
  at: number;
  /** Contents were dropped to keep the conversation's checkpoints within their size bound: cannot be restored. */
  pruned?: boolean;
}

/** A conversation forked from another (edit and resend, or a rewind): where it came from. */
export interface ForkOrigin {
  conversationId: string;
  turnId: string;
}
