// search_text: a literal or regex search over the workspace's text files, bounded in files, size and results.
import { checkGlob, HandlerContext, throwIfAborted } from './context';
import { findConfined } from './readTools';
import { bool, int, objectInput, str } from './input';
import { ToolError } from './paths';
import { decodeUtf8, looksBinary, plural, splitLines, utf8Length } from './text';

export const MAX_SEARCH_FILE_BYTES = 1024 * 1024;
export const MAX_SEARCH_FILES = 20_000;
const DEFAULT_RESULTS = 100;
const MAX_SHOWN_LINE = 300;
const CONCURRENCY = 16;

/** Refuses patterns with a quantified group that itself holds a quantifier, e.g. (a+)+ : exponential backtracking. */
export function checkRegexSafety(source: string): void {
  if (/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/.test(source) || /\\[1-9]/.test(source)) {
    throw new ToolError('The regular expression has a nested quantifier such as (a+)+ or a back-reference, which can take exponential time. Simplify it.');
  }
}

export function buildMatcher(query: string, isRegex: boolean, caseSensitive: boolean): (line: string) => boolean {
  if (!isRegex) {
    if (caseSensitive) return (line) => line.includes(query);
    const q = query.toLowerCase();
    return (line) => line.toLowerCase().includes(q);
  }
  checkRegexSafety(query);
  let re: RegExp;
  try {
    re = new RegExp(query, caseSensitive ? '' : 'i');
  } catch (e) {
    throw new ToolError(`Invalid regular expression: ${(e as Error).message}. Set is_regex to false to search for the text literally.`);
  }
  return (line) => re.test(line);
}

export async function searchTextTool(raw: unknown, ctx: HandlerContext): Promise<string> {
  const input = objectInput('search_text', raw, ['query', 'is_regex', 'case_sensitive', 'include', 'max_results']);
  const query = str(input, 'query', { required: true, nonEmpty: true });
  const isRegex = bool(input, 'is_regex') ?? false;
  const caseSensitive = bool(input, 'case_sensitive') ?? false;
  const includeArg = str(input, 'include');
  const include = includeArg === undefined ? '**/*' : checkGlob(includeArg, 'include');
  const max = int(input, 'max_results', { min: 1, max: 500 }) ?? DEFAULT_RESULTS;
  const matches = buildMatcher(query, isRegex, caseSensitive);

  const { paths, reals } = await findConfined(ctx, include, MAX_SEARCH_FILES + 1);
  const files = paths.slice(0, MAX_SEARCH_FILES);
  const hits: string[] = [];
  let skipped = 0;
  let filesWithHits = 0;
  let full = false;
  const budget = ctx.maxOutputBytes - 300;
  let used = 0;
  for (let i = 0; i < files.length && !full; i += CONCURRENCY) {
    throwIfAborted(ctx.signal);
    const batch = files.slice(i, i + CONCURRENCY);
    const perFile = await Promise.all(batch.map((display) => searchFile(ctx, display, reals.get(display)!, matches)));
    for (const res of perFile) {
      if (res === 'skipped') {
        skipped++;
        continue;
      }
      if (res.length > 0) filesWithHits++;
      for (const hit of res) {
        if (hits.length >= max || used + utf8Length(hit) + 1 > budget) {
          full = true;
          break;
        }
        hits.push(hit);
        used += utf8Length(hit) + 1;
      }
      if (full) break;
    }
  }
  const what = `${isRegex ? 'regex' : 'text'} ${JSON.stringify(query)}${includeArg ? ` in ${includeArg}` : ''}`;
  const notes: string[] = [];
  if (full) notes.push(`[stopped at ${plural(hits.length, 'match', 'matches')}; narrow the query or the include glob to see others]`);
  if (paths.length > MAX_SEARCH_FILES) notes.push(`[only the first ${MAX_SEARCH_FILES} files were searched; use include to narrow]`);
  if (skipped > 0) notes.push(`[${plural(skipped, 'file')} skipped: binary, unreadable or over 1 MB]`);
  const tail = notes.length ? `\n${notes.join('\n')}` : '';
  if (hits.length === 0) return `No matches for ${what} in ${plural(files.length, 'file')}.${tail}`;
  const head = `${plural(hits.length, 'match', 'matches')} for ${what}${full ? '' : ` in ${plural(filesWithHits, 'file')}`}:`;
  return `${head}\n${hits.join('\n')}${tail}`;
}

async function searchFile(ctx: HandlerContext, display: string, real: string, matches: (line: string) => boolean): Promise<string[] | 'skipped'> {
  try {
    const st = await ctx.port.stat(real);
    if (!st || st.type !== 'file' || st.size > MAX_SEARCH_FILE_BYTES) return 'skipped';
    const bytes = await ctx.port.readFile(real);
    if (looksBinary(bytes)) return 'skipped';
    const out: string[] = [];
    splitLines(decodeUtf8(bytes)).forEach((line, i) => {
      const scanned = line.length > 10_000 ? line.slice(0, 10_000) : line;
      if (!matches(scanned)) return;
      const trimmed = line.trim();
      out.push(`${display}:${i + 1}: ${trimmed.length > MAX_SHOWN_LINE ? `${trimmed.slice(0, MAX_SHOWN_LINE)}…` : trimmed}`);
    });
    return out;
  } catch {
    return 'skipped';
  }
}
