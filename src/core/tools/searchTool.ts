// search_text: a literal or regex search over the workspace's text files, bounded in results, bytes and time.
// Runs ripgrep (linear-time Rust regex, a child process) where the host provides it; otherwise the worker
// fallback. Every hit is confined: a path whose real location leaves the workspace is dropped.
import { isAbsolute, relative, sep } from 'node:path';
import { checkGlob, HandlerContext, throwIfAborted } from './context';
import { Glob, GlobError, GlobSet } from './glob';
import { bool, int, objectInput, str } from './input';
import { ToolError } from './paths';
import { findConfined } from './readTools';
import { ALWAYS_EXCLUDED, rgSafeGlob, ripgrepArgs, RgSpawnError, runRipgrep } from './ripgrep';
import { plural, utf8Length } from './text';
import { MAX_SEARCH_FILE_BYTES, searchWithWorker, type WorkerHit } from './workerSearch';
import { DEFAULT_SEARCH_TIMEOUT_MS, type FolderSearchScope, type RootFolder, type SearchEngine } from './workspace';

export { MAX_SEARCH_FILE_BYTES };
export const MAX_SEARCH_FILES = 20_000;
const DEFAULT_RESULTS = 100;
const MAX_SHOWN_LINE = 300;
const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 300_000;

interface Query {
  query: string;
  isRegex: boolean;
  caseSensitive: boolean;
  includeArg: string | undefined;
  include: Glob | undefined;
  max: number;
}

/** Collects "path:line: text" lines up to max_results and the byte budget. */
class Hits {
  readonly lines: string[] = [];
  private readonly files = new Set<string>();
  private used = 0;
  full = false;
  constructor(private readonly max: number, private readonly budget: number) {}
  get fileCount(): number {
    return this.files.size;
  }
  /** False once full. */
  add(display: string, line: number, text: string): boolean {
    if (this.full) return false;
    const t = text.trim();
    const hit = `${display}:${line}: ${t.length > MAX_SHOWN_LINE ? `${t.slice(0, MAX_SHOWN_LINE)}…` : t}`;
    const cost = utf8Length(hit) + 1;
    if (this.lines.length >= this.max || this.used + cost > this.budget) {
      this.full = true;
      return false;
    }
    this.lines.push(hit);
    this.files.add(display);
    this.used += cost;
    return true;
  }
}

interface Tally {
  searched: number;
  skipped: number;
  tooMany: boolean;
  timedOut: boolean;
}

export async function searchTextTool(raw: unknown, ctx: HandlerContext): Promise<string> {
  const input = objectInput('search_text', raw, ['query', 'is_regex', 'case_sensitive', 'include', 'max_results']);
  const query = str(input, 'query', { required: true, nonEmpty: true });
  const isRegex = bool(input, 'is_regex') ?? false;
  const caseSensitive = bool(input, 'case_sensitive') ?? false;
  const includeArg = str(input, 'include');
  const max = int(input, 'max_results', { min: 1, max: 500 }) ?? DEFAULT_RESULTS;
  let include: Glob | undefined;
  try {
    include = includeArg === undefined ? undefined : new Glob(checkGlob(includeArg, 'include'));
  } catch (e) {
    if (e instanceof GlobError) throw new ToolError(`Invalid include glob: ${e.message}.`);
    throw e;
  }
  const q: Query = { query, isRegex, caseSensitive, includeArg, include, max };

  const engine: SearchEngine = ctx.port.searchEngine?.() ?? { rgPath: undefined, timeoutMs: DEFAULT_SEARCH_TIMEOUT_MS };
  const timeoutMs = Math.min(Math.max(Number.isFinite(engine.timeoutMs) ? engine.timeoutMs : DEFAULT_SEARCH_TIMEOUT_MS, MIN_TIMEOUT_MS), MAX_TIMEOUT_MS);
  const deadline = Date.now() + timeoutMs;
  const hits = new Hits(max, ctx.maxOutputBytes - 300);
  const tally: Tally = { searched: 0, skipped: 0, tooMany: false, timedOut: false };

  const fallback: RootFolder[] = [];
  for (const folder of ctx.conf.folders()) {
    throwIfAborted(ctx.signal);
    if (hits.full || tally.timedOut) break;
    const scope = engine.rgPath ? await ctx.port.searchScope?.(folder, ctx.signal) : undefined;
    if (!engine.rgPath || !scope) {
      fallback.push(folder);
      continue;
    }
    try {
      await searchFolderWithRipgrep(ctx, engine.rgPath, folder, scope, q, deadline, hits, tally, engine.warn);
    } catch (e) {
      if (!(e instanceof RgSpawnError)) throw e;
      engine.warn?.(`search_text: ${e.message}; searching without ripgrep`);
      fallback.push(folder);
    }
  }
  if (fallback.length > 0 && !hits.full && !tally.timedOut) await searchWithFallback(ctx, fallback, q, deadline, hits, tally);
  throwIfAborted(ctx.signal);
  return describe(q, hits, tally, timeoutMs);
}

