// Shared test wiring: a ChatSession pointed at the fake API, recording every listener event.
import { ChatListener, ChatSession } from '../../../src/core/chatSession';
import { abortError, Clock, RequestSettings } from '../../../src/core/ports';
import type { Block, Turn } from '../../../src/core/conversation';
import type { RetryView, TurnView } from '../../../src/shared/protocol';
import type { UsageRecord } from '../../../src/shared/usage';
import { DEFAULT_TEST_KEY, FakeApi } from '../../fake-api/server';

export type Recorded =
  | { ev: 'turnStart'; turn: TurnView }
  | { ev: 'blockStart'; block: Block }
  | { ev: 'blockDelta'; blockId: string; text: string }
  | { ev: 'blockStop'; blockId: string }
  | { ev: 'turnEnd'; turn: Turn }
  | { ev: 'retryWait'; retry: RetryView }
  | { ev: 'usage'; record: UsageRecord };

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
    retryWait: (_t, retry) => rec.events.push({ ev: 'retryWait', retry }),
    usage: (record) => rec.events.push({ ev: 'usage', record }),
  };
  return rec;
}

/** A clock whose sleeps return at once (unless aborted) and are recorded, so waits can be asserted. */
export class FakeClock implements Clock {
  t = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) throw abortError();
    this.t += ms;
    await new Promise((r) => setImmediate(r));
    if (signal?.aborted) throw abortError();
  }
}

export function sessionFor(api: FakeApi, opts: { key?: string | undefined; settings?: Partial<RequestSettings>; clock?: Clock } = {}) {
  const rec = recordingListener();
  const key = 'key' in opts ? opts.key : DEFAULT_TEST_KEY;
  const session = new ChatSession({
    apiKey: async () => key,
    settings: () => ({ model: 'claude-sonnet-5-5', maxTokens: 1024, baseURL: api.url, ...opts.settings }),
    listener: rec.listener,
    clock: opts.clock ?? new FakeClock(),
  });
  return { session, rec };
}

/** Request messages without cache_control markers, to compare conversation content. */
export function withoutCache(messages: unknown): unknown {
  return JSON.parse(JSON.stringify(messages), (k, v) => (k === 'cache_control' ? undefined : v));
}

export function lastTurnEnd(events: Recorded[]): Turn {
  const e = [...events].reverse().find((x) => x.ev === 'turnEnd');
  if (!e || e.ev !== 'turnEnd') throw new Error('no turnEnd event');
  return e.turn;
}
