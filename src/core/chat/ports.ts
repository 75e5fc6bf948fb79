// The small interfaces through which the chat app (core/chat/chatApp.ts) reaches the editor. host/chatController.ts
// implements them with the VS Code API; the unit tests implement them with fakes.
import type { Connect } from '../keyRoute';
import type { CodeBlockAction, HostToWebview, KeySource, ModelOption, ToolDecision } from '../../shared/protocol';
import type { ComposerHost } from '../composer/ports';
import type { ContextDoc } from '../conversation';
import type { ModelCapabilities } from '../capabilities';
import type { ConversationStore } from '../conversationStore';
import type { Event } from '../lifecycle';
import type { Logger, RequestSettings, UsageRecorder } from '../ports';
import type { ToolRunner } from '../tools/types';
import type { Tokens } from '../../shared/usage';
import type { ContextCapabilities, PrefixChange } from '../session/longSession';
import type { CheckpointPorts } from '../session/restore';
import type { AttachmentDeps } from '../attachments/ports';

/** Delivers a message to the chat webview if one is showing (the ready handshake is core/chat/viewLink.ts). */
export interface ViewTransport {
  post(message: HostToWebview): void;
}

/** Notifications with optional buttons; resolves to the button chosen, or undefined when dismissed. */
export interface Notifier {
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  error(message: string, ...actions: string[]): Promise<string | undefined>;
}

export interface InputRequest {
  title: string;
  prompt?: string;
  value?: string;
  /** A message when the value is not acceptable, else undefined. */
  validate?(value: string): string | undefined;
  /** Stay open when focus moves elsewhere (for longer text). */
  keepOpen?: boolean;
}

/** A one-line input box; undefined when cancelled. */
export interface InputPort {
  ask(request: InputRequest): Promise<string | undefined>;
}

export interface LineRange {
  startLine: number;
  endLine: number;
}

export interface EditorPort {
  /** Opens the document and selects the (0-based, inclusive) lines. */
  reveal(uri: string, lines?: LineRange): Promise<void>;
  /** Opens an untitled Markdown document with this text. */
  openMarkdown(text: string): Promise<void>;
  /** Opens an http(s) or mailto link outside the editor; the caller has checked the scheme. */
  openExternal(href: string): Promise<void>;
}

/** The buttons on a code block in a reply: copy, insert at the cursor, apply through a diff. */
export interface CodeBlockPort {
  run(action: CodeBlockAction, code: string, lang: string): Promise<void>;
}

/** Answers a tool call waiting for approval. False when it is not waiting (decided, cancelled, unknown). */
export interface ApprovalPort {
  decide(toolId: string, decision: ToolDecision): boolean;
}

export interface CommandPort {
  setApiKey(): Promise<void>;
  /** Opens the Settings editor filtered by `query`. */
  openSettings(query: string): Promise<void>;
  /** Tells the editor whether a reply is streaming (a context key for `when` clauses). */
  setBusy(busy: boolean): Promise<void>;
}

/** The claudeChat.* settings, read fresh on every call. */
export interface ChatConfig {
  settings(): RequestSettings;
  /** Fires when claudeChat.model changed, or a setting the request controls depend on (effort, web, capabilities). */
  onDidChangeModel: Event<void>;
}

export interface ModelsPort {
  /** The models the key can use; on failure the cached list (or none) and the reason. */
  list(refresh: boolean): Promise<{ models: ModelOption[]; error?: string }>;
  contextWindow(model: string): number | undefined;
  /** What /v1/models says the model supports of context management (compaction, context editing); undefined: not known. */
  contextCapabilities?(model: string): ContextCapabilities | undefined;
  /** The capability table (core/capabilities.ts) for `model`; without it no effort/tool-choice/web controls are offered. */
  capabilities?(model: string): ModelCapabilities;
}

export interface KeysPort {
  resolve(): Promise<{ key: string | undefined; source: KeySource }>;
}

/** The workspace tools, with why they are off (Restricted Mode, no folder) when they are. */
export interface ToolsPort extends ToolRunner {
  enabled?(): boolean;
  disabledReason?(): string | undefined;
}

/** Where usage goes: exact records, and the live estimate while a reply streams. */
export interface UsageSink extends UsageRecorder {
  streaming?(conversationId: string, estimatedOutputTokens: number): void;
  streamEnded?(): void;
  setContext?(info: { model: string; promptTokens: number; contextWindow?: number; estimate?: number }): void;
  /** USD for tokens sent to a model with the user's price settings; undefined when unknown. */
  price?(model: string, t: Tokens): number | undefined;
}

export interface EditorPorts {
  notify: Notifier;
  input: InputPort;
  editor: EditorPort;
  codeBlocks: CodeBlockPort;
  approvals: ApprovalPort;
  commands: CommandPort;
}

export interface ChatAppDeps {
  view: ViewTransport;
  ports: EditorPorts;
  keys: KeysPort;
  /** The one way to a client that carries the key (core/keyRoute.ts: user-level baseURL, host allowed first). */
  connect: Connect;
  config: ChatConfig;
  store: ConversationStore;
  models: ModelsPort;
  logger: Logger;
  tools?: ToolsPort;
  usage?: UsageSink;
  /** Asked before each request; false cancels the send (the spend guard). */
  mayRequest?: () => Promise<boolean>;
  /** Re-reads attached files that changed since they were attached (called before each send). */
  refreshContext?: (docs: readonly ContextDoc[]) => Promise<ContextDoc[]>;
  /** How long typing must pause before the next message's tokens are counted (ms). */
  estimateDebounceMs?: number;
  /** Restoring checkpoints: the workspace (confinement) and the editor side (diff, modal, one WorkspaceEdit). */
  checkpoints?: CheckpointPorts;
  /** The cache doctor's hook: a request's prefix changed on purpose (compaction, cleared tool results). */
  onPrefixChange?: (c: PrefixChange) => void;
  /** Images and PDFs in the conversation; without it, attachments are refused. */
  attachments?: AttachmentDeps;
  /** Why the web tools may not be used now (Restricted Mode: they follow the workspace tools), or undefined. */
  webBlocked?: () => string | undefined;
  /** The editor behind @-mentions, slash commands and instruction files; without it messages are sent as typed. */
  composer?: ComposerHost;
}