function describe(q: Query, hits: Hits, tally: Tally, timeoutMs: number): string {
  const what = `${q.isRegex ? 'regex' : 'text'} ${JSON.stringify(q.query)}${q.includeArg ? ` in ${q.includeArg}` : ''}`;
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`;
  if (tally.timedOut && hits.lines.length === 0) {
    throw new ToolError(
      `search_text stopped at its time limit (${seconds}) before finding a match for ${what} (${plural(tally.searched, 'file')} searched). Narrow it with include, or simplify the pattern.`,
    );
  }
  const notes: string[] = [];
  if (hits.full) notes.push(`[stopped at ${plural(hits.lines.length, 'match', 'matches')}; narrow the query or the include glob to see others]`);
  if (tally.timedOut) notes.push(`[the search stopped at its time limit (${seconds}); more matches may exist: narrow the include glob or the query]`);
  if (tally.tooMany) notes.push(`[only the first ${MAX_SEARCH_FILES} files were searched; use include to narrow]`);
  if (tally.skipped > 0) notes.push(`[${plural(tally.skipped, 'file')} skipped: binary, unreadable or over 1 MB]`);
  const tail = notes.length ? `\n${notes.join('\n')}` : '';
  if (hits.lines.length === 0) return `No matches for ${what} in ${plural(tally.searched, 'file')}.${tail}`;
  const head = `${plural(hits.lines.length, 'match', 'matches')} for ${what}${hits.full ? '' : ` in ${plural(hits.fileCount, 'file')}`}:`;
  return `${head}\n${hits.lines.join('\n')}${tail}`;
}

async function searchFolderWithRipgrep(
  ctx: HandlerContext,
  rgPath: string,
  folder: RootFolder,
  scope: FolderSearchScope,
  q: Query,
  deadline: number,
  hits: Hits,
  tally: Tally,
  warn: ((message: string) => void) | undefined,
): Promise<void> {
  const excludes = new GlobSet([...ALWAYS_EXCLUDED, ...scope.excludeGlobs], warn);
  const rgExcludes = scope.excludeGlobs.map(rgSafeGlob).filter((g): g is string => g !== undefined);
  const include = q.includeArg === undefined ? undefined : q.includeArg.startsWith('**/') ? q.includeArg : `/${q.includeArg}`;
  const args = ripgrepArgs({ query: q.query, isRegex: q.isRegex, caseSensitive: q.caseSensitive, include, excludes: rgExcludes, useIgnoreFiles: scope.useIgnoreFiles, maxPerFile: q.max + 1 }, scope.fsPath);
  const r = await runRipgrep(rgPath, args, { cwd: scope.fsPath, signal: ctx.signal, deadline, maxMatches: q.max + 1 });
  throwIfAborted(ctx.signal);
  for (const w of r.warnings) warn?.(`search_text (ripgrep): ${w}`);
  if (r.end === 'timeout') tally.timedOut = true;
  tally.searched += r.searched ?? 0;

  const root = folder.path.replace(/\/+$/, '');
  const confined = new Map<string, string | undefined>();
  for (const m of r.matches) {
    const rel = relative(scope.fsPath, m.path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
    const relPosix = rel.split(sep).join('/');
    // ripgrep already applied these; checking again keeps the exact VS Code glob meaning and the secret list.
    if (excludes.matches(relPosix) || (q.include && !q.include.matches(relPosix))) continue;
    if (!confined.has(relPosix)) {
      const c = await ctx.conf.confineHostPath(`${root}/${relPosix}`);
      confined.set(relPosix, c?.exists ? c.display : undefined);
    }
    const display = confined.get(relPosix);
    if (display === undefined) continue; // its real path leaves the workspace
    if (!hits.add(display, m.line, m.text)) return;
  }
  if (r.end === 'capped') hits.full = true;
}

async function searchWithFallback(ctx: HandlerContext, folders: RootFolder[], q: Query, deadline: number, hits: Hits, tally: Tally): Promise<void> {
  if (q.isRegex) {
    try {
      new RegExp(q.query, q.caseSensitive ? '' : 'i'); // compiling is safe; only matching can run away
    } catch (e) {
      throw new ToolError(`Invalid regular expression: ${(e as Error).message}. Set is_regex to false to search for the text literally.`);
    }
  }
  const { paths, reals } = await findConfined(ctx, q.includeArg === undefined ? '**/*' : checkGlob(q.includeArg, 'include'), MAX_SEARCH_FILES + 1, folders);
  const secrets = new GlobSet(ALWAYS_EXCLUDED);
  const files = paths
    .slice(0, MAX_SEARCH_FILES)
    .filter((d) => !secrets.matches(d))
    .map((display) => ({ display, real: reals.get(display)! }));
  tally.tooMany = paths.length > MAX_SEARCH_FILES;
  const init = { query: q.query, isRegex: q.isRegex, caseSensitive: q.caseSensitive, maxPerFile: q.max + 1 };
  const r = await searchWithWorker(ctx, files, init, deadline, (display: string, found: WorkerHit[]) => found.every((h) => hits.add(display, h.line, h.text)));
  tally.searched += r.searched;
  tally.skipped += r.skipped;
  if (r.end === 'timeout') tally.timedOut = true;
}
