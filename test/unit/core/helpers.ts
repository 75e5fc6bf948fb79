// Shared test wiring: a ChatSession pointed at the fake API, recording every session event and usage record.
import { ChatSession, ChatSessionDeps } from '../../../src/core/chatSession';
import { abortError, Clock, RequestSettings } from '../../../src/core/ports';
import type { Turn } from '../../../src/core/conversation';
import type { SessionEvent } from '../../../src/shared/protocol';
import type { UsageRecord } from '../../../src/shared/usage';
import { DEFAULT_TEST_KEY, FakeApi } from '../../fake-api/server';

export type Recorded = SessionEvent | { type: 'usage'; record: UsageRecord };

export interface Recorder {
  /** Session events and usage records, in the order they happened. */
  events: Recorded[];
  /** A copy of the session's turn at each turnEnd, as it was when the event went out. */
  ended: Turn[];
  onDelta?: () => void;
  usage: { record(r: UsageRecord): void };
  /** Starts recording `session`'s events. */
  watch(session: ChatSession): void;
}

export function recorder(): Recorder {
  const rec: Recorder = {
    events: [],
    ended: [],
    usage: { record: (record) => rec.events.push({ type: 'usage', record }) },
    watch: (session) => {
      session.onDidEvent((e) => {
        rec.events.push(structuredClone(e));
        if (e.type === 'blockDelta') rec.onDelta?.();
        if (e.type === 'turnEnd') rec.ended.push(structuredClone(session.history.find((t) => t.id === e.turnId)!));
      });
    },
  };
  return rec;
}

/** A ChatSession with its recorder attached. */
export function recordedSession(deps: Omit<ChatSessionDeps, 'usage'>): { session: ChatSession; rec: Recorder } {
  const rec = recorder();
  const session = new ChatSession({ ...deps, usage: rec.usage });
  rec.watch(session);
  return { session, rec };
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
  const key = 'key' in opts ? opts.key : DEFAULT_TEST_KEY;
  return recordedSession({
    apiKey: async () => key,
    settings: () => ({ model: 'claude-sonnet-5-5', maxTokens: 1024, baseURL: api.url, ...opts.settings }),
    clock: opts.clock ?? new FakeClock(),
  });
}

/** Request messages without cache_control markers, to compare conversation content. */
export function withoutCache(messages: unknown): unknown {
  return JSON.parse(JSON.stringify(messages), (k, v) => (k === 'cache_control' ? undefined : v));
}

/** The turn as it was at the last turnEnd event. */
export function lastTurnEnd(rec: Recorder): Turn {
  const t = rec.ended.at(-1);
  if (!t) throw new Error('no turnEnd event');
  return t;
}
