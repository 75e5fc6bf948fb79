// The host <-> webview protocol. Plain data only: no vscode, no DOM.
// Both sides handle every message type (a handler table or an exhaustive switch with `assertNever`), and both check
// what they receive with the guards of shared/guards.ts first: messages from the webview are untrusted.

/** Where the API key in use comes from. The key itself never crosses into the webview. */
export type KeySource = 'secret' | 'env' | 'none';

export type BlockKind = 'text' | 'thinking' | 'redacted_thinking' | 'tool_use' | 'tool_result';

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
}

export interface UsageView {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
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
}

/** The files an agent turn changed. */
export interface CheckpointView {
  paths: string[];
  /** False when the contents were dropped to stay within the size bound. */
  available: boolean;
}

/** Where a summary replaced the turns before it in the request: a divider in the transcript that expands to it. */
export interface CompactionView {
  id: string;
  /** The divider sits before this turn (when `blockIndex` > 0, part of the turn is summarized too). */
  turnId: string;
  blockIndex: number;
  summary: string;
  /** Turns the summary covers. */
  turns: number;
  reason: 'threshold' | 'manual' | 'overflow';
  model: string;
  /** Written by the API's server-side compaction. */
  server: boolean;
  cost?: number;
  at: number;
}

/** The context meter: tokens in the context against the model's window, split by what they are. */
export interface MeterView {
  model: string;
  tokens: number;
  window?: number;
  /** From the API's usage or count (true), or estimated from characters (false). */
  exact: boolean;
  parts: { system: number; context: number; history: number; tools: number };
  /** Colour changes at this share of the window (claudeChat.contextMeter.warnAt). */
  warnAt: number;
  /** Automatic compaction fires at this share; undefined when it is off. */
  compactAt?: number;
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

/** An attached context document as the chat shows it (a removable chip). */
export interface ContextChip {
  id: string;
  label: string;
  kind: 'file' | 'selection';
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
  /** The open conversation's turns; a reply is streaming while the last one's status is 'streaming'. */
  turns: TurnView[];
  conversationId?: string;
  title?: string;
  /** Why workspace tools are off (e.g. Restricted Mode), if they are. */
  toolsNote?: string;
  compactions?: CompactionView[];
  meter?: MeterView;
}

/** How a turn ended: the fields of TurnView that change when it does. */
export type TurnOutcome = Pick<TurnView, 'stopReason' | 'stopSequence' | 'error' | 'usage' | 'toolCapReached' | 'rounds' | 'cost' | 'costPaused' | 'checkpoint'> & {
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
  /** protectedReason: why a pending edit is always asked (the file runs or configures code). */
  | { type: 'toolStatus'; turnId: string; toolId: string; status: ToolStatus; detail?: string; protectedReason?: string }
  | { type: 'turnResume'; turnId: string }
  | { type: 'notice'; message: string }
  /**
   * A summary now stands in for the turns before `compaction.turnId` in every request. For the cache doctor: the
   * prefix after the attached context changed on purpose (also ChatSessionDeps.onPrefixChange).
   */
  | { type: 'compacted'; compaction: CompactionView }
  | { type: 'meter'; meter: MeterView };

export type HostToWebview =
  | SessionEvent
  | { type: 'state'; state: ViewState }
  | { type: 'keyStatus'; hasApiKey: boolean; keySource: KeySource }
  | { type: 'history'; items: ConversationSummary[]; openId?: string; show: boolean }
  | { type: 'models'; models: ModelOption[]; current: string; error?: string }
  | { type: 'estimate'; tokens?: number; contextWindow?: number; error?: string }
  | { type: 'context'; items: ContextChip[] }
  | { type: 'model'; model: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; text: string }
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
  | { type: 'restoreCheckpoint'; turnId: string };

export type CodeBlockAction = 'copy' | 'insert' | 'apply';

export type ToolDecision = 'approve' | 'reject' | 'always';

/** The one wording of each decision, on the chat card and in the notification alike. */
export const TOOL_DECISION_LABELS: Readonly<Record<ToolDecision, string>> = {
  approve: 'Approve',
  always: 'Allow for this conversation',
  reject: 'Reject',
};

export function assertNever(x: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(x)}`);
}
