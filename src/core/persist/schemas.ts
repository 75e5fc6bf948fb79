// The shapes of every file the extension persists, as valibot schemas checked at load. The TypeScript types
// of the stored data (Conversation, UsageRow, PendingBatch, ConversationSummary) are checked at compile time to
// be exactly the schemas' output types (`Same` below), so a field added to one and not the other fails the
// typecheck instead of being dropped or rejected at load. Functions are imported one by one so the bundle
// keeps only what is used.
import {
  array, boolean, check, fallback, finite, integer, literal, maxLength, minValue, nonEmpty, nullable, number, object, optional, picklist,
  pipe, record, regex, safeInteger, string, unknown, variant, type InferOutput,
} from 'valibot';
import type { PendingBatch } from '../batch/types';
import type { Conversation } from '../conversation';
import type { UsageRow } from '../usage/store';
import type { ConversationSummary } from '../../shared/protocol';
import { BlobsSchema, CheckpointSchema, CompactionSchema, ForkOriginSchema, SESSION_TURN_FIELDS } from './sessionSchemas';
import { EFFORTS, TOOL_CHOICE_MODES } from '../../shared/requestOptions';

/** A conversation id: what becomes `conversations/<id>.json`. No dots, slashes or device names. */
export const SAFE_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const DEVICE_NAME = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
export const isSafeId = (id: unknown): id is string => typeof id === 'string' && SAFE_ID.test(id) && !DEVICE_NAME.test(id);

const Id = pipe(string(), check<string, 'not a valid id'>(isSafeId, 'not a valid id'));
const Count = pipe(number(), safeInteger(), minValue(0));
const Time = pipe(number(), finite());

// ---- conversations (conversations/<id>.json) ----

/**
 * An attached image or PDF. Its bytes live in the attachment store under `hash`, which becomes a file name: only
 * 64 lower-case hex digits pass. The thumbnail is shown in the webview: only a small JPEG/PNG data URL passes.
 */
