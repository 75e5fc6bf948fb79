// Glob patterns as VS Code reads them (files.exclude, search.exclude, find_files and search_text include):
// "*" and "?" within one path segment, "**" across segments, "[...]" classes, "{a,b}" alternatives.
//
// Written by hand because every kept glob library (minimatch, picomatch, micromatch) compiles a glob to a
// backtracking JavaScript RegExp: a workspace setting such as "*a*a*a*a*a*a*b" then takes polynomial (in
// practice unbounded) time on a long name, on the extension-host thread. Here a glob is a list of tokens run as a
// set of states over the path, one pass: time is at most (path length x pattern length) per alternative, and
// nothing in a pattern can throw (a range such as [z-a] matches nothing, as in git).

/** Brace alternatives one glob may expand to; more is refused (a{b,c}{d,e}... doubles each time). */
export const MAX_ALTERNATIVES = 256;
const MAX_GLOB_CHARS = 2000;

export class GlobError extends Error {
  override name = 'GlobError';
}

type Token =
  | { k: 'lit'; c: string }
  | { k: 'one' } // ?: one character except "/"
  | { k: 'class'; negate: boolean; chars: string; ranges: [string, string][] } // never matches "/"
  | { k: 'star' } // *: any run of characters except "/"
  | { k: 'dirs' } // "**/" at a segment start: zero or more whole segments
  | { k: 'all' }; // "**" ending the glob at a segment start: anything

/** Expands "{a,b}" (nested too) into the plain globs it stands for. Unbalanced braces are literal. */
export function expandBraces(glob: string): string[] {
  const open = findGroup(glob);
  if (!open) return [glob];
  const { start, end, parts } = open;
  if (parts.length > MAX_ALTERNATIVES) throw new GlobError(`the pattern expands to more than ${MAX_ALTERNATIVES} alternatives`);
  const heads = parts.flatMap((part) => expandBraces(glob.slice(0, start) + part));
  const tails = expandBraces(glob.slice(end + 1));
  if (heads.length * tails.length > MAX_ALTERNATIVES) throw new GlobError(`the pattern expands to more than ${MAX_ALTERNATIVES} alternatives`);
  return heads.flatMap((h) => tails.map((t) => h + t));
}

/** The first balanced "{...}" that holds a top-level comma, split at those commas. */
function findGroup(glob: string): { start: number; end: number; parts: string[] } | undefined {
  for (let start = glob.indexOf('{'); start >= 0; start = glob.indexOf('{', start + 1)) {
    let depth = 0;
    let last = start + 1;
    const parts: string[] = [];
    for (let i = start; i < glob.length; i++) {
      const c = glob[i];
      if (c === '\\') i++;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        if (parts.length === 0) break; // "{x}" without a comma: literal
        parts.push(glob.slice(last, i));
        return { start, end: i, parts };
      } else if (c === ',' && depth === 1) {
        parts.push(glob.slice(last, i));
        last = i + 1;
      }
    }
  }
  return undefined;
}

function tokenize(glob: string): Token[] {
  const toks: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const atSegmentStart = i === 0 || glob[i - 1] === '/';
    if (c === '*') {
      let j = i + 1;
      while (glob[j] === '*') j++;
      const double = j - i >= 2;
      if (double && atSegmentStart && glob[j] === '/') {
        toks.push({ k: 'dirs' });
        i = j; // the "/" is part of the token
      } else if (double && atSegmentStart && j === glob.length) {
        toks.push({ k: 'all' });
        i = j - 1;
      } else {
        toks.push({ k: 'star' });
        i = j - 1;
      }
    } else if (c === '?') {
      toks.push({ k: 'one' });
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        toks.push({ k: 'lit', c });
        continue;
      }
      let body = glob.slice(i + 1, end);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      const tok: Token & { k: 'class' } = { k: 'class', negate, chars: '', ranges: [] };
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          tok.ranges.push([body[j], body[j + 2]]); // [z-a] holds nothing: lo > hi never matches
          j += 2;
        } else tok.chars += body[j];
      }
      toks.push(tok);
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      toks.push({ k: 'lit', c: glob[++i] });
    } else {
      toks.push({ k: 'lit', c });
    }
  }
  return toks;
}

function inClass(t: Token & { k: 'class' }, c: string): boolean {
  const hit = t.chars.includes(c) || t.ranges.some(([lo, hi]) => lo <= c && c <= hi);
  return t.negate ? !hit : hit;
}

/** Follows the empty moves (a star or "**" that takes nothing) at path position p. Moves only go forward. */
function close(toks: Token[], set: Uint8Array, path: string, p: number): void {
  for (let i = 0; i < toks.length; i++) {
    if (!set[i]) continue;
    const k = toks[i].k;
    if (k === 'star' || k === 'all' || (k === 'dirs' && (p === 0 || path[p - 1] === '/'))) set[i + 1] = 1;
  }
}

/**
 * Runs one expanded glob over `path`. With `orAncestor`, also true when a leading part that ends before a "/"
 * matches (an excluded folder excludes what is below it).
 */
function run(toks: Token[], path: string, orAncestor: boolean): boolean {
  const n = toks.length;
  let cur = new Uint8Array(n + 1);
  cur[0] = 1;
  close(toks, cur, path, 0);
  for (let p = 0; p < path.length; p++) {
    const c = path[p];
    if (orAncestor && c === '/' && cur[n]) return true;
    const next = new Uint8Array(n + 1);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!cur[i]) continue;
      const t = toks[i];
      let to = -1;
      if (t.k === 'lit') to = t.c === c ? i + 1 : -1;
      else if (t.k === 'one') to = c !== '/' ? i + 1 : -1;
      else if (t.k === 'class') to = c !== '/' && inClass(t, c) ? i + 1 : -1;
      else if (t.k === 'star') to = c !== '/' ? i : -1;
      else to = i; // dirs and all take any character, "/" included
      if (to >= 0) {
        next[to] = 1;
        any = true;
      }
    }
    if (!any) return false;
    close(toks, next, path, p + 1);
    cur = next;
  }
  return cur[n] === 1;
}

/** One glob, compiled. `matches` is a whole-path match; `matchesOrAncestor` also accepts a matching parent folder. */
export class Glob {
  private readonly alts: Token[][];
  constructor(readonly source: string) {
    if (source.length > MAX_GLOB_CHARS) throw new GlobError(`the pattern is longer than ${MAX_GLOB_CHARS} characters`);
    this.alts = expandBraces(source).map(tokenize);
  }
  matches(path: string): boolean {
    return this.alts.some((t) => run(t, path, false));
  }
  matchesOrAncestor(path: string): boolean {
    return this.alts.some((t) => run(t, path, true));
  }
}

/** A set of exclude globs (files.exclude / search.exclude keys); a path is excluded if it or an ancestor matches. */
export class GlobSet {
  private readonly globs: Glob[] = [];
  /** `warn` hears about a glob that was skipped (too many alternatives, too long). */
  constructor(globs: readonly string[], warn?: (message: string) => void) {
    for (const g of globs) {
      if (g.trim() === '') continue;
      try {
        this.globs.push(new Glob(g.replace(/^\.?\//, '')));
      } catch (e) {
        warn?.(`exclude glob ${JSON.stringify(g.slice(0, 200))} skipped: ${(e as Error).message}`);
      }
    }
  }
  get size(): number {
    return this.globs.length;
  }
  matches(rel: string): boolean {
    return this.globs.some((g) => g.matchesOrAncestor(rel));
  }
}
