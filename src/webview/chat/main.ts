// Chat webview entry: one model (model.ts) reduced from the host's messages, painted into the widgets, and
// snapshotted with getState/setState so a hidden and re-shown view restores at once.
import { checkHostToWebview } from '../../shared/guards/toWebview';
import { parseSlash } from '../../shared/mentions';
import { assertNever, CommandView, HostToWebview } from '../../shared/protocol';
import { el } from '../common/dom';
import { Completion } from './completion';
import { Composer } from './composer';
import { ContextChips } from './contextChips';
import { EmptyState } from './emptyState';
import { HistoryPanel } from './historyPanel';
import { InstructionChips } from './instructionChips';
import { MentionPills } from './mentionPills';
import { ChatModel, fromSnapshot, isBusy, isContinued, reduce, toSnapshot, turnOf } from './model';
import { installLanguageLoader } from './render/languages';
import { RequestControls } from './requestControls';
import { Transcript } from './transcript';
import { ContextMeter } from './meter';
import { Dividers } from './dividers';
import { TurnActions } from './turnActions';
import { AttachmentBar } from './attachments';
import { prepareForHost } from './attachmentsImage';
import { loadState, post, saveState } from './vscodeState';

// Highlight.js languages come as separate files on first use, under this bundle's own nonce (render/languages.ts).
installLanguageLoader(document, document.currentScript as HTMLScriptElement | null);

const app = document.getElementById('app')!;
const persisted = loadState();
let model: ChatModel = fromSnapshot(persisted.view);

const live = el('div', { class: 'visually-hidden', 'aria-live': 'polite', role: 'status', id: 'live' });
const keyNote = el('div', { class: 'key-note', hidden: '' });
const empty = new EmptyState({
  setApiKey: () => post({ type: 'runCommand', command: 'setApiKey' }),
  usePrompt: (text) => composer.fill(text),
});
const transcriptRoot = el('div', { class: 'transcript', role: 'log', 'aria-label': 'Conversation' });
const transcript = new Transcript(transcriptRoot, {
  onAction: (action) => {
    if (action === 'setApiKey' || action === 'openSettings') post({ type: 'runCommand', command: action });
    else post({ type: action });
  },
  onCancelRetry: () => post({ type: 'stop' }),
  onRevealRef: (turnId) => post({ type: 'revealRef', turnId }),
  onToolDecision: (toolId, decision) => post({ type: 'toolDecision', toolId, decision }),
  onLink: (href) => post({ type: 'openLink', href }),
  onCodeBlockAction: (action, code, lang) => post({ type: 'codeBlockAction', action, code, lang }),
  onOpenAttachment: (id) => post({ type: 'openAttachment', id }),
  onOpenCitation: (turnId, blockId, index) => post({ type: 'openCitation', turnId, blockId, index }),
  announce: (text) => {
    live.textContent = text;
  },
  turn: (id) => turnOf(model, id),
  continued: (id) => isContinued(model, id),
  older: () => askOlder(),
  // Turns built as they scroll near (turnWindow.ts) get their Edit / Restore buttons and dividers too.
  built: (id) => decorate(id),
});
// Long sessions: the context meter, compaction dividers, per-turn Edit / Restore checkpoint, continuations.
const meter = new ContextMeter();
const dividers = new Dividers(transcriptRoot);
const turnActions = new TurnActions(transcriptRoot, {
  editResend: (turnId, text) => post({ type: 'editResend', turnId, text }),
  restore: (turnId) => post({ type: 'restoreCheckpoint', turnId }),
  busy: () => isBusy(model),
});
function decorate(id?: string): void {
  const one = id === undefined ? undefined : turnOf(model, id);
  for (const t of one ? [one] : id === undefined ? model.turns : []) turnActions.decorate(t);
  dividers.sync(model.compactions);
}
/** A long conversation's older turns come a page at a time as the view scrolls up: the first turn they go before. */
let olderAsked: string | undefined;
function askOlder(): void {
  const first = model.turns[0];
  if (!model.synced || !model.olderTurns || !first || !model.conversationId || olderAsked === first.id) return;
  olderAsked = first.id;
  post({ type: 'loadOlder', conversationId: model.conversationId, before: first.id });
}
const attachments = new AttachmentBar({
  post,
  notice: (message) => showNotice(message),
  changed: () => post({ type: 'draft', text: composer.draft }),
});
const composer = new Composer({
  // A pasted image still being prepared goes with the message: the send waits for it.
  send: (text) => attachments.whenReady(() => post({ type: 'send', text })),
  canSendEmpty: () => attachments.hasItems,
  stop: () => post({ type: 'stop' }),
  newChat: () => post({ type: 'newChat' }),
  draftChanged: () => {
    persist();
    post({ type: 'draft', text: composer.draft });
  },
  setModel: (id) => post({ type: 'setModel', model: id }),
  busy: () => isBusy(model),
  validate: (text) => {
    // Unknown commands are refused here when the list is known (the host checks again): never sent to the model.
    const slash = parseSlash(text);
    if (!slash || commands.length === 0 || commands.some((c) => c.name === slash.name)) return undefined;
    return `Unknown command /${slash.name}. Type / to see the commands, or start with // to send text that begins with a slash.`;
  },
  errorAction: () => post({ type: 'runCommand', command: 'setApiKey' }),
}, persisted.draft ?? '', persisted.lastSent);
const controls = new RequestControls({
  setEffort: (effort) => post({ type: 'setEffort', effort }),
  setToolChoice: (choice) => post({ type: 'setToolChoice', choice }),
  setWebTools: (on) => post({ type: 'setWebTools', on }),
});
composer.attachControls(controls.root);
/** The commands the host offers (built-in and the workspace's prompt files). */
let commands: CommandView[] = [];
const completion = new Completion(composer.textarea, composer.field, { request: (id, trigger, query) => post({ type: 'complete', id, trigger, query }) });
new MentionPills(composer.textarea, composer.field);
const instructionChips = new InstructionChips();
const history = new HistoryPanel({
  open: (id) => post({ type: 'openConversation', id }),
  rename: (id) => post({ type: 'renameConversation', id }),
  remove: (id) => post({ type: 'deleteConversation', id }),
  newChat: () => post({ type: 'newChat' }),
  exportOpen: () => post({ type: 'exportConversation' }),
});
const notices = el('div', { class: 'notices', role: 'status' });
const chips = new ContextChips({
  reveal: (id) => post({ type: 'revealContext', id }),
  remove: (id) => post({ type: 'removeContext', id }),
});

