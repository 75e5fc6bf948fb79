// The host <-> webview protocol. Plain data only: no vscode, no DOM.
// Both sides handle every message type (a handler table or an exhaustive switch with `assertNever`), and both check
// what they receive with the guards of shared/guards.ts first: messages from the webview are untrusted.
import type { AttachmentMediaType, AttachmentView, CitationView } from './attachments';
export type { AttachmentMediaType, AttachmentView, CitationView } from './attachments';
import type { CacheView, ControlsView, Effort, SourceView, ToolChoiceMode, WebCitationView } from './requestOptions';
export type { CacheReason, CacheView, ControlsView, Effort, SourceView, ToolChoiceMode, WebCitationView } from './requestOptions';
import type { CheckpointView, CompactionView, MeterView } from './sessionViews';
export type { CheckpointView, CompactionView, MeterView } from './sessionViews';

/** Where the API key in use comes from. The key itself never crosses into the webview. */
export type KeySource = 'secret' | 'env' | 'none';

export type BlockKind = 'text' | 'thinking' | 'redacted_thinking' | 'tool_use' | 'tool_result' | ServerBlockKind;

/** Blocks of the web server tools: the call (input streams like a tool_use) and its result (arrives whole). */
export type ServerBlockKind = 'server_tool_use' | 'web_search_tool_result' | 'web_fetch_tool_result';

export type ToolStatus = 'pending-approval' | 'running' | 'done' | 'error' | 'denied' | 'cancelled';

export type TurnStatus = 'streaming' | 'complete' | 'stopped' | 'error';

/** A suggested follow-up for an error shown in the chat. */
export type ErrorAction = 'setApiKey' | 'retry' | 'openSettings' | 'continue' | 'continueTools' | 'trim';

export interface BlockView {
  id: string;
  kind: BlockKind;
  /** Text, thinking text, or the tool input JSON as streamed so far. */
  text: string;
  /** tool_use only. */
  toolName?: string;
  /** tool_use / tool_result: the API's tool_use id that pairs them. */
  toolId?: string;
  /** tool_result only. */
  isError?: boolean;
  toolStatus?: ToolStatus;
  /** tool_use waiting for approval only: why this edit is always asked (the file runs or configures code). */
  protectedReason?: string;
  /** tool_use of another extension's or an MCP server's tool: where it comes from (e.g. 'MCP server "notes"'). */
  toolSource?: string;
  /** tool_result from another extension or an MCP server: text from outside, shown as untrusted. */
  untrusted?: boolean;
  /** tool_result only: images or PDFs the tool returned (read_file on an image). */
  attachments?: AttachmentView[];
  /** text only: passages of attached PDFs the text cites (footnotes). */
  citations?: CitationView[];
  /** web_search_tool_result / web_fetch_tool_result: the pages found or fetched. */
  sources?: SourceView[];
  /** A server tool's result that failed: its error_code (the request itself succeeded). */
  errorCode?: string;
  /** text: the web sources this part of the reply cites (numbered links after it). */
  webCitations?: WebCitationView[];
}

export interface UsageView {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** usage.server_tool_use: billed web searches, and web fetches. */
  webSearchRequests?: number;
  webFetchRequests?: number;
  /** Dollars at list prices (tokens and searches), when the model has a price. */
  costUsd?: number;
}

export interface TurnView {
  id: string;
  userText: string;
  blocks: BlockView[];
  status: TurnStatus;
  model: string;
  stopReason?: string | null;
  stopSequence?: string | null;
  error?: ErrorView;
  usage?: UsageView;
  toolCapReached?: boolean;
  ref?: TurnRef;
  /** This turn continues the reply of turn `continues` (cut at max_tokens): shown as part of that reply. */
  continues?: string;
  /** API requests this turn made (tool rounds + 1), and what they cost in USD (undefined: no known price). */
  rounds?: number;
  cost?: number;
  /** The tool loop paused before a request projected at this many input tokens (claudeChat.tools.maxRequestTokens). */
  costPaused?: number;
  /** Files this (agent) turn changed, which "Restore checkpoint" can put back. */
  checkpoint?: CheckpointView;
  /** Images and PDFs sent with the message. */
  attachments?: AttachmentView[];
  /** output_config.effort the turn was sent with (none = the model's default). */
  effort?: Effort;
  /** Whether the turn's prefix was read from the prompt cache, and why not (core/cacheDoctor.ts). */
  cache?: CacheView;
  /** Set when the message came from a slash command (shown as a compact card; userText is the prompt it sent). */
  command?: TurnCommand;
}

/** The slash command a turn ran: `/name args`, and the model its prompt file asked for. */
export interface TurnCommand {
  name: string;
  args: string;
  model?: string;
}

/** The engine is waiting before it tries a failed request again. */
export interface RetryView {
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  /** Epoch ms when the next attempt starts. */
  until: number;
  reason: string;
}

export interface ErrorView {
  message: string;
  action?: ErrorAction;
}

