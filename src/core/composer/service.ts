// The composer's engine: completion for @ and /, what a submitted message becomes (a command, mentions read into
// attached context, or an error shown in place and never sent), and the instruction files in the system prompt.
// Owned by the ChatApp (core/chat/chatApp.ts), which hands it the chat's actions; the editor is reached through
// ComposerHost (ports.ts).
import { parseMentions, parseSlash } from '../../shared/mentions';
import type { CommandView, ComposerInfo, ErrorAction, HostToWebview, TurnCommand, TurnRef } from '../../shared/protocol';
import type { ContextDoc } from '../conversation';
import { Disposable, toDisposable } from '../lifecycle';
import { estimateTokens } from '../tokens';
import { Confinement } from '../tools/confine';
import { BUILTIN_NAMES, BUILTINS, type ChatActions, type CommandResult } from './builtins';
import { loadCommandFiles, type UserCommand } from './commandFiles';
import { commandItems, foldersOf, mentionItems, symbolItems } from './complete';
import { expandClaudeCommand, expandPromptFile } from './expand';
import { FileIndex } from './fileIndex';
import { instructionBlock, loadInstructions, type InstructionSet } from './instructions';
import { symbolName, type ComposerHost, type SymbolHit } from './ports';
import { RepoFiles } from './repoFiles';
import { resolveMentions, type ResolveContext } from './resolve';

/** What the composer needs from the chat besides the command actions. */
export interface ComposerChat extends ChatActions {
  hasKey(): Promise<boolean>;
  post(message: HostToWebview): void;
  /** Sends a user message as it is, `docs` attached first (the spend guard and the re-read of attached files included). */
  sendTurn(text: string, ref?: TurnRef, command?: TurnCommand, docs?: ContextDoc[]): Promise<void>;
  /** Labels of the attached files and selections (for nested instruction files). */
  contextLabels(): string[];
}

const RELOAD_DELAY_MS = 150;
/** The / list reads the command files again when they were read longer ago than this. */
const COMMANDS_STALE_MS = 2000;
const PARTIAL_REPOST_MS = 100;
/** A read of the instruction files begun by typing counts for a send this long after it (file events cover the rest). */
export const TYPING_READ_MS = 5000;
const NO_KEY = { message: 'Set your Anthropic API key first: nothing is sent without one.', action: 'setApiKey' as ErrorAction };

export class ComposerService extends Disposable {
  readonly index: FileIndex;
  private readonly repo: RepoFiles;
  private instructions: InstructionSet = { files: [], skipped: [], restricted: false };
  private instructionsKey: string | undefined;
  /** Bumped when instruction files changed on disk: the next refresh() reads them again. */
  private generation = 0;
  private loading: { key: string; done: Promise<boolean> } | undefined;
  /** The read begun after the latest keystroke, for the next send; `again`: a keystroke came during a read. */
  private typed: { at: number; done: Promise<boolean> } | undefined;
  private typingRead: Promise<unknown> | undefined;
  private typedAgain = false;
  private userCommands: UserCommand[] = [];
  private commandsLoaded: Promise<void> | undefined;
  private commandsAt = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private lastCompletion = -1;
  /** The file completion answered from a list still being built: answered again as paths arrive. */
  private partial: { id: number; query: string; at: number; found: boolean; timer?: ReturnType<typeof setTimeout> } | undefined;
  private folderCache: { paths: readonly string[]; folders: string[] } | undefined;
  private readonly symbols = new Map<string, SymbolHit>();

  constructor(private readonly host: ComposerHost, private readonly chat: ComposerChat) {
    super();
    this.repo = new RepoFiles(host.workspace);
    this.index = new FileIndex(host.workspace, host.logger);
    this.register(toDisposable(() => this.index.dispose()));
    this.register(toDisposable(() => clearTimeout(this.reloadTimer)));
    this.register(toDisposable(() => clearTimeout(this.partial?.timer)));
    this.register(host.onDidChangeFiles(() => this.index.invalidate()));
    this.register(host.onDidChangeRepoFiles(() => this.scheduleReload()));
    this.register(this.index.onDidChange(() => this.repostPartial()));
  }

  /** The instruction files as system blocks, for the next request (kept current by refresh()). */
  systemBlocks(): string[] {
    const max = this.host.settings().instructions.maxFileBytes;
    return this.instructions.files.map((f) => instructionBlock(f, max));
  }

  /**
   * The user typed in the composer: reads the instruction files again now, so the send that follows does not wait
   * for them (beforeSend). One read at a time; a keystroke during a read asks for one more after it.
   */
  typing(): void {
    if (this.typingRead) {
      this.typedAgain = true;
      return;
    }
    this.typedAgain = false;
    const done = this.refresh(true);
    this.typed = { at: Date.now(), done };
    this.typingRead = done
      .then((changed) => (changed ? this.pushInfo() : undefined))
      .catch((e: unknown) => this.host.logger.warn(`could not re-read the instruction files: ${String(e)}`))
      .finally(() => {
        this.typingRead = undefined;
        if (this.typedAgain) this.typing();
      });
  }