app.append(keyNote, history.root, empty.root, transcriptRoot, notices, composer.root, live);
composer.root.prepend(chips.root, attachments.root);
composer.root.prepend(instructionChips.root);
composer.root.prepend(meter.root);
composer.root.querySelector('.composer-row')?.prepend(attachments.attachButton);
attachments.listen(composer.root, app);

function showNotice(message: string): void {
  notices.append(el('div', { class: 'notice' }, message));
  live.textContent = message;
}
app.removeAttribute('aria-busy');

/**
 * Saves the model for getState(). Debounced: a snapshot of a long conversation is not free, and it must not sit
 * between a sent message and its first streamed words.
 */
let persistTimer: ReturnType<typeof setTimeout> | undefined;
function persist(): void {
  if (persistTimer) clearTimeout(persistTimer);
  persistTimer = setTimeout(persistNow, 300);
}
function persistNow(): void {
  if (persistTimer) clearTimeout(persistTimer);
  persistTimer = undefined;
  saveState({ view: toSnapshot(model), draft: composer.draft, lastSent: composer.lastSent });
}
window.addEventListener('pagehide', persistNow);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') persistNow();
});

function refreshChrome(): void {
  const notes = [
    model.keySource === 'env' ? 'Using the ANTHROPIC_API_KEY environment variable. Run "Claude: Set API Key" to store a key instead.' : '',
    model.toolsNote ? `Workspace tools are off: ${model.toolsNote}` : '',
  ].filter(Boolean);
  keyNote.hidden = notes.length === 0;
  keyNote.textContent = notes.join(' ');
  empty.update(model.hasApiKey, model.turns.length > 0);
  composer.update({ model: model.model, enabled: model.hasApiKey });
}