/** What an attached context document is: a file, a range of one, or a snapshot of editor state (@-mentions). */
export type ContextKind = 'file' | 'selection' | 'problems' | 'terminal' | 'git';

/** An attached context document as the chat shows it (a removable chip). */
export interface ContextChip {
  id: string;
  label: string;
  kind: ContextKind;
  /** Estimated tokens (core/tokens.ts). */
  tokens: number;
}

/** What a user message is about: a file and line range, shown as a chip that reveals it. */
export interface TurnRef {
  label: string;
  uri: string;
  startLine: number;
  endLine: number;
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
  turnCount: number;
  model?: string;
}

export interface ModelOption {
  id: string;
  displayName: string;
}

export interface ViewState {
  hasApiKey: boolean;
  keySource: KeySource;
  model: string;
  /**
   * The open conversation's newest turns (all of them unless `olderTurns` says otherwise); a reply is streaming
   * while the last one's status is 'streaming'. The last turn is always here.
   */
  turns: TurnView[];
  /** How many turns come before `turns[0]` and were not sent (the view asks for them with `loadOlder`). */
  olderTurns?: number;
  conversationId?: string;
  title?: string;
  /** Why workspace tools are off (e.g. Restricted Mode), if they are. */
  toolsNote?: string;
  compactions?: CompactionView[];
  meter?: MeterView;
}

/** How a turn ended: the fields of TurnView that change when it does. */
export type TurnOutcome = Pick<TurnView, 'stopReason' | 'stopSequence' | 'error' | 'usage' | 'toolCapReached' | 'rounds' | 'cost' | 'costPaused' | 'checkpoint' | 'cache'> & {
  status: Exclude<TurnStatus, 'streaming'>;
};

/**
 * What the engine (core/chatSession.ts) reports about the open conversation. Each event is emitted after the state
 * it describes is true (inside a `turnEnd` handler the session is no longer busy), and each is also a
 * HostToWebview message: the host forwards them unchanged.
 */
export type SessionEvent =
  | { type: 'turnStart'; turn: TurnView }
  | { type: 'blockStart'; turnId: string; block: BlockView }
  | { type: 'blockDelta'; turnId: string; blockId: string; text: string }
  | { type: 'blockStop'; turnId: string; blockId: string }
  | { type: 'turnEnd'; turnId: string; outcome: TurnOutcome }
  | { type: 'retryWait'; turnId: string; retry: RetryView }
  /** protectedReason: why a pending edit is always asked (the file runs or configures code); source: an external tool's origin. */
  | { type: 'toolStatus'; turnId: string; toolId: string; status: ToolStatus; detail?: string; protectedReason?: string; source?: string }
  | { type: 'turnResume'; turnId: string }
  /** One more citation of the text block (the API streams them one at a time). */
  | { type: 'citation'; turnId: string; blockId: string; citation: CitationView }
  | { type: 'notice'; message: string }
  /**
   * A summary now stands in for the turns before `compaction.turnId` in every request. For the cache doctor: the
   * prefix after the attached context changed on purpose (also ChatSessionDeps.onPrefixChange).
   */
  | { type: 'compacted'; compaction: CompactionView }
  | { type: 'meter'; meter: MeterView }
  /** The sources a finished text block cites (citations_delta, gathered until content_block_stop). */
  | { type: 'blockCitations'; turnId: string; blockId: string; citations: WebCitationView[] };

/** One entry of the @ / slash completion list. */
export interface CompletionItem {
  kind: 'file' | 'folder' | 'symbol' | 'selection' | 'problems' | 'terminal' | 'git' | 'command' | 'prefix';
  /** What the list shows (a file name, a command with its slash). */
  label: string;
  /** Dim text after the label (the folder of a file, where a command comes from). */
  detail?: string;
  /** A longer description (a command's). */
  description?: string;
  /** Replaces the typed trigger and query. */
  insert: string;
  /** Keep the list open after inserting (a kind prefix such as "@file:"). */
  again?: boolean;
}

/** A command the composer offers. */
export interface CommandView {
  name: string;
  description: string;
  argumentHint?: string;
  source: 'builtin' | 'prompt' | 'claude';
}

/** An instruction file in use (a chip above the input). */
export interface InstructionView {
  label: string;
  tokens: number;
  truncated?: boolean;
}

/** What the composer knows about the workspace: its commands, the instruction files in use, and why not, if not. */
export interface ComposerInfo {
  commands: CommandView[];
  instructions: InstructionView[];
  /** E.g. "Restricted Mode: this workspace's instruction and prompt files are ignored." */
  note?: string;
}

/** What one postMessage to the chat page carries: a message, or several posted in the same turn of the event loop. */
export type HostPost = HostToWebview | { type: 'batch'; messages: HostToWebview[] };

