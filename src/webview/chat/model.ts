// The webview's one model of the chat: a pure reducer over the host's messages (no DOM). The transcript is
// painted from it, getState/setState snapshot it, and "busy" is derived from it rather than kept beside it.
import type { BlockView, CompactionView, HostToWebview, KeySource, MeterView, TurnView, ViewState } from '../../shared/protocol';

export interface ChatModel {
  hasApiKey: boolean;
  keySource: KeySource;
  model: string;
  conversationId?: string;
  title?: string;
  toolsNote?: string;
  /** The newest turns of the conversation, in order; `olderTurns` more come before them (asked for as the view scrolls up). */
  turns: TurnView[];
  olderTurns?: number;
  /** Where summaries replaced earlier turns in the request (dividers), and the context meter. */
  compactions?: CompactionView[];
  meter?: MeterView;
  /**
   * False from page load until the host's first `state`: until then the turns are a snapshot from before the page
   * was hidden, and the progress of a turn cannot be applied to it (the state brings the truth).
   */
  synced: boolean;
}

export const EMPTY_MODEL: ChatModel = { hasApiKey: false, keySource: 'none', model: '', turns: [], synced: false };

/** A reply is streaming: the last turn has not ended. */
export function isBusy(m: ChatModel): boolean {
  return m.turns.at(-1)?.status === 'streaming';
}

/** Turns a getState snapshot keeps (the newest): what was loaded further up is asked for again after a reload. */
export const SNAPSHOT_TURNS = 60;

/** The model from a getState snapshot: shown at once, not yet in sync with the host. */
export function fromSnapshot(view: ViewState | undefined): ChatModel {
  return view ? { ...fromState(view), synced: false } : EMPTY_MODEL;
}

export function toSnapshot(m: ChatModel): ViewState {
  const { synced: _synced, olderTurns, ...view } = m;
  const cut = Math.max(0, m.turns.length - SNAPSHOT_TURNS);
  const older = (olderTurns ?? 0) + cut;
  return { ...view, turns: cut ? m.turns.slice(cut) : m.turns, ...(older ? { olderTurns: older } : {}) };
}

function fromState(s: ViewState): ChatModel {
  return {
    hasApiKey: s.hasApiKey, keySource: s.keySource, model: s.model, conversationId: s.conversationId, title: s.title, toolsNote: s.toolsNote, turns: s.turns, synced: true,
    compactions: s.compactions, meter: s.meter, ...(s.olderTurns ? { olderTurns: s.olderTurns } : {}),
  };
}

/** A turn whose reply a later turn continues (after max_tokens): its Continue is done. */
export function isContinued(m: ChatModel, turnId: string): boolean {
  return m.turns.some((t) => t.continues === turnId);
}

/**
 * Where each turn is in a turns array, by id: built once per array, and handed on to the next array when a turn is
 * replaced in place (a streamed delta), so looking a turn up is not a scan of the whole conversation.
 */
const positions = new WeakMap<readonly TurnView[], Map<string, number>>();

function indexOf(turns: readonly TurnView[], id: string): number {
  let index = positions.get(turns);
  if (!index) {
    index = new Map(turns.map((t, i) => [t.id, i]));
    positions.set(turns, index);
  }
  return index.get(id) ?? -1;
}

/** The turn `id` as the model holds it. */
export function turnOf(m: ChatModel, id: string): TurnView | undefined {
  const i = indexOf(m.turns, id);
  return i < 0 ? undefined : m.turns[i];
}

/** Replaces the turn `id` with `change(turn)`; the model unchanged when there is no such turn. */
function withTurn(m: ChatModel, id: string, change: (t: TurnView) => TurnView | undefined): ChatModel {
  const i = indexOf(m.turns, id);
  if (i < 0) return m;
  const next = change(m.turns[i]);
  if (!next || next === m.turns[i]) return m;
  const turns = m.turns.slice();
  turns[i] = next;
  positions.set(turns, positions.get(m.turns)!);
  return { ...m, turns };
}

/** The older turns the view asked for, before its first one; ignored unless they still fit there. */
function withOlder(m: ChatModel, msg: Extract<HostToWebview, { type: 'olderTurns' }>): ChatModel {
  if (!m.synced || msg.conversationId !== m.conversationId || m.turns[0]?.id !== msg.before || !m.olderTurns) return m;
  if (msg.turns.some((t) => indexOf(m.turns, t.id) >= 0)) return m;
  const { olderTurns: _o, ...rest } = m;
  return { ...rest, turns: [...msg.turns, ...m.turns], ...(msg.olderTurns ? { olderTurns: msg.olderTurns } : {}) };
}

