// .gitignore matching with the `ignore` library (the matcher ESLint uses, which follows git's wildmatch), for the
// walks that do not go through ripgrep: find_files' filter, the search fallback and "Add to context".
// A nested .gitignore is rebased onto the workspace root (its unanchored lines become "dir/**/line", its anchored
// ones "dir/line"), so one rule list decides, the deeper file last, and a file under an ignored folder stays
// ignored, as in git. Paths are relative to the workspace folder, with forward slashes.
//
// A .gitignore comes from the repository, so it is hostile input: a line the library cannot compile is skipped
// and reported, never fatal. The library's "**" costs grow with path depth to the power of the "**" count, so a
// line with more than MAX_GLOBSTARS of them is skipped, and paths deeper than MAX_DEPTH folders count as ignored.
import ignore, { type Ignore } from 'ignore';

export const MAX_GLOBSTARS = 2;
export const MAX_DEPTH = 40;
const MAX_LINE_CHARS = 1000;
const MAX_RULES = 20_000;

/** Escapes glob characters in a folder name used as a rule prefix. */
function literal(dir: string): string {
  return dir.replace(/[\\*?[\]]/g, '\\$&');
}

/** One .gitignore line rebased from folder `base` ('' = root) onto the root; undefined for blanks and comments. */
export function rebase(base: string, line: string): string | undefined {
  if (line.trim() === '' || line.startsWith('#')) return undefined;
  if (base === '') return line;
  const negate = line.startsWith('!');
  const body = negate ? line.slice(1) : line;
  const prefix = literal(base);
  const anchored = body.startsWith('/') || body.replace(/\/+\s*$/, '').includes('/');
  const rebased = anchored ? `${prefix}/${body.replace(/^\//, '')}` : `${prefix}/**/${body}`;
  return (negate ? '!' : '') + rebased;
}

export class GitIgnore {
  /** Rebased rules per .gitignore folder; combined (shallow first, so deeper files win) on first use. */
  private readonly layers: { depth: number; rules: string[] }[] = [];
  private ig: Ignore | undefined;
  private count = 0;

  /** `warn` hears about every skipped line (the host logs it). */
  constructor(private readonly warn: (message: string) => void = () => {}) {}

  /** Adds the rules of the .gitignore in folder `dir` ('' for the workspace root), in any order. */
  add(dir: string, content: string): void {
    const base = dir.replace(/^\/+|\/+$/g, '');
    const rules: string[] = [];
    this.layers.push({ depth: base === '' ? 0 : base.split('/').length, rules });
    this.ig = undefined;
    const where = base ? `${base}/.gitignore` : '.gitignore';
    content.split(/\r?\n/).forEach((line, i) => {
      const why = this.check(line);
      if (why) return this.warn(`${where}: line ${i + 1} skipped (${why}): ${JSON.stringify(line.slice(0, 120))}`);
      const rule = rebase(base, line);
      if (rule === undefined) return;
      try {
        ignore({ ignorecase: false }).add(rule).ignores('x'); // compiles the rule: a bad one throws here, not later
      } catch (e) {
        return this.warn(`${where}: line ${i + 1} skipped (${(e as Error).message}): ${JSON.stringify(line.slice(0, 120))}`);
      }
      rules.push(rule);
      this.count++;
    });
  }

  private check(line: string): string | undefined {
    if (line.trim() === '' || line.startsWith('#')) return undefined;
    if (this.count >= MAX_RULES) return `more than ${MAX_RULES} rules`;
    if (line.length > MAX_LINE_CHARS) return `longer than ${MAX_LINE_CHARS} characters`;
    if ((line.match(/\*\*/g) ?? []).length > MAX_GLOBSTARS) return `more than ${MAX_GLOBSTARS} "**"`;
    return undefined;
  }

  get size(): number {
    return this.count;
  }

  /** True when the file (or directory, with isDir) at `rel` is ignored. Never throws. */
  ignores(rel: string, isDir = false): boolean {
    const path = rel.replace(/^\/+|\/+$/g, '');
    if (this.count === 0 || path === '') return false;
    if (path.split('/').length > MAX_DEPTH) return true;
    if (!this.ig) {
      this.ig = ignore({ ignorecase: false });
      for (const l of [...this.layers].sort((a, b) => a.depth - b.depth)) this.ig.add(l.rules);
    }
    try {
      return this.ig.ignores(isDir ? `${path}/` : path);
    } catch {
      return false; // a path the library calls invalid (e.g. "./x"): not ignored
    }
  }
}

/** files.exclude + search.exclude globs and .gitignore rules together: what search and find_files skip. */
export class ExcludeFilter {
  constructor(
    private readonly globs: { matches(rel: string): boolean },
    private readonly gitignore: GitIgnore,
  ) {}
  excludes(rel: string): boolean {
    return this.globs.matches(rel) || this.gitignore.ignores(rel);
  }
}