export type HostToWebview =
  | SessionEvent
  | { type: 'state'; state: ViewState }
  /**
   * The answer to `loadOlder`: the turns just before `before` (oldest first), and how many still come before them.
   * The view takes them only if `before` is still its first turn in `conversationId`.
   */
  | { type: 'olderTurns'; conversationId: string; before: string; turns: TurnView[]; olderTurns: number }
  | { type: 'keyStatus'; hasApiKey: boolean; keySource: KeySource }
  | { type: 'history'; items: ConversationSummary[]; openId?: string; show: boolean }
  | { type: 'models'; models: ModelOption[]; current: string; error?: string }
  | { type: 'estimate'; tokens?: number; contextWindow?: number; error?: string }
  | { type: 'context'; items: ContextChip[] }
  | { type: 'model'; model: string }
  /** The attachments waiting for the next message; `settled` lists the webview's local ids now handled. */
  | { type: 'attachments'; items: AttachmentView[]; settled?: string[]; maxBase64?: number }
  /** Asks the webview to decode an image: size, thumbnail, and a smaller copy when it is over maxEdge/maxBase64. */
  | { type: 'prepareImage'; requestId: string; mediaType: Exclude<AttachmentMediaType, 'application/pdf'>; data: string; maxEdge: number; maxBase64: number }
  /** The message was not sent (its attachments break a limit): the text goes back into the composer. */
  | { type: 'sendRefused'; text: string; reason: string }
  /** The effort / tool choice / web controls for the current model and conversation. */
  | { type: 'controls'; controls: ControlsView }
  /** The answer to a `complete` request; may come twice for one id (first results, then the full list). */
  | { type: 'completions'; id: number; items: CompletionItem[] }
  | { type: 'composer'; info: ComposerInfo }
  /** A message the composer did not send (an unknown command, a mention that cannot be read): shown in place. */
  | { type: 'composerError'; message: string; text: string; action?: ErrorAction };

export type WebviewToHost =
  | { type: 'ready' }
  /** The view scrolled near the first turn it has (`before`): the host sends a page of the turns before it. */
  | { type: 'loadOlder'; conversationId: string; before: string }
  | { type: 'send'; text: string }
  /** Completion for the token at the caret: `@query` or `/query`. */
  | { type: 'complete'; id: number; trigger: '@' | '/'; query: string }
  | { type: 'stop' }
  | { type: 'newChat' }
  | { type: 'retry' }
  | { type: 'continue' }
  | { type: 'continueTools' }
  | { type: 'trim' }
  | { type: 'showHistory' }
  | { type: 'openConversation'; id: string }
  | { type: 'renameConversation'; id: string }
  | { type: 'deleteConversation'; id: string }
  | { type: 'exportConversation' }
  | { type: 'setModel'; model: string }
  | { type: 'refreshModels' }
  | { type: 'draft'; text: string }
  | { type: 'removeContext'; id: string }
  | { type: 'revealContext'; id: string }
  | { type: 'revealRef'; turnId: string }
  | { type: 'toolDecision'; toolId: string; decision: ToolDecision }
  | { type: 'runCommand'; command: 'setApiKey' | 'openSettings' }
  | { type: 'openLink'; href: string }
  | { type: 'codeBlockAction'; action: CodeBlockAction; code: string; lang: string }
  | { type: 'compact' }
  | { type: 'editResend'; turnId: string; text: string }
  | { type: 'restoreCheckpoint'; turnId: string }
  /** A pasted or dropped file the webview read (base64), with its thumbnail and, when it downscaled it, the original size. */
  | { type: 'attachFile'; localId: string; name: string; data: string; thumbnail?: string; resizedFrom?: { width: number; height: number } }
  /** Files dragged from VS Code (the explorer, an editor tab): their URIs. */
  | { type: 'attachUris'; uris: string[] }
  /** The attach button: the host shows a file picker. */
  | { type: 'pickAttachments' }
  | { type: 'removeAttachment'; id: string }
  /** Opens an attachment (waiting, sent, or returned by a tool) in an editor tab. */
  | { type: 'openAttachment'; id: string }
  /** Opens the PDF a footnote cites, at its page. */
  | { type: 'openCitation'; turnId: string; blockId: string; index: number }
  /** The answer to prepareImage. */
  | { type: 'imagePrepared'; requestId: string; width?: number; height?: number; data?: string; mediaType?: Exclude<AttachmentMediaType, 'application/pdf'>; thumbnail?: string; error?: string }
  | { type: 'setEffort'; effort: Effort | 'default' }
  | { type: 'setToolChoice'; choice: ToolChoiceMode }
  | { type: 'setWebTools'; on: boolean };

export type CodeBlockAction = 'copy' | 'insert' | 'apply';

/** 'workspace': only for tools of other extensions and MCP servers (allow this tool in this workspace). */
export type ToolDecision = 'approve' | 'reject' | 'always' | 'workspace';

/** The one wording of each decision, on the chat card and in the notification alike. */
export const TOOL_DECISION_LABELS: Readonly<Record<ToolDecision, string>> = {
  approve: 'Approve',
  always: 'Allow for this conversation',
  workspace: 'Allow in this workspace',
  reject: 'Reject',
};

export function assertNever(x: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(x)}`);
}