  /**
   * Before a send: the instruction files as they are now, so a change whose file event is late or lost still counts.
   * A read begun after the latest keystroke (typing()) and less than TYPING_READ_MS ago stands for that; otherwise
   * they are read here. Used once: the next send reads again unless the user typed again. True when the set changed.
   */
  beforeSend(): Promise<boolean> {
    const t = this.typed;
    this.typed = undefined;
    // A changed set was posted by typing() already.
    if (t && !this.typedAgain && Date.now() - t.at < TYPING_READ_MS) return t.done.then(() => false);
    return this.refresh(true);
  }

  /**
   * Re-reads the instruction files when they, the trust, the settings or the attached files changed (or always,
   * with `reread`); true when the set in use changed. Concurrent callers share one read.
   */
  async refresh(reread = false): Promise<boolean> {
    if (reread) this.generation++;
    const s = this.host.settings().instructions;
    const labels = this.chat.contextLabels().sort();
    const trusted = this.host.trusted();
    const key = JSON.stringify([this.generation, s, labels, trusted]);
    if (this.loading?.key === key) return this.loading.done;
    if (key === this.instructionsKey) return false;
    const done = (async () => {
      const before = JSON.stringify(this.info().instructions) + String(this.instructions.restricted);
      const next = await loadInstructions(this.repo, s, labels, trusted);
      this.instructions = next;
      this.instructionsKey = key;
      return JSON.stringify(this.info().instructions) + String(next.restricted) !== before;
    })();
    this.loading = { key, done };
    try {
      return await done;
    } finally {
      if (this.loading?.done === done) this.loading = undefined;
    }
  }

  commands(): CommandView[] {
    const builtins = BUILTINS.filter((b) => !b.available || b.available(this.host)).map((b) => ({ name: b.name, description: b.description, argumentHint: b.argumentHint, source: 'builtin' as const }));
    const user = this.userCommands.map((c) => ({ name: c.name, description: c.description, argumentHint: c.argumentHint, source: c.source }));
    return [...builtins, ...user];
  }

  info(): ComposerInfo {
    const info: ComposerInfo = {
      commands: this.commands(),
      instructions: this.instructions.files.map((f) => ({ label: f.label, tokens: estimateTokens(f.text), ...(f.truncated ? { truncated: true } : {}) })),
    };
    if (this.instructions.restricted) info.note = 'Restricted Mode: this workspace\'s instruction files (AGENTS.md, CLAUDE.md…) and prompt files are ignored, since an untrusted repository could use them to steer Claude. Trust the workspace to use them.';
    else if (this.instructions.skipped.length) info.note = `Not used: ${this.instructions.skipped.map((x) => `${x.label} (${x.reason})`).join('; ')}.`;
    return info;
  }

  /** Loads what is missing, then posts the composer info (after the view's `ready`, and after every change). */
  async pushInfo(): Promise<void> {
    this.index.snapshot(); // starts the file list now, so the first @ finds it ready
    await Promise.all([this.commandFiles(Infinity), this.refresh()]);
    this.chat.post({ type: 'composer', info: this.info() });
  }

  /** Answers a completion request; a newer request makes an older answer moot. */
  async complete(req: { id: number; trigger: '@' | '/'; query: string }): Promise<void> {
    this.lastCompletion = req.id;
    clearTimeout(this.partial?.timer);
    this.partial = undefined;
    if (req.trigger === '/') {
      await this.commandFiles(COMMANDS_STALE_MS);
      if (req.id === this.lastCompletion) this.chat.post({ type: 'completions', id: req.id, items: commandItems(req.query, this.commands()) });
      return;
    }
    const sym = /^symbol:"?(.*)$/.exec(req.query);
    if (sym) {
      const hits = sym[1] ? await this.host.symbols(sym[1], 50).catch(() => []) : [];
      if (this.symbols.size > 500) this.symbols.clear();
      for (const h of hits) this.symbols.set(symbolName(h.name), h);
      const confine = new Confinement(this.host.workspace);
      const labels = new Map<string, string>();
      for (const h of hits) labels.set(h.path, (await confine.confineHostPath(h.path))?.display ?? h.path.split('/').pop() ?? h.path);
      if (req.id === this.lastCompletion) this.chat.post({ type: 'completions', id: req.id, items: symbolItems(hits, (p) => labels.get(p) ?? p) });
      return;
    }
    this.answerMentions(req.id, req.query);
  }

  private answerMentions(id: number, query: string): void {
    const snap = this.index.snapshot();
    const folders = () => {
      if (this.folderCache?.paths !== snap.paths || !snap.complete) this.folderCache = { paths: snap.paths, folders: foldersOf(snap.paths) };
      return this.folderCache.folders;
    };
    const items = mentionItems(query, { paths: snap.paths, lowered: snap.lowered, folders });
    this.chat.post({ type: 'completions', id, items });
    // The list is still being built: answer again as more paths arrive.
    this.partial = snap.complete ? undefined : { id, query, at: Date.now(), found: items.some((i) => i.kind === 'file' || i.kind === 'folder') };
  }

