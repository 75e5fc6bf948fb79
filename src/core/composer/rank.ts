// Fuzzy ranking of workspace paths for @-completion, as Quick Open feels: the query's characters in order,
// anywhere in the path; whole-word and file-name matches first, then tighter matches, then shorter paths.
// Written by hand (a few lines, no dependency): it runs on the extension host for every keystroke over up to a
// few hundred thousand paths, so it is one linear pass per path with a top-k insert, and no allocation per path.

export interface Ranked {
  path: string;
  score: number;
}

const SEPARATORS = new Set(['/', '.', '_', '-', ' ']);

/** Score of `q` (lower case) against `path` (`lower` = path lower-cased); undefined when it does not match. */
export function scorePath(q: string, path: string, lower: string): number | undefined {
  if (q.length === 0) return -path.length;
  const baseStart = lower.lastIndexOf('/') + 1;
  // A contiguous hit in the file name is best, at its start better still.
  const inBase = lower.indexOf(q, baseStart);
  if (inBase >= 0) return 1000 + (inBase === baseStart ? 400 : 0) + (lower.length === baseStart + q.length ? 200 : 0) - path.length;
  const inPath = lower.indexOf(q);
  if (inPath >= 0) return 600 + (inPath === 0 || SEPARATORS.has(lower[inPath - 1]) ? 100 : 0) - path.length;
  // Subsequence: greedy from the start (each character found with the native indexOf, so a path that does not
  // match is usually rejected at its first missing character), with bonuses for word starts and runs, a cost per gap.
  let score = 0;
  let prev = -1;
  for (let qi = 0; qi < q.length; qi++) {
    const i = lower.indexOf(q[qi], prev + 1);
    if (i < 0) return undefined;
    const boundary = i === 0 || SEPARATORS.has(lower[i - 1]) || (path[i] !== lower[i] && path[i - 1] === lower[i - 1]);
    score += (boundary ? 8 : 1) + (i === prev + 1 && qi > 0 ? 5 : 0) + (i >= baseStart ? 3 : 0) - (qi > 0 && i !== prev + 1 ? 2 : 0);
    prev = i;
  }
  return score - path.length / 10;
}

/** The best `limit` of `paths` for `query` (case-insensitive), best first; ties keep the input order. */
export function rankPaths(query: string, paths: readonly string[], limit: number, lowered?: readonly string[]): Ranked[] {
  const q = query.toLowerCase();
  const top: Ranked[] = [];
  if (limit <= 0) return top;
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i];
    const s = scorePath(q, p, lowered ? lowered[i] : p.toLowerCase());
    if (s === undefined) continue;
    if (top.length === limit && s <= top[top.length - 1].score) continue;
    let j = top.length;
    while (j > 0 && top[j - 1].score < s) j--;
    top.splice(j, 0, { path: p, score: s });
    if (top.length > limit) top.pop();
  }
  return top;
}
