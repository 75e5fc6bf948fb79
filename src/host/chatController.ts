// Connects the core ChatSession to the chat view: webview requests in, streaming events out.
import * as vscode from 'vscode';
import { ApiKeyService } from '../core/apiKey';
import { ChatSession } from '../core/chatSession';
import { ContextDoc, newConversation } from '../core/conversation';
import type { ConversationStore } from '../core/conversationStore';
import { describeError } from '../core/errors';
import type { Logger } from '../core/ports';
import type { ToolRunner } from '../core/tools/types';
import { assertNever, ContextChip, HostToWebview, SessionEvent, TurnRef, ViewState, WebviewToHost } from '../shared/protocol';
import { estimateTokens, tokensForChars } from '../core/tokens';
import type { UsageRecord } from '../shared/usage';
import { CodeActions } from './codeActions';
import { readSettings, SECTION } from './config';
import { HistoryService } from './history';
import { ModelService } from './models';

export interface ViewPort {
  post(message: HostToWebview): void;
}

/** Where usage goes (the status-bar counter). */
export interface UsageSink {
  record(r: UsageRecord): void;
  streaming?(conversationId: string, estimatedOutputTokens: number): void;
  streamEnded?(): void;
  setContext?(info: { model: string; promptTokens: number; contextWindow?: number; estimate?: number }): void;
}

export interface ChatControllerDeps {
  keys: ApiKeyService;
  logger: Logger;
  store: ConversationStore;
  models: ModelService;
  tools?: ToolRunner;
  usage?: UsageSink;
  /** Asked before each request; false cancels the send (the spend guard). */
  mayRequest?: () => Promise<boolean>;
  /** Re-reads attached files that changed since they were attached (called before each send). */
  refreshContext?: (docs: readonly ContextDoc[]) => Promise<ContextDoc[]>;
}

export function chipOf(d: ContextDoc): ContextChip {
  return { id: d.id, label: d.label, kind: d.kind, tokens: estimateTokens(d.text) };
}

const ESTIMATE_DEBOUNCE_MS = 700;

export class ChatController implements vscode.Disposable {
  readonly session: ChatSession;
  readonly history: HistoryService;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly codeActions = new CodeActions();
  private estimateTimer: ReturnType<typeof setTimeout> | undefined;
  private historyVisible = false;
  private liveChars = 0;
  readonly restored: Promise<void>;

