// The chat behind the sidebar view, without VS Code: owns the one authoritative conversation (a ChatSession),
// forwards its events to the webview unchanged, answers the webview's messages (core/chat/dispatch.ts), and reaches
// the editor only through the ports of core/chat/ports.ts. host/chatController.ts adapts it to VS Code.
import type { ContextChip, HostToWebview, SessionEvent, TurnCommand, TurnRef, ViewState, WebviewToHost } from '../../shared/protocol';
import { ChatSession } from '../chatSession';
import { copyForkMedia } from '../attachments/forkCopy';
import type { Attachment } from '../attachments/types';
import { ChatAttachments, checkSend, sweepAttachments, wireAttachments } from '../attachments/wiring';
import { composerChat } from '../composer/chatLink';
import { ComposerService } from '../composer/service';
import { ContextDoc, newConversation } from '../conversation';
import { describeError } from '../errors';
import { Disposable, toDisposable } from '../lifecycle';
import { estimateTokens, tokensForChars } from '../tokens';
import { dispatch, Handlers, webviewHandlers } from './dispatch';
import { HistoryService } from './history';
import { checkLink } from './links';
import type { ChatAppDeps, EditorPorts } from './ports';
import { SessionActions } from './sessionActions';
import { RequestControls } from './requestControls';
import { newestPage, pageBeforeTurn } from './turnPages';
import { ViewLink } from './viewLink';

const ESTIMATE_DEBOUNCE_MS = 700;

export function chipOf(d: ContextDoc): ContextChip {
  return { id: d.id, label: d.label, kind: d.kind, tokens: estimateTokens(d.text) };
}

/** What goes with a message besides its text and the file range it is about. */
export interface SendOptions {
  /** The slash command the message came from (recorded on the turn). */
  command?: TurnCommand;
  /** Context to attach, once the spend guard allows the send (@-mentions). */
  attach?: ContextDoc[];
  /** From the composer: the waiting images and PDFs go with it, once checked against the request's limits. */
  withAttachments?: boolean;
  /** Images and PDFs that go with it as they are (an edited and resent message's). */
  carried?: Attachment[];
}

export class ChatApp extends Disposable {
  readonly session: ChatSession;
  readonly history: HistoryService;
  /** Compact, edit and resend, restore a checkpoint (core/chat/sessionActions.ts). */
  readonly actions: SessionActions;
  /** Effort, tool choice and web tools next to the model picker, and the warnings before breaking the cache. */
  readonly controls: RequestControls;
  /** Settles when the conversation that was open at the last shutdown is back (or could not be). */
  readonly restored: Promise<void>;
  /** @-mentions, slash commands and instruction files (core/composer/); absent without a ComposerHost. */
  readonly composer: ComposerService | undefined;
  private readonly link: ViewLink;
  private readonly handlers: Handlers;
  private estimateTimer: ReturnType<typeof setTimeout> | undefined;
  private busyTimer: ReturnType<typeof setTimeout> | undefined;
  private historyVisible = false;
  private liveChars = 0;
  /** Images and PDFs: the chips waiting for the next message, and the webview's image work (when configured). */
  readonly attachments: ChatAttachments | undefined;