  /** At once while nothing was found yet, then at most every PARTIAL_REPOST_MS while the list streams in. */
  private repostPartial(): void {
    const p = this.partial;
    if (!p || p.timer || p.id !== this.lastCompletion) return;
    p.timer = setTimeout(() => {
      if (this.partial === p && p.id === this.lastCompletion) this.answerMentions(p.id, p.query);
    }, p.found ? Math.max(0, p.at + PARTIAL_REPOST_MS - Date.now()) : 0);
  }

  /** A message from the composer: a command, a message with mentions, or plain text. */
  async submit(text: string): Promise<void> {
    const slash = parseSlash(text);
    // "//x" sends "/x" as text: the way to start a message with a slash.
    if (!slash) return this.sendWithMentions(text, text.startsWith('//') ? text.slice(1) : text);
    const confine = new Confinement(this.host.workspace);
    const builtin = BUILTINS.find((b) => b.name === slash.name && (!b.available || b.available(this.host)));
    let result: CommandResult;
    let model: string | undefined;
    if (builtin) {
      result = await builtin.run({ args: slash.args, host: this.host, chat: this.chat, resolve: this.resolveContext(), confine });
    } else {
      await this.commandFiles(Infinity);
      // Not known: read the files again before saying so (a new file's event may be late or lost).
      if (!this.userCommands.some((c) => c.name === slash.name)) await this.commandFiles(0);
      const user = this.userCommands.find((c) => c.name === slash.name);
      if (!user) return this.error(`Unknown command /${slash.name}. Type / to see the commands, or start with // to send text that begins with a slash.`, text);
      result = { kind: 'send', text: await this.expand(user, slash.args, confine), docs: [] };
      model = user.model;
    }
    if (result.kind === 'error') return this.error(result.message, text, result.action);
    if (result.kind === 'done') return;
    const command: TurnCommand = { name: slash.name, args: slash.args, ...(model ? { model } : {}) };
    return this.sendWithMentions(text, result.text, slash.args, result.docs, result.ref, command);
  }

  /** Resolves the mentions in `mentionText` (what the user typed), attaches them and `docs`, then sends `message`. */
  private async sendWithMentions(typed: string, message: string, mentionText = message, docs: ContextDoc[] = [], ref?: TurnRef, command?: TurnCommand): Promise<void> {
    if (!(await this.chat.hasKey())) return this.error(NO_KEY.message, typed, NO_KEY.action);
    const mentions = parseMentions(mentionText);
    if (mentions.length > 0) {
      const r = await resolveMentions(mentions, this.resolveContext());
      if (!r.ok) return this.error(r.message, typed);
      docs = [...docs, ...r.docs];
    }
    await this.chat.sendTurn(message, ref, command, docs);
  }

  private async expand(c: UserCommand, args: string, confine: Confinement): Promise<string> {
    if (c.source === 'claude') return expandClaudeCommand(c.body, args);
    const ed = (await this.host.workspace.openEditors()).find((e) => e.active);
    const folder = this.host.workspace.folders()[0];
    return expandPromptFile(c.body, args, {
      selection: ed?.selections.find((s) => s.text)?.text,
      file: ed ? (await confine.confineHostPath(ed.path))?.display : undefined,
      workspaceFolder: folder?.path,
      workspaceFolderBasename: folder?.name,
    });
  }

  private error(message: string, text: string, action?: ErrorAction): void {
    this.chat.post({ type: 'composerError', message, text, ...(action ? { action } : {}) });
  }

  private resolveContext(): ResolveContext {
    const s = this.host.settings();
    return { host: this.host, index: this.index, settings: s, symbols: this.symbols };
  }

  /** The command files, read again when the last read is older than `maxAgeMs`. */
  private commandFiles(maxAgeMs: number): Promise<void> {
    if (!this.commandsLoaded || Date.now() - this.commandsAt > maxAgeMs) {
      this.commandsAt = Date.now();
      this.commandsLoaded = this.loadCommands();
    }
    return this.commandsLoaded;
  }

  private async loadCommands(): Promise<void> {
    const loaded = await loadCommandFiles(this.repo, this.host.settings().commands, BUILTIN_NAMES, this.host.trusted()).catch((e: unknown) => {
      this.host.logger.warn(`could not read the prompt files: ${String(e)}`);
      return { commands: [], skipped: [] };
    });
    for (const s of loaded.skipped) this.host.logger.info(`slash command from ${s.path} not offered: ${s.reason}`);
    for (const c of loaded.commands) if (c.ignored.length) this.host.logger.info(`/${c.name} (${c.path}): front matter ${c.ignored.join(', ')} ignored (only description, argument-hint, model and name are honoured)`);
    this.userCommands = loaded.commands;
  }

  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.host.logger.info('instruction or prompt files, trust or their settings changed: reading them again');
      this.generation++;
      this.commandsLoaded = undefined;
      this.pushInfo().catch((e: unknown) => this.host.logger.warn(`could not re-read the instruction files: ${String(e)}`));
    }, RELOAD_DELAY_MS);
  }
}