/** Paints what `m` changed; `prev` is the model before it. Returns false when nothing the chrome shows changed. */
function paint(m: HostToWebview, prev: ChatModel): boolean {
  const turn = (id: string) => turnOf(model, id);
  switch (m.type) {
    case 'olderTurns':
      if (model !== prev) transcript.prependTurns(m.turns);
      return false;
    case 'state':
      olderAsked = undefined;
      if (prev.conversationId !== model.conversationId) {
        notices.replaceChildren();
        attachments.reset();
      }
      transcript.showAll(model.turns);
      decorate();
      meter.update(model.meter);
      return true;
    case 'meter':
      meter.update(model.meter);
      return false;
    case 'compacted':
      dividers.sync(model.compactions);
      return true;
    case 'keyStatus':
    case 'model':
      return true;
    case 'models':
      composer.setModels(m.models);
      return true;
    case 'history':
      history.update(m.items, m.openId, m.show);
      return false;
    case 'estimate':
      composer.setEstimate(m.tokens, m.contextWindow, m.error);
      return false;
    case 'context':
      chips.update(m.items);
      return false;
    case 'controls':
      controls.update(m.controls);
      return false;
    case 'notice':
      showNotice(m.message);
      return false;
    case 'attachments':
      attachments.update(m);
      return false;
    case 'prepareImage':
      void prepareForHost(m).then((r) => post({ type: 'imagePrepared', requestId: m.requestId, ...r }));
      return false;
    case 'sendRefused':
      if (!composer.draft.trim()) composer.fill(m.text);
      showNotice(m.reason);
      return false;
    case 'completions':
      completion.show(m.id, m.items);
      return false;
    case 'composer':
      commands = m.info.commands;
      instructionChips.update(m.info);
      return false;
    case 'composerError':
      composer.showError(m.message, m.text, m.action);
      return false;
    default:
      // The progress of a turn: painted only once the model holds the turn (after the first state).
      if (!model.synced) return false;
      switch (m.type) {
        case 'turnStart':
          if (model === prev) return false; // a turn it already has
          transcript.addTurn(turn(m.turn.id) ?? m.turn);
          decorate(m.turn.id);
          if (m.turn.continues) {
            // The cut reply's notice and Continue go away: repaint its footer.
            const cut = turn(m.turn.continues);
            if (cut) transcript.resume(cut);
          }
          transcript.scrollToEnd();
          return true;
        case 'blockStart':
          transcript.startBlock(m.turnId, m.block);
          return false;
        case 'blockDelta':
          transcript.appendDelta(m.turnId, m.blockId, m.text);
          return false;
        case 'blockStop':
          transcript.stopBlock(m.turnId, m.blockId);
          return false;
        case 'citation':
          transcript.citation(m.turnId, m.blockId, m.citation);
          return false;
        case 'blockCitations':
          transcript.setWebCitations(m.turnId, m.blockId, m.citations);
          return false;
        case 'toolStatus':
          transcript.toolStatus(m.turnId, m.toolId, m.status, m.detail, m.protectedReason, m.source);
          return true;
        case 'retryWait':
          transcript.retryWait(m.turnId, m.retry);
          return false;
        case 'turnResume': {
          const t = turn(m.turnId);
          if (t) transcript.resume(t);
          return true;
        }
        case 'turnEnd': {
          const t = turn(m.turnId);
          if (t) transcript.endTurn(t);
          decorate(m.turnId);
          // Back to the input for the next message, but only while the chat has the focus: a reply that ends while
          // the person is in the editor or a quick pick must not take the focus from them.
          if (document.hasFocus()) composer.focus();
          return true;
        }
        default:
          return assertNever(m);
      }
  }
}

function onMessage(m: HostToWebview): void {
  const prev = model;
  model = reduce(prev, m);
  if (!paint(m, prev)) return;
  refreshChrome();
  persist();
}

window.addEventListener('message', (e: MessageEvent) => {
  // From our own host, but still checked against the protocol before anything reads it, each message of a batch too.
  const data: unknown = e.data;
  const batch = data && typeof data === 'object' && (data as { type?: unknown }).type === 'batch' ? (data as { messages?: unknown }).messages : undefined;
  for (const m of Array.isArray(batch) ? batch : [data]) {
    const checked = checkHostToWebview(m);
    if (checked.ok) onMessage(checked.value);
    else console.warn(`chat: ignored a malformed message from the host: ${checked.reason}`);
  }
});

// Restore instantly from the last snapshot, then ask the host for the truth.
transcript.showAll(model.turns);
decorate();
meter.update(model.meter);
refreshChrome();
post({ type: 'ready' });
composer.focus();