  constructor(private readonly deps: ChatAppDeps) {
    super();
    this.link = new ViewLink(deps.view);
    this.attachments = deps.attachments && wireAttachments(deps.attachments, {
      post: (m) => this.post(m),
      viewReady: () => this.link.isReady,
      conversationId: () => this.session.conversation.id,
      model: () => this.model(),
      turns: () => this.session.history,
      contextWindow: (m) => deps.models.contextWindow(m),
      logger: deps.logger,
    });
    this.session = this.register(
      new ChatSession({
        apiKey: async () => (await deps.keys.resolve()).key,
        settings: () => ({ ...deps.config.settings(), systemBlocks: this.composer?.systemBlocks() }),
        clientFactory: deps.connect,
        usage: deps.usage,
        logger: deps.logger,
        tools: deps.tools,
        contextWindow: (model) => deps.models.contextWindow(model),
        contextCapabilities: (model) => deps.models.contextCapabilities?.(model),
        price: deps.usage?.price ? (model, t) => deps.usage?.price?.(model, t) : undefined,
        onPrefixChange: deps.onPrefixChange,
        media: this.attachments?.service,
        capabilities: deps.models.capabilities ? (model) => deps.models.capabilities!(model) : undefined,
        webBlocked: deps.webBlocked,
      }),
    );
    this.history = new HistoryService(deps.store, this.session, deps.logger, deps.ports, this.attachments?.service);
    this.actions = new SessionActions({
      session: this.session,
      history: this.history,
      notify: deps.ports.notify,
      logger: deps.logger,
      checkpoints: deps.checkpoints,
      post: (m) => this.post(m),
      pushState: () => this.pushState(),
      send: (text, ref, attachments) => this.send(text, ref, { carried: attachments }),
      forkMedia: this.attachments && ((from, fork, extra) => copyForkMedia(this.attachments!.service.store, from, fork, deps.logger, extra)),
      allowed: () => this.allowed(),
      now: () => Date.now(),
    });
    this.controls = new RequestControls(this.session, deps, (controls) => this.post({ type: 'controls', controls }), () => this.saveIfStarted());
    // The composer's /compact hook (core/composer/ports.ts): this chat's compaction, unless the host brings its own.
    if (deps.composer) deps.composer.compact ??= () => this.compact();
    this.composer = deps.composer ? this.register(new ComposerService(deps.composer, composerChat(this))) : undefined;
    this.handlers = webviewHandlers(this);
    this.register(this.session.onDidEvent((e) => this.onSessionEvent(e)));
    this.register(
      deps.config.onDidChangeModel(() => {
        this.post({ type: 'model', model: this.model() });
        this.controls.push();
      }),
    );
    this.register(toDisposable(() => clearTimeout(this.estimateTimer)));
    this.restored = this.history.restore().then(
      async (ok) => {
        if (ok) await this.pushState();
      },
      (e) => deps.logger.error(`could not restore the last conversation: ${String(e)}`),
    );
    const a = this.attachments;
    if (a) void this.restored.then(async () => sweepAttachments(a, (await this.history.list()).map((c) => c.id), this.session.conversation.id, Date.now(), deps.logger));
  }

  get ports(): EditorPorts {
    return this.deps.ports;
  }

  /** A message from the webview, already checked by the guard (shared/guards.ts). */
  handle(message: WebviewToHost): Promise<void> {
    return dispatch(this.handlers, message);
  }

  /** The webview page is loading again or went away: hold messages until it says `ready`. */
  viewReset(): void {
    this.link.reset();
    this.attachments?.preparer.reset();
  }

  post(message: HostToWebview): void {
    this.link.post(message);
  }

  /** The page said `ready`: deliver what waited, then the whole state. */
  async ready(): Promise<void> {
    this.link.markReady();
    await this.restored;
    await this.pushState();
    if ((await this.deps.keys.resolve()).key) void this.pushModels(false);
  }

  /** Forwards each session event to the view unchanged; feeds the usage counter and the saved history. */
  private onSessionEvent(e: SessionEvent): void {
    this.post(e);
    switch (e.type) {
      case 'turnStart':
      case 'turnResume':
        this.liveChars = 0;
        // After the request is on its way: the context key is a round trip to the workbench (~1-2 ms of this thread).
        clearTimeout(this.busyTimer);
        this.busyTimer = setTimeout(() => void this.updateBusyContext(), 0);
        return;
      case 'blockDelta':
        // A live estimate until the API's exact count arrives.
        this.liveChars += e.text.length;
        this.deps.usage?.streaming?.(this.session.conversation.id, tokensForChars(this.liveChars));
        return;
      case 'turnEnd': {
        void this.updateBusyContext();
        this.deps.usage?.streamEnded?.();
        const turn = this.session.history.find((t) => t.id === e.turnId);
        const u = e.outcome.usage;
        if (turn && u) {
          const promptTokens = u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.outputTokens;
          this.deps.usage?.setContext?.({ model: turn.model, promptTokens, contextWindow: this.deps.models.contextWindow(turn.model) });
        }
        void this.history.saveOpen().then(() => this.pushHistory(false));
        return;
      }
      case 'compacted':
        void this.history.saveOpen();
        return;
      default:
        return;
    }
  }

  model(): string {
    return this.session.conversation.model ?? this.deps.config.settings().model;
  }

  /**
   * The view's state. `deferMeter`: a long conversation's (one whose state leaves older turns out) comes without
   * the meter, which estimates the whole conversation; the caller posts it right after the state.
   */
  async state(deferMeter = false): Promise<ViewState> {
    const { key, source } = await this.deps.keys.resolve();
    const c = this.session.conversation;
    const tools = this.deps.tools;
    const toolsNote = tools && tools.enabled && !tools.enabled() ? tools.disabledReason?.() : undefined;
    // Built after the last await, so no event can slip between the snapshot and its post. Only the newest turns go
    // (core/chat/turnPages.ts): the view asks for older ones as it scrolls up.
    const page = newestPage(c.turns);
    const state: ViewState = { hasApiKey: !!key, keySource: source, model: this.model(), turns: page.turns, conversationId: c.id, title: c.title, toolsNote };
    if (page.olderTurns > 0) state.olderTurns = page.olderTurns;
    const compactions = this.session.compactionViews();
    if (compactions.length) state.compactions = compactions;
    if (deferMeter && state.olderTurns) return state;
    const meter = this.session.meter();
    if (meter) state.meter = meter;
    return state;
  }