const AttachmentSchema = object({
  id: pipe(string(), maxLength(100)),
  name: pipe(string(), maxLength(1000)),
  mediaType: picklist(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']),
  bytes: Count,
  tokens: Count,
  width: optional(Count),
  height: optional(Count),
  pages: optional(Count),
  thumbnail: fallback(optional(pipe(string(), maxLength(48_000), regex(/^data:image\/(jpeg|png);base64,[A-Za-z0-9+/]+={0,2}$/))), undefined),
  note: optional(string()),
  hash: pipe(string(), regex(/^[0-9a-f]{64}$/)),
  uri: optional(string()),
});

const CitationSchema = object({
  citedText: string(),
  title: optional(string()),
  startPage: optional(Count),
  endPage: optional(Count),
  attachmentId: optional(string()),
});
const SourceSchema = object({ url: string(), title: string(), pageAge: optional(string()) });
const WebCitationSchema = object({ url: string(), title: optional(string()), citedText: string() });
const EFFORT = picklist(EFFORTS);

const BlockSchema = object({
  id: string(),
  kind: picklist(['text', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result']),
  text: string(),
  complete: boolean(),
  signature: optional(string()),
  data: optional(string()),
  toolId: optional(string()),
  toolName: optional(string()),
  input: optional(unknown()),
  isError: optional(boolean()),
  toolStatus: fallback(optional(picklist(['pending-approval', 'running', 'done', 'error', 'denied', 'cancelled'])), undefined),
  protectedReason: optional(string()),
  cleared: optional(boolean()),
  toolSource: optional(string()),
  untrusted: optional(boolean()),
  attachments: optional(array(AttachmentSchema)),
  citations: optional(array(CitationSchema)),
  // What the chat shows of a web result or citation: dropped rather than refusing the file when malformed.
  sources: fallback(optional(array(SourceSchema)), undefined),
  errorCode: optional(string()),
  webCitations: fallback(optional(array(WebCitationSchema)), undefined),
  raw: optional(unknown()),
});

const CACHE_STATES = ['read', 'partial', 'written', 'miss', 'uncached'] as const;
const CACHE_REASONS = ['expired', 'model', 'tools', 'system', 'context', 'settings', 'messages', 'compacted', 'short', 'unknown'] as const;

const ERROR_ACTIONS = ['setApiKey', 'retry', 'openSettings', 'continue', 'continueTools', 'trim'] as const;

const TurnSchema = object({
  id: string(),
  userText: string(),
  blocks: array(BlockSchema),
  status: picklist(['streaming', 'complete', 'stopped', 'error']),
  model: string(),
  stopReason: optional(nullable(string())),
  stopSequence: optional(nullable(string())),
  // An action this version does not know (written by a newer one) is dropped, not a reason to refuse the file.
  error: optional(object({ message: string(), action: fallback(optional(picklist(ERROR_ACTIONS)), undefined) })),
  // Shown on the turn only: counts a gateway sent malformed are dropped rather than refusing the conversation.
  usage: fallback(optional(object({
    inputTokens: Count, outputTokens: Count, cacheReadTokens: Count, cacheWriteTokens: Count,
    webSearchRequests: optional(Count), webFetchRequests: optional(Count), costUsd: optional(pipe(number(), finite(), minValue(0))),
  })), undefined),
  toolCapReached: optional(boolean()),
  ref: optional(object({ label: string(), uri: string(), startLine: pipe(number(), integer()), endLine: pipe(number(), integer()) })),
  ...SESSION_TURN_FIELDS,
  checkpoint: optional(CheckpointSchema),
  attachments: optional(array(AttachmentSchema)),
  // Shown on the turn only: an effort or cache verdict this version does not know is dropped.
  effort: fallback(optional(EFFORT), undefined),
  cache: fallback(optional(object({
    state: picklist(CACHE_STATES), reason: optional(picklist(CACHE_REASONS)), detail: string(), readTokens: Count, missedTokens: optional(Count),
  })), undefined),
  command: optional(object({ name: string(), args: string(), model: optional(string()) })),
});

const ContextDocSchema = object({
  id: string(),
  label: string(),
  uri: optional(string()),
  languageId: optional(string()),
  text: string(),
  kind: picklist(['file', 'selection', 'problems', 'terminal', 'git']),
  range: optional(object({ startLine: pipe(number(), integer()), endLine: pipe(number(), integer()) })),
});

export const ConversationSchema = object({
  id: Id,
  title: string(),
  createdAt: Time,
  updatedAt: Time,
  model: optional(string()),
  systemPrompt: optional(string()),
  contextStart: optional(Count),
  context: optional(array(ContextDocSchema)),
  effort: fallback(optional(EFFORT), undefined),
  toolChoice: fallback(optional(picklist(TOOL_CHOICE_MODES)), undefined),
  webTools: optional(boolean()),
  turns: array(TurnSchema),
  compactions: optional(array(CompactionSchema)),
  blobs: optional(BlobsSchema),
  forkOf: optional(ForkOriginSchema),
});

// ---- the conversation index (index.json): a cache of summaries, rebuilt from the files when in doubt ----

const SummaryFields = { id: Id, title: string(), updatedAt: Time, turnCount: Count, model: optional(string()) };
export const SummarySchema = object(SummaryFields);

export const IndexSchema = object({
  version: literal(1),
  openId: optional(Id),
  /** `stamp` is the file's inode, mtime and size when the summary was taken; a different file is read again. */
  items: array(object({ ...SummaryFields, stamp: optional(object({ mtimeMs: number(), size: Count, ino: optional(number()) })) })),
});
export type IndexFile = InferOutput<typeof IndexSchema>;

// ---- usage (usage.d/): rows of token counts per day, workspace, model, batch ----

export const UsageRowSchema = object({
  day: pipe(string(), regex(/^\d{4}-\d{2}-\d{2}$/)),
  workspace: string(),
  model: string(),
  batch: boolean(),
  requests: Count,
  inputTokens: Count,
  outputTokens: Count,
  cacheReadTokens: Count,
  cacheWrite5mTokens: Count,
  cacheWrite1hTokens: Count,
  caller: optional(string()),
  webSearchRequests: optional(Count),
});
/** One appended usage entry: the counts one window adds in one write. */
export const UsageEntrySchema = pipe(array(UsageRowSchema), nonEmpty());
/** The old single-file format (usage.json), read once and moved into the log. */
export const UsageFileV1Schema = object({ version: literal(1), rows: array(UsageRowSchema) });

// ---- pending batches (pending-batches.d/) ----

export const PendingBatchSchema = object({
  id: pipe(string(), nonEmpty()),
  created: Time,
  model: string(),
  instruction: string(),
  maxTokens: pipe(number(), integer()),
  baseURL: string(),
  workspace: string(),
  files: record(string(), object({ label: string(), uri: string() })),
  findings: optional(object({ mode: picklist(['format', 'tool-forced', 'tool-auto']), hashes: record(string(), string()) })),
});
/** One appended change to the pending set. */
export const PendingEntrySchema = variant('op', [
  object({ op: literal('add'), batch: PendingBatchSchema }),
  object({ op: literal('remove'), id: pipe(string(), nonEmpty()) }),
]);
export type PendingEntry = InferOutput<typeof PendingEntrySchema>;
/** The old single-file format (pending-batches.json). */
export const PendingFileV1Schema = object({ version: literal(1), batches: array(PendingBatchSchema) });

// ---- the stored types are exactly the schemas' output (checked by the compiler, no runtime cost) ----

/** Rebuilds a type member by member (interfaces, Pick and Record alike), so `Same` compares structure only. */
type Norm<T> = T extends object ? { [K in keyof T]: Norm<T[K]> } : T;
type Same<A, B> = (<T>() => T extends Norm<A> ? 1 : 2) extends (<T>() => T extends Norm<B> ? 1 : 2) ? true : false;
type Assert<T extends true> = T;
export type _StoredTypesMatchSchemas = [
  Assert<Same<InferOutput<typeof ConversationSchema>, Conversation>>,
  Assert<Same<InferOutput<typeof SummarySchema>, ConversationSummary>>,
  Assert<Same<InferOutput<typeof UsageRowSchema>, UsageRow>>,
  Assert<Same<InferOutput<typeof PendingBatchSchema>, PendingBatch>>,
];
