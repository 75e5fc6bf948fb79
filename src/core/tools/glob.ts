// Glob patterns as VS Code reads them (files.exclude, search.exclude, find_files): "*" and "?" within one path
// segment, "**" across segments, "[...]" classes, "{a,b}" alternatives. Also the matcher under .gitignore rules.

export interface GlobOptions {
  /** "{a,b}" alternatives (VS Code globs); off for .gitignore, where braces are literal. */
  braces?: boolean;
}

const SPECIAL = /[.+^${}()|[\]\\/]/;

/** Regular-expression source (unanchored) for a glob. */
export function globSource(glob: string, opts: GlobOptions = { braces: true }): string {
  let re = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const atSegmentStart = i === 0 || glob[i - 1] === '/';
    if (c === '*' && glob[i + 1] === '*') {
      let j = i + 2;
      while (glob[j] === '*') j++;
      if (atSegmentStart && glob[j] === '/') {
        re += '(?:[^/]*/)*'; // "**/": zero or more whole segments
        i = j;
      } else if (atSegmentStart && j === glob.length) {
        re += '.*';
        i = j - 1;
      } else {
        re += '[^/]*';
        i = j - 1;
      }
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      re += `[${negate ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      re += escapeChar(glob[++i]);
    } else if (opts.braces && c === '{') {
      depth++;
      re += '(?:';
    } else if (opts.braces && c === '}' && depth > 0) {
      depth--;
      re += ')';
    } else if (opts.braces && c === ',' && depth > 0) {
      re += '|';
    } else {
      re += escapeChar(c);
    }
  }
  while (depth-- > 0) re += ')';
  return re;
}

function escapeChar(c: string): string {
  return SPECIAL.test(c) ? `\\${c}` : c;
}

export function globToRegExp(glob: string, opts?: GlobOptions): RegExp {
  return new RegExp(`^${globSource(glob, opts)}$`);
}

/** Paths of every ancestor directory of `rel` and `rel` itself: "a/b/c" -> ["a", "a/b", "a/b/c"]. */
export function prefixes(rel: string): string[] {
  const parts = rel.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** A set of exclude globs (files.exclude / search.exclude keys); a path is excluded if it or an ancestor matches. */
export class GlobSet {
  private readonly res: RegExp[];
  constructor(globs: readonly string[]) {
    this.res = globs.filter((g) => g.trim() !== '').map((g) => globToRegExp(g.replace(/^\.?\//, '')));
  }
  get size(): number {
    return this.res.length;
  }
  matches(rel: string): boolean {
    return this.res.length > 0 && prefixes(rel).some((p) => this.res.some((r) => r.test(p)));
  }
}
