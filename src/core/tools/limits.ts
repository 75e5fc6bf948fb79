// Bounds on one round of tool calls: a reply may ask for thousands of calls, but only so many run, and only so
// many at once, so memory and file handles stay bounded whatever the model sends.

/** Calls answered per round; the rest get an is_error that says why (the model can ask again). */
export const MAX_CALLS_PER_ROUND = 64;
/** Read-only calls running at the same time. */
export const MAX_PARALLEL_CALLS = 8;

/** The is_error text for a call past the per-round limit. */
export function overLimitMessage(position: number, total: number, limit = MAX_CALLS_PER_ROUND): string {
  return (
    `Not run: this reply asked for ${total} tool calls and at most ${limit} run per reply, so calls ${limit + 1}-${total} ` +
    `(this one is call ${position}) were skipped. Ask for the ones you still need in a later reply, ${limit} or fewer at a time.`
  );
}

/** Runs `work` for every item with at most `limit` running at once; resolves when all have settled. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
