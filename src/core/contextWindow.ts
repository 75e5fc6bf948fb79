// Keeps a request inside the model's context window by leaving the oldest turns out (never the system prompt,
// attached context or the newest turn), using real counts from POST /v1/messages/count_tokens.

export interface FitInput {
  turnCount: number;
  /** First turn currently sent. */
  start: number;
  /** Input tokens of the request when turns from `start` on are sent. */
  count(start: number): Promise<number>;
  /** Input tokens allowed: the window minus max_tokens. */
  limit: number;
  /** Size of each turn (e.g. characters) to guess how many to leave out before recounting. */
  weights: number[];
  /** Leave out at least this many more turns (the API said "too long" although our count fits). */
  minDrop?: number;
}

export interface FitResult {
  start: number;
  tokens: number;
  dropped: number;
  fits: boolean;
}

const MAX_COUNTS = 4;

export async function fitToWindow(f: FitInput): Promise<FitResult> {
  let start = Math.min(f.start + (f.minDrop ?? 0), Math.max(f.start, f.turnCount - 1));
  let tokens = await f.count(start);
  for (let i = 1; tokens > f.limit && i < MAX_COUNTS && start < f.turnCount - 1; i++) {
    const perWeight = tokens / Math.max(1, sum(f.weights.slice(start)));
    let excess = (tokens - f.limit) * 1.05;
    while (excess > 0 && start < f.turnCount - 1) {
      excess -= f.weights[start] * perWeight;
      start += 1;
    }
    tokens = await f.count(start);
  }
  return { start, tokens, dropped: start - f.start, fits: tokens <= f.limit };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
