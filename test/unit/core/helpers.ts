// Shared test wiring: a ChatSession pointed at the fake API, recording every listener event.
import { ChatListener, ChatSession } from '../../../src/core/chatSession';
import type { Block, Turn } from '../../../src/core/conversation';
import type { TurnView } from '../../../src/shared/protocol';
import { DEFAULT_TEST_KEY, FakeApi } from '../../fake-api/server';

export type Recorded =
  | { ev: 'turnStart'; turn: TurnView }
  | { ev: 'blockStart'; block: Block }
  | { ev: 'blockDelta'; blockId: string; text: string }
  | { ev: 'blockStop'; blockId: string }
  | { ev: 'turnEnd'; turn: Turn };

export function recordingListener(): { events: Recorded[]; listener: ChatListener; onDelta?: () => void } {
  const rec: { events: Recorded[]; listener: ChatListener; onDelta?: () => void } = { events: [], listener: undefined! };
  rec.listener = {
    turnStart: (turn) => rec.events.push({ ev: 'turnStart', turn }),
    blockStart: (_t, block) => rec.events.push({ ev: 'blockStart', block: { ...block } }),
    blockDelta: (_t, blockId, text) => {
      rec.events.push({ ev: 'blockDelta', blockId, text });
      rec.onDelta?.();
    },
    blockStop: (_t, blockId) => rec.events.push({ ev: 'blockStop', blockId }),
    turnEnd: (turn) => rec.events.push({ ev: 'turnEnd', turn: structuredClone(turn) }),
  };
  return rec;
}

export function sessionFor(api: FakeApi, opts: { key?: string | undefined; model?: string; maxTokens?: number } = {}) {
  const rec = recordingListener();
  const key = 'key' in opts ? opts.key : DEFAULT_TEST_KEY;
  const session = new ChatSession({
    apiKey: async () => key,
    settings: () => ({ model: opts.model ?? 'claude-sonnet-5-5', maxTokens: opts.maxTokens ?? 1024, baseURL: api.url }),
    listener: rec.listener,
  });
  return { session, rec };
}

export function lastTurnEnd(events: Recorded[]): Turn {
  const e = [...events].reverse().find((x) => x.ev === 'turnEnd');
  if (!e || e.ev !== 'turnEnd') throw new Error('no turnEnd event');
  return e.turn;
}