  constructor(private readonly view: ViewPort, private readonly deps: ChatControllerDeps) {
    this.session = new ChatSession({
      apiKey: async () => (await deps.keys.resolve()).key,
      settings: readSettings,
      logger: deps.logger,
      usage: deps.usage,
      tools: deps.tools,
      contextWindow: (model) => deps.models.contextWindow(model),
    });
    this.history = new HistoryService(deps.store, this.session, deps.logger);
    this.disposables.push(this.session, this.session.onDidEvent((e) => this.onSessionEvent(e)));
    this.disposables.push(
      this.codeActions,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.model`)) view.post({ type: 'model', model: this.model() });
      }),
    );
    this.restored = this.history.restore().then(
      async (ok) => {
        if (ok) view.post({ type: 'state', state: await this.state() });
      },
      (e) => deps.logger.error(`could not restore the last conversation: ${String(e)}`),
    );
  }

  /** Forwards each session event to the view unchanged, and feeds the usage counter and the saved history. */
  private onSessionEvent(e: SessionEvent): void {
    this.view.post(e);
    switch (e.type) {
      case 'turnStart':
        this.liveChars = 0;
        void this.updateBusyContext();
        return;
      case 'blockDelta':
        // A live estimate until the API's exact count arrives.
        this.liveChars += e.text.length;
        this.deps.usage?.streaming?.(this.session.conversation.id, tokensForChars(this.liveChars));
        return;
      case 'turnResume':
        void this.updateBusyContext();
        return;
      case 'turnEnd': {
        void this.updateBusyContext();
        this.deps.usage?.streamEnded?.();
        const turn = this.session.history.find((t) => t.id === e.turnId);
        const u = e.outcome.usage;
        if (turn && u) this.deps.usage?.setContext?.({ model: turn.model, promptTokens: u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.outputTokens, contextWindow: this.deps.models.contextWindow(turn.model) });
        void this.history.saveOpen().then(() => this.pushHistory(false));
        return;
      }
    }
  }

  private model(): string {
    return this.session.conversation.model ?? readSettings().model;
  }

  async state(): Promise<ViewState> {
    const { key, source } = await this.deps.keys.resolve();
    const c = this.session.conversation;
    const tools = this.deps.tools as (ToolRunner & { enabled?(): boolean; disabledReason?(): string | undefined }) | undefined;
    const toolsNote = tools && tools.enabled && !tools.enabled() ? tools.disabledReason?.() : undefined;
    return { hasApiKey: !!key, keySource: source, model: this.model(), turns: this.session.views(), busy: this.session.busy, conversationId: c.id, title: c.title, toolsNote };
  }

  async pushKeyStatus(): Promise<void> {
    const { key, source } = await this.deps.keys.resolve();
    this.view.post({ type: 'keyStatus', hasApiKey: !!key, keySource: source });
    if (key) void this.pushModels(false);
  }

  private async pushHistory(show: boolean): Promise<void> {
    if (!show && !this.historyVisible) return;
    this.historyVisible = true;
    this.view.post({ type: 'history', items: await this.history.list(), openId: this.session.conversation.id, show });
  }

  private async pushModels(refresh: boolean): Promise<void> {
    const { models, error } = await this.deps.models.list(refresh);
    this.view.post({ type: 'models', models: models.map((m) => ({ id: m.id, displayName: m.displayName })), current: this.model(), error });
  }

  /** Re-sends the whole view state (e.g. when tools were turned on or off). */
  refresh(): Promise<void> {
    return this.pushState();
  }

  private async pushState(): Promise<void> {
    this.view.post({ type: 'state', state: await this.state() });
    this.pushContext();
  }

  async handle(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.restored;
        await this.pushState();
        if ((await this.deps.keys.resolve()).key) void this.pushModels(false);
        return;
      case 'send':
        return this.send(m.text);
      case 'stop':
        this.session.stop();
        return;
      case 'retry':
        if (await this.allowed()) await this.session.retry();
        return;
      case 'continue':
        if (await this.allowed()) await this.session.continueReply();
        return;
      case 'continueTools':
        if (await this.allowed()) await this.session.resumeTools();
        return;
      case 'trim':
        await this.session.trimAndRetry();
        return;
      case 'toolDecision':
        if (m.decision === 'reject') await vscode.commands.executeCommand('claudeChat.rejectEdit', m.toolId);
        else await vscode.commands.executeCommand('claudeChat.approveEdit', m.toolId, m.decision === 'always' ? 'conversation' : undefined);
        return;
      case 'newChat':
        return this.newChat();
      case 'showHistory':
        return this.pushHistory(true);
      case 'openConversation':
        if (!this.session.busy && (await this.history.open(m.id))) await this.pushState();
        return;
      case 'renameConversation':
        await this.history.rename(m.id);
        await this.pushHistory(false);
        return;
      case 'deleteConversation':
        await this.history.delete(m.id, () => void this.pushState().then(() => this.pushHistory(false)));
        return;
      case 'exportConversation':
        return this.history.exportOpen();
      case 'setModel':
        this.session.conversation.model = m.model === readSettings().model ? undefined : m.model;
        this.view.post({ type: 'model', model: this.model() });
        if (this.session.conversation.turns.length > 0) await this.history.saveOpen();
        return;
      case 'refreshModels':
        return this.pushModels(true);
      case 'draft':
        this.scheduleEstimate(m.text);
        return;
      case 'removeContext':
        this.session.detach(m.id);
        this.pushContext();
        if (this.session.conversation.turns.length > 0) await this.history.saveOpen();
        return;
      case 'revealContext': {
        const d = this.session.context.find((x) => x.id === m.id);
        if (d?.uri) await this.reveal(d.uri, d.range?.startLine, d.range?.endLine);
        return;
      }
      case 'revealRef': {
        const ref = this.session.history.find((t) => t.id === m.turnId)?.ref;
        if (ref) await this.reveal(ref.uri, ref.startLine, ref.endLine);
        return;
      }
      case 'runCommand':
        if (m.command === 'setApiKey') await vscode.commands.executeCommand('claudeChat.setApiKey');
        else await vscode.commands.executeCommand('workbench.action.openSettings', SECTION);
        return;
      case 'openLink':
        await this.openLink(m.href);
        return;
      case 'codeAction':
        await this.codeActions.run(m.action, m.code, m.lang);
        return;
      default:
        assertNever(m);
    }
  }

  /** Sends a user message (also used by editor commands, with the file range it is about). */
  async send(text: string, ref?: TurnRef): Promise<void> {
    const t = text.trim();
    if (!t || this.session.busy) return;
    if (!(await this.allowed())) return;
    if (this.deps.refreshContext && this.session.context.length > 0) {
      for (const d of await this.deps.refreshContext(this.session.context)) this.session.attach(d);
      this.pushContext();
    }
    await this.session.send(t, ref);
  }

  /** Lets the user override claudeChat.systemPrompt for the open conversation (empty = use the setting). */
  async editSystemPrompt(): Promise<void> {
    const conv = this.session.conversation;
    const value = await vscode.window.showInputBox({
      title: 'System prompt for this conversation',
      prompt: 'Overrides the claudeChat.systemPrompt setting for this conversation only. Leave empty to use the setting.',
      value: conv.systemPrompt ?? readSettings().systemPrompt ?? '',
      ignoreFocusOut: true,
    });
    if (value === undefined) return;
    conv.systemPrompt = value.trim() ? value : undefined;
    if (conv.turns.length > 0) await this.history.saveOpen();
    this.view.post({ type: 'notice', message: conv.systemPrompt ? 'This conversation now uses its own system prompt.' : 'This conversation uses the claudeChat.systemPrompt setting.' });
  }

  /** Attaches files or selections as cached context (re-attaching the same id replaces it in place). */
  attachContext(docs: ContextDoc[]): void {
    for (const d of docs) this.session.attach(d);
    this.pushContext();
  }

  pushContext(): void {
    this.view.post({ type: 'context', items: this.session.context.map(chipOf) });
  }

  private async reveal(uri: string, startLine?: number, endLine?: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
    const editor = await vscode.window.showTextDocument(doc, { preview: true });
    if (startLine !== undefined) {
      const range = new vscode.Range(startLine, 0, endLine ?? startLine, Number.MAX_SAFE_INTEGER);
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }

  private async allowed(): Promise<boolean> {
    return this.deps.mayRequest ? this.deps.mayRequest() : true;
  }

  private scheduleEstimate(text: string): void {
    if (this.estimateTimer) clearTimeout(this.estimateTimer);
    this.estimateTimer = setTimeout(() => {
      this.estimateTimer = undefined;
      void this.session.countTokens(text).then(
        (tokens) => {
          const contextWindow = this.deps.models.contextWindow(this.model());
          this.view.post({ type: 'estimate', tokens, contextWindow });
          if (tokens !== undefined) this.deps.usage?.setContext?.({ model: this.model(), promptTokens: tokens, contextWindow, estimate: tokens });
        },
        (e) => this.view.post({ type: 'estimate', error: describeError(e).message }),
      );
    }, ESTIMATE_DEBOUNCE_MS);
  }

  async newChat(): Promise<void> {
    await this.session.load(newConversation());
    await this.deps.store.setOpen(undefined);
    await this.pushState();
  }

  private async openLink(href: string): Promise<void> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(href, true);
    } catch {
      return;
    }
    if (uri.scheme !== 'http' && uri.scheme !== 'https' && uri.scheme !== 'mailto') {
      this.deps.logger.warn(`refused to open a link with scheme "${uri.scheme}"`);
      void vscode.window.showWarningMessage(`Claude API Chat does not open "${uri.scheme}:" links from replies.`);
      return;
    }
    await vscode.env.openExternal(uri);
  }

  private updateBusyContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'claudeChat.busy', this.session.busy);
  }

  dispose(): void {
    if (this.estimateTimer) clearTimeout(this.estimateTimer);
    this.session.stop();
    for (const d of this.disposables) d.dispose();
  }
}
