// A .gitignore matcher (the subset of gitignore(5) that matters for search): comments, escapes, negation "!",
// directory-only "dir/", anchoring by a leading or inner "/", "**", nested .gitignore files, and "a file under
// an ignored directory stays ignored". Paths are relative to the workspace folder, with forward slashes.
import { globSource, prefixes } from './glob';

interface Rule {
  /** Folder of the .gitignore this rule came from ('' = the root). */
  base: string;
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

export function parseGitignore(base: string, content: string): Rule[] {
  const rules: Rule[] = [];
  for (let line of content.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    line = line.replace(/(?<!\\)\s+$/, ''); // trailing spaces, unless escaped
    if (line === '') continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
      line = line.slice(1);
    }
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.replace(/\/+$/, '');
    if (line === '') continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const source = globSource(line, { braces: false });
    rules.push({ base, re: new RegExp(`^${anchored ? '' : '(?:[^/]*/)*'}${source}$`), negate, dirOnly });
  }
  return rules;
}

export class GitIgnore {
  private rules: Rule[] = [];

  /** Adds the rules of the .gitignore in folder `dir` ('' for the workspace root). Add parents before children. */
  add(dir: string, content: string): void {
    const base = dir.replace(/^\/+|\/+$/g, '');
    this.rules = this.rules.concat(parseGitignore(base, content));
    // Deeper files take precedence: stable-sort by depth so they are evaluated last.
    this.rules.sort((a, b) => depth(a.base) - depth(b.base));
  }

  get size(): number {
    return this.rules.length;
  }

  /** True when the file (or directory, with isDir) at `rel` is ignored. */
  ignores(rel: string, isDir = false): boolean {
    if (this.rules.length === 0) return false;
    const chain = prefixes(rel.replace(/^\/+/, ''));
    return chain.some((p, i) => this.decide(p, i < chain.length - 1 || isDir));
  }

  private decide(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const r of this.rules) {
      if (r.dirOnly && !isDir) continue;
      if (r.base !== '' && !path.startsWith(r.base + '/')) continue;
      const local = r.base === '' ? path : path.slice(r.base.length + 1);
      if (r.re.test(local)) ignored = !r.negate;
    }
    return ignored;
  }
}

function depth(base: string): number {
  return base === '' ? 0 : base.split('/').length;
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
