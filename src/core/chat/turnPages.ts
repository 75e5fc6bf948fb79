// Which turns go to the webview: a conversation's `state` holds only its newest turns (enough to fill the view and
// a margin), and the view asks for the turns before its first one as it scrolls near the top (`loadOlder`), a page
// at a time. Sending all 5,000 messages of a long conversation (1.4 MB) in one `state` was most of the time to open
// it; views are built only for the turns that are sent.
//
// The host alone decides how much one answer holds: a request names only the conversation and the turn it wants
// the turns before (the webview is less trusted than the host), and each answer is bounded in turns and in size.
import type { TurnView } from '../../shared/protocol';
import { toTurnView, type Turn } from '../conversation';

/** The newest turns a `state` carries: at most this many, and no more once they reach INITIAL_CHARS of JSON. */
export const INITIAL_TURNS_SENT = 40;
export const INITIAL_CHARS = 64 * 1024;
/** One answer to `loadOlder`: at most this many turns, and no more once they reach PAGE_CHARS of JSON. */
export const PAGE_TURNS = 100;
export const PAGE_CHARS = 256 * 1024;

export interface TurnPage {
  turns: TurnView[];
  /** How many turns come before turns[0]. */
  olderTurns: number;
}

/**
 * The views of the turns ending just before index `end` (exclusive), newest first until `maxTurns` or `maxChars`
 * is reached, returned oldest first. The turn at end - 1 is always in (a single turn larger than the budget too).
 */
function pageBefore(turns: readonly Turn[], end: number, maxTurns: number, maxChars: number): TurnPage {
  const views: TurnView[] = [];
  let chars = 0;
  let i = end;
  while (i > 0 && views.length < maxTurns && (views.length === 0 || chars < maxChars)) {
    const v = toTurnView(turns[--i]);
    chars += JSON.stringify(v).length;
    views.push(v);
  }
  return { turns: views.reverse(), olderTurns: i };
}

/** The newest turns of a conversation, for its `state`. */
export function newestPage(turns: readonly Turn[]): TurnPage {
  return pageBefore(turns, turns.length, INITIAL_TURNS_SENT, INITIAL_CHARS);
}

/** The turns just before the turn `before`; undefined when the conversation has no such turn. */
export function pageBeforeTurn(turns: readonly Turn[], before: string): TurnPage | undefined {
  const i = turns.findIndex((t) => t.id === before);
  return i < 0 ? undefined : pageBefore(turns, i, PAGE_TURNS, PAGE_CHARS);
}