  /** Posts the state; a long conversation's meter after it, so the view can show the turns sooner. */
  private async postState(): Promise<void> {
    const state = await this.state(true);
    this.post({ type: 'state', state });
    if (state.meter || !state.olderTurns) return;
    const meter = this.session.meter();
    if (meter) this.post({ type: 'meter', meter });
  }

  /** Re-sends the whole view state (e.g. when tools were turned on or off). */
  async pushState(): Promise<void> {
    await this.postState();
    this.pushContext();
    this.attachments?.tray.push();
    this.controls.push();
    void this.composer?.pushInfo().catch((e: unknown) => this.deps.logger.warn(`composer: ${String(e)}`));
  }

  /**
   * The view's `loadOlder`: the page of turns before its first one. A request about another conversation is dropped
   * (the state of the open one is already on its way); a turn the conversation no longer has means the view is out
   * of date, so it gets the state again.
   */
  async loadOlder(conversationId: string, before: string): Promise<void> {
    const c = this.session.conversation;
    if (conversationId !== c.id) return;
    const page = pageBeforeTurn(c.turns, before);
    if (page) this.post({ type: 'olderTurns', conversationId, before, ...page });
    else await this.postState();
  }

  async pushKeyStatus(): Promise<void> {
    const { key, source } = await this.deps.keys.resolve();
    this.post({ type: 'keyStatus', hasApiKey: !!key, keySource: source });
    if (key) void this.pushModels(false);
  }

  async pushHistory(show: boolean): Promise<void> {
    if (!show && !this.historyVisible) return;
    this.historyVisible = true;
    this.post({ type: 'history', items: await this.history.list(), openId: this.session.conversation.id, show });
  }

  keys(): ReturnType<ChatAppDeps['keys']['resolve']> {
    return this.deps.keys.resolve();
  }

  modelList(): ReturnType<ChatAppDeps['models']['list']> {
    return this.deps.models.list(false);
  }

  async pushModels(refresh: boolean): Promise<void> {
    const { models, error } = await this.deps.models.list(refresh);
    this.post({ type: 'models', models: models.map((m) => ({ id: m.id, displayName: m.displayName })), current: this.model(), error });
    this.controls.push(); // /v1/models may have changed what the model accepts
  }

  pushContext(): void {
    this.post({ type: 'context', items: this.session.context.map(chipOf) });
  }

  /** /compact and "Claude: Compact Conversation": summarizes the older turns now. */
  compact(): Promise<void> {
    return this.actions.compact();
  }

  /** A message typed in the composer: a slash command, mentions to attach, or plain text (core/composer/). */
  async submit(text: string): Promise<void> {
    const t = text.trim();
    if (this.session.busy) return;
    if (this.composer && t) return this.composer.submit(t);
    return this.send(t, undefined, { withAttachments: true });
  }

  /** Sends a message as it is (editor commands too); see SendOptions for what goes with it. */
  async send(text: string, ref?: TurnRef, { command, attach = [], withAttachments = false, carried }: SendOptions = {}): Promise<void> {
    const t = text.trim();
    const a = withAttachments ? this.attachments : undefined;
    await a?.tray.settled();
    const pending = a?.tray.items ?? [];
    if ((!t && pending.length === 0) || this.session.busy) return;
    const refused = a && checkSend(a, this.session.history.slice(this.session.conversation.contextStart ?? 0), pending, this.model());
    if (refused) return this.post({ type: 'sendRefused', text, reason: refused });
    if (!(await this.allowed())) return;
    if (attach.length) this.attachContext(attach);
    if (this.deps.refreshContext && this.session.context.length > 0) {
      for (const d of await this.deps.refreshContext(this.session.context)) this.session.attach(d);
      this.pushContext();
    }
    if (await this.composer?.beforeSend()) void this.composer?.pushInfo();
    await this.session.send(t, ref, carried ?? a?.tray.take(), command);
  }

  /** False (saying so, without waiting for the notification) when no key is set: callers then attach and send nothing. */
  async requireKey(): Promise<boolean> {
    if ((await this.deps.keys.resolve()).key) return true;
    void this.ports.notify.warn('Set your Anthropic API key first: Claude API Chat sends nothing without one.', 'Set API Key').then(async (choice) => {
      if (choice) await this.ports.commands.setApiKey();
    });
    return false;
  }

  /** The spend guard, when there is one. */
  allowed(): Promise<boolean> {
    return this.deps.mayRequest ? this.deps.mayRequest() : Promise.resolve(true);
  }

