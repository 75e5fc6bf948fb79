// Webview entry: builds the chat UI, talks to the host over the protocol, keeps state across hide/show.
import { assertNever, HostToWebview, ViewState } from '../shared/protocol';
import { Composer } from './composer';
import { el } from './dom';
import { ContextChips } from './contextChips';
import { EmptyState } from './emptyState';
import { HistoryPanel } from './historyPanel';
import { Transcript } from './transcript';
import { loadState, post, saveState } from './vscodeApi';

const app = document.getElementById('app')!;
const persisted = loadState();
let state: ViewState = persisted.view ?? { hasApiKey: false, keySource: 'none', model: '', turns: [], busy: false };

const live = el('div', { class: 'visually-hidden', 'aria-live': 'polite', role: 'status', id: 'live' });
const keyNote = el('div', { class: 'key-note', hidden: '' });
const empty = new EmptyState({
  setApiKey: () => post({ type: 'runCommand', command: 'setApiKey' }),
  usePrompt: (text) => composer.fill(text),
});
const transcriptRoot = el('div', { class: 'transcript', role: 'log', 'aria-label': 'Conversation' });
const transcript = new Transcript(transcriptRoot, {
  onAction: (action) => {
    if (action === 'retry') post({ type: 'retry' });
    else if (action === 'continue') post({ type: 'continue' });
    else if (action === 'continueTools') post({ type: 'continueTools' });
    else if (action === 'trim') post({ type: 'trim' });
    else post({ type: 'runCommand', command: action });
  },
  onCancelRetry: () => post({ type: 'stop' }),
  onRevealRef: (turnId) => post({ type: 'revealRef', turnId }),
  onToolDecision: (toolId, decision) => post({ type: 'toolDecision', toolId, decision }),
  onLink: (href) => post({ type: 'openLink', href }),
  onCodeBlockAction: (action, code, lang) => post({ type: 'codeBlockAction', action, code, lang }),
  announce: (text) => {
    live.textContent = text;
  },
});
const composer = new Composer({
  send: (text) => post({ type: 'send', text }),
  stop: () => post({ type: 'stop' }),
  newChat: () => post({ type: 'newChat' }),
  draftChanged: () => {
    persist();
    post({ type: 'draft', text: composer.draft });
  },
  setModel: (model) => post({ type: 'setModel', model }),
}, persisted.draft ?? '', persisted.lastSent);
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
composer.root.prepend(chips.root);
app.removeAttribute('aria-busy');

/**
 * Saves a snapshot for getState() so a hidden and re-shown view restores at once. Debounced: a snapshot of a long
 * conversation is not free, and it must not sit between a sent message and its first streamed words.
 */
let persistTimer: ReturnType<typeof setTimeout> | undefined;
function persist(): void {
  if (persistTimer) clearTimeout(persistTimer);
  persistTimer = setTimeout(persistNow, 300);
}
function persistNow(): void {
  if (persistTimer) clearTimeout(persistTimer);
  persistTimer = undefined;
  saveState({ view: { ...state, turns: transcript.snapshot() }, draft: composer.draft, lastSent: composer.lastSent });
}
window.addEventListener('pagehide', persistNow);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') persistNow();
});

function refreshChrome(): void {
  const notes = [
    state.keySource === 'env' ? 'Using the ANTHROPIC_API_KEY environment variable. Run "Claude: Set API Key" to store a key instead.' : '',
    state.toolsNote ? `Workspace tools are off: ${state.toolsNote}` : '',
  ].filter(Boolean);
  keyNote.hidden = notes.length === 0;
  keyNote.textContent = notes.join(' ');
  empty.update(state.hasApiKey, transcript.size > 0);
  composer.update({ busy: state.busy, model: state.model, enabled: state.hasApiKey });
}

function applyState(next: ViewState): void {
  state = next;
  notices.replaceChildren();
  transcript.clear();
  const eager = 10; // the newest turns render at once; older ones when scrolled near
  next.turns.forEach((t, i) => transcript.addTurn(t, i < next.turns.length - eager));
  transcript.scrollToEnd();
  refreshChrome();
  persist();
}

function onMessage(m: HostToWebview): void {
  switch (m.type) {
    case 'state':
      applyState(m.state);
      return;
    case 'keyStatus':
      state = { ...state, hasApiKey: m.hasApiKey, keySource: m.keySource };
      break;
    case 'model':
      state = { ...state, model: m.model };
      break;
    case 'turnStart':
      state = { ...state, busy: true };
      transcript.addTurn(m.turn);
      transcript.scrollToEnd();
      break;
    case 'blockStart':
      transcript.startBlock(m.turnId, m.block);
      return; // no chrome change; persist on turnEnd
    case 'blockDelta':
      transcript.appendDelta(m.turnId, m.blockId, m.text);
      return;
    case 'toolStatus':
      transcript.toolStatus(m.turnId, m.toolId, m.status, m.detail);
      break;
    case 'history':
      history.update(m.items, m.openId, m.show);
      return;
    case 'models':
      composer.setModels(m.models);
      state = { ...state, model: m.current };
      break;
    case 'estimate':
      composer.setEstimate(m.tokens, m.contextWindow, m.error);
      return;
    case 'context':
      chips.update(m.items);
      return;
    case 'notice':
      notices.append(el('div', { class: 'notice' }, m.message));
      live.textContent = m.message;
      return;
    case 'turnResume':
      state = { ...state, busy: true };
      transcript.resume(m.turnId);
      break;
    case 'retryWait':
      transcript.retryWait(m.turnId, m.retry);
      return;
    case 'blockStop':
      transcript.stopBlock(m.turnId, m.blockId);
      return;
    case 'turnEnd':
      state = { ...state, busy: false };
      transcript.endTurn(m.turnId, m.outcome);
      composer.focus();
      break;
    default:
      assertNever(m);
  }
  refreshChrome();
  persist();
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as HostToWebview;
  if (m && typeof m === 'object' && typeof m.type === 'string') onMessage(m);
});

// Restore instantly from the last snapshot, then ask the host for the truth.
if (persisted.view) applyState({ ...persisted.view, busy: false });
else refreshChrome();
post({ type: 'ready' });
composer.focus();
