// Schemas of what a long session keeps with a conversation (core/session/types.ts): compactions and checkpoints.
// A conversation file is data another process (or a repository's tooling) could have written: shapes and sizes are
// checked here at load; each checkpoint's contents are checked against their sha-256 and each path against the
// workspace confinement and protected-path rules again when restored (core/session/restorePlan.ts).
import { array, boolean, check, finite, integer, maxLength, minValue, nullable, number, object, optional, picklist, pipe, record, regex, safeInteger, string } from 'valibot';

/** Longest text of one checkpointed file (characters); larger files are not checkpointed. */
export const MAX_CHECKPOINT_FILE_CHARS = 2_000_000;
/** Upper bound of all checkpoint contents of one conversation at load (the setting's maximum, 256 MB). */
export const MAX_BLOB_CHARS = 268_435_456;

const Count = pipe(number(), safeInteger(), minValue(0));
const Money = pipe(number(), finite(), minValue(0));
export const Sha256 = pipe(string(), regex(/^[0-9a-f]{64}$/));

export const CompactionSchema = object({
  id: pipe(string(), maxLength(100)),
  turnId: pipe(string(), maxLength(100)),
  blockIndex: Count,
  summary: string(),
  block: optional(object({ encrypted: nullable(string()), signature: nullable(string()), model: string() })),
  model: string(),
  at: pipe(number(), finite()),
  turns: Count,
  reason: picklist(['threshold', 'manual', 'overflow']),
  requests: pipe(number(), integer(), minValue(0)),
  usage: object({
    inputTokens: Count, outputTokens: Count, cacheReadTokens: Count, cacheWriteTokens: Count,
    webSearchRequests: optional(Count), webFetchRequests: optional(Count), costUsd: optional(Money),
  }),
  cost: optional(Money),
});

const CheckpointFileSchema = object({
  path: pipe(string(), maxLength(4096)),
  before: nullable(Sha256),
  after: Sha256,
});

/** Bounded: the checkpoint store keeps at most MAX_CHECKPOINT_FILES files per turn. */
export const MAX_CHECKPOINT_FILES = 500;

export const CheckpointSchema = object({
  files: pipe(array(CheckpointFileSchema), maxLength(MAX_CHECKPOINT_FILES)),
  at: pipe(number(), finite()),
  pruned: optional(boolean()),
});

export const BlobsSchema = pipe(
  record(Sha256, pipe(string(), maxLength(MAX_CHECKPOINT_FILE_CHARS))),
  check((r) => Object.values(r).reduce((n, v) => n + v.length, 0) <= MAX_BLOB_CHARS, 'checkpoint contents exceed their bound'),
);

export const ForkOriginSchema = object({ conversationId: pipe(string(), maxLength(64)), turnId: pipe(string(), maxLength(100)) });

/** Fields a long session adds to a stored turn. */
export const SESSION_TURN_FIELDS = {
  continues: optional(pipe(string(), maxLength(100))),
  rounds: optional(Count),
  cost: optional(Money),
  costPaused: optional(Count),
};