  async newChat(): Promise<void> {
    const old = this.session.conversation;
    await this.session.load(newConversation());
    await this.attachments?.tray.reset(old.id, old.turns);
    await this.deps.store.setOpen(undefined);
    await this.pushState();
  }

  async openConversation(id: string): Promise<void> {
    const old = this.session.conversation;
    if (this.session.busy || !(await this.history.open(id))) return;
    if (old.id !== id) await this.attachments?.tray.reset(old.id, old.turns);
    await this.pushState();
  }

  /** The conversation's own model, or none when it is the setting's. Asks first when that throws a warm cache away. */
  async setModel(model: string): Promise<void> {
    if (model !== this.model() && !(await this.controls.confirmBreak(`Switching to ${model} mid-conversation`, model))) {
      this.post({ type: 'model', model: this.model() });
      return;
    }
    this.session.conversation.model = model === this.deps.config.settings().model ? undefined : model;
    this.post({ type: 'model', model: this.model() });
    this.controls.push();
    await this.saveIfStarted();
  }

  /** Lets the user override claudeChat.systemPrompt for the open conversation (empty = use the setting). */
  async editSystemPrompt(): Promise<void> {
    const conv = this.session.conversation;
    const value = await this.ports.input.ask({
      title: 'System prompt for this conversation',
      prompt: ['Overrides the claudeChat.systemPrompt setting for this conversation only. Leave empty to use the setting.', this.controls.cacheCost('Changing it')].filter(Boolean).join(' '),
      value: conv.systemPrompt ?? this.deps.config.settings().systemPrompt ?? '',
      keepOpen: true,
    });
    if (value === undefined) return;
    conv.systemPrompt = value.trim() ? value : undefined;
    await this.saveIfStarted();
    this.post({ type: 'notice', message: conv.systemPrompt ? 'This conversation now uses its own system prompt.' : 'This conversation uses the claudeChat.systemPrompt setting.' });
  }

  /** Attaches files or selections as cached context (re-attaching the same id replaces it in place). */
  attachContext(docs: ContextDoc[]): void {
    for (const d of docs) this.session.attach(d);
    this.pushContext();
  }

  async removeContext(id: string): Promise<void> {
    this.session.detach(id);
    this.pushContext();
    await this.saveIfStarted();
  }

  async revealContext(id: string): Promise<void> {
    const d = this.session.context.find((x) => x.id === id);
    if (d?.uri) await this.ports.editor.reveal(d.uri, d.range);
  }

  async revealRef(turnId: string): Promise<void> {
    const ref = this.session.history.find((t) => t.id === turnId)?.ref;
    if (ref) await this.ports.editor.reveal(ref.uri, { startLine: ref.startLine, endLine: ref.endLine });
  }

  /** Opens http(s) and mailto links from a reply; refuses (and says so) any other scheme. */
  async openLink(href: string): Promise<void> {
    const check = checkLink(href);
    if (check.open) return this.ports.editor.openExternal(href);
    if (check.scheme === undefined) return;
    this.deps.logger.warn(`refused to open a link with scheme "${check.scheme}"`);
    void this.ports.notify.warn(`Claude API Chat does not open "${check.scheme}:" links from replies.`);
  }

  /** Counts the next request's input tokens once typing pauses, and posts the estimate. */
  scheduleEstimate(text: string): void {
    // The user is typing: the instruction files are read now rather than when the message is sent.
    if (text.trim()) this.composer?.typing();
    clearTimeout(this.estimateTimer);
    this.estimateTimer = setTimeout(() => {
      this.estimateTimer = undefined;
      void this.session.countTokens(text, this.attachments?.tray.items).then(
        (counted) => {
          const contextWindow = this.deps.models.contextWindow(this.model());
          const tokens = counted?.tokens;
          this.post({ type: 'estimate', tokens, contextWindow });
          if (counted) this.post({ type: 'meter', meter: counted.meter });
          if (tokens !== undefined) this.deps.usage?.setContext?.({ model: this.model(), promptTokens: tokens, contextWindow, estimate: tokens });
        },
        (e) => this.post({ type: 'estimate', error: describeError(e).message }),
      );
    }, this.deps.estimateDebounceMs ?? ESTIMATE_DEBOUNCE_MS);
  }

  private async saveIfStarted(): Promise<void> {
    if (this.session.conversation.turns.length > 0) await this.history.saveOpen();
  }

  private updateBusyContext(): Promise<void> {
    return this.ports.commands.setBusy(this.session.busy);
  }

  override dispose(): void {
    clearTimeout(this.busyTimer);
    this.session.stop();
    super.dispose();
  }
}