function withBlock(t: TurnView, id: string, change: (b: BlockView) => BlockView): TurnView | undefined {
  const i = t.blocks.findIndex((b) => b.id === id);
  if (i < 0) return undefined;
  const blocks = t.blocks.slice();
  blocks[i] = change(blocks[i]);
  return { ...t, blocks };
}

/**
 * The next model. Returns `m` itself when the message changes nothing the model holds (a chrome-only message,
 * a turn or block it does not know, or turn progress before the first state), so the caller can skip painting.
 */
export function reduce(m: ChatModel, msg: HostToWebview): ChatModel {
  switch (msg.type) {
    case 'state': {
      const next = fromState(msg.state);
      // A long conversation's meter follows its state (core/chat/chatApp.ts): the same conversation's stays till then.
      const keep = msg.state.olderTurns && !next.meter && m.synced && m.conversationId === next.conversationId;
      return keep && m.meter ? { ...next, meter: m.meter } : next;
    }
    case 'olderTurns':
      return withOlder(m, msg);
    case 'keyStatus':
      return { ...m, hasApiKey: msg.hasApiKey, keySource: msg.keySource };
    case 'model':
      return m.model === msg.model ? m : { ...m, model: msg.model };
    case 'models':
      return m.model === msg.current ? m : { ...m, model: msg.current };
    case 'history':
    case 'estimate':
    case 'notice':
    case 'context':
    case 'attachments':
    case 'prepareImage':
    case 'sendRefused':
    case 'controls':
    case 'completions':
    case 'composer':
    case 'composerError':
      return m;
    case 'meter':
      return { ...m, meter: msg.meter };
    case 'compacted':
      // A compaction can move to a later turn (its turn was retried, or this is a fork): replace it by id.
      return m.synced ? { ...m, compactions: [...(m.compactions ?? []).filter((c) => c.id !== msg.compaction.id), msg.compaction] } : m;
    default:
      return m.synced ? reduceTurn(m, msg) : m;
  }
}

type TurnEvent = Exclude<
  HostToWebview,
  { type: 'state' | 'olderTurns' | 'keyStatus' | 'model' | 'models' | 'history' | 'estimate' | 'notice' | 'context' | 'meter' | 'compacted' | 'attachments' | 'prepareImage' | 'sendRefused' | 'controls' | 'completions' | 'composer' | 'composerError' }
>;

function reduceTurn(m: ChatModel, msg: TurnEvent): ChatModel {
  switch (msg.type) {
    case 'turnStart':
      return indexOf(m.turns, msg.turn.id) >= 0 ? m : { ...m, turns: [...m.turns, msg.turn] };
    case 'blockStart':
      return withTurn(m, msg.turnId, (t) => (t.blocks.some((b) => b.id === msg.block.id) ? undefined : { ...t, blocks: [...t.blocks, msg.block] }));
    case 'blockDelta':
      return withTurn(m, msg.turnId, (t) => withBlock(t, msg.blockId, (b) => ({ ...b, text: b.text + msg.text })));
    case 'blockStop':
    case 'retryWait':
      return m;
    case 'citation':
      return withTurn(m, msg.turnId, (t) => withBlock(t, msg.blockId, (b) => ({ ...b, citations: [...(b.citations ?? []), msg.citation] })));
    case 'blockCitations':
      return withTurn(m, msg.turnId, (t) => withBlock(t, msg.blockId, (b) => ({ ...b, webCitations: msg.citations })));
    case 'toolStatus':
      return withTurn(m, msg.turnId, (t) => {
        const b = t.blocks.find((x) => x.kind === 'tool_use' && x.toolId === msg.toolId);
        return b
          ? withBlock(t, b.id, ({ protectedReason: _p, ...x }) => ({
            ...x,
            toolStatus: msg.status,
            ...(msg.protectedReason !== undefined ? { protectedReason: msg.protectedReason } : {}),
            ...(msg.source !== undefined ? { toolSource: msg.source } : {}),
          }))
          : undefined;
      });
    case 'turnResume':
      return withTurn(m, msg.turnId, ({ error: _error, costPaused: _p, ...t }) => ({ ...t, status: 'streaming', toolCapReached: false }));
    case 'turnEnd':
      // The outcome replaces every field of how the turn ended; a field it leaves out is cleared.
      return withTurn(m, msg.turnId, ({ stopReason: _r, stopSequence: _s, error: _e, usage: _u, toolCapReached: _c, rounds: _n, cost: _d, costPaused: _p, checkpoint: _k, ...t }) => ({ ...t, ...msg.outcome }));
  }
}
