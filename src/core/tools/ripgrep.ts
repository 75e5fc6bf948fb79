// Runs ripgrep for search_text: a child process (never the extension-host thread) with the Rust regex engine,
// which matches in linear time whatever the pattern. Killed on Stop, at the time bound, or once enough matches
// came. The argument set follows the reference (shared/reference/vscode-lm-and-conventions.md §4.2).
import { spawn } from 'node:child_process';
import { ToolError } from './paths';

/** Never searched, whatever the settings say: secrets, and dependency trees. */
export const ALWAYS_EXCLUDED = [
  '**/.git',
  '**/node_modules',
  '**/.env',
  '**/.env.*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/id_rsa*',
  '**/id_ed25519*',
  '**/id_ecdsa*',
  '**/.npmrc',
  '**/.netrc',
];

export interface RgSearch {
  query: string;
  isRegex: boolean;
  caseSensitive: boolean;
  /** The model's include glob (already checked: relative, no ".."). */
  include?: string;
  /** Exclude globs ripgrep can take as they are (see rgSafeGlob). */
  excludes: readonly string[];
  useIgnoreFiles: boolean;
  /** Matching lines per file (ripgrep's --max-count). */
  maxPerFile: number;
}

/** Globs made only of plain name characters, "*", "?" and "/": ripgrep reads them as VS Code does (anchored). */
export function rgSafeGlob(glob: string): string | undefined {
  const g = glob.replace(/^\.?\//, '').replace(/\/+$/, '');
  if (g === '' || !/^[\w.*?/ @+-]+$/.test(g)) return undefined;
  return g.startsWith('**/') ? g : `/${g}`; // as VS Code's own ripgrep search anchors them
}

export function ripgrepArgs(s: RgSearch, dir: string): string[] {
  const args = ['--json', '--no-config', '--engine', 'default', '--hidden', '--sort', 'path'];
  args.push('--max-count', String(s.maxPerFile), '--max-filesize', '1M', '--max-columns', '2000', '--max-columns-preview');
  args.push('--regex-size-limit', '10M', '--dfa-size-limit', '10M');
  if (s.useIgnoreFiles) args.push('--no-require-git', '--no-ignore-parent', '--no-ignore-global');
  else args.push('--no-ignore');
  for (const g of [...ALWAYS_EXCLUDED, ...s.excludes]) args.push('--glob', `!${g}`);
  if (s.include !== undefined) args.push('--glob', s.include);
  if (!s.isRegex) args.push('--fixed-strings');
  args.push(s.caseSensitive ? '--case-sensitive' : '--ignore-case');
  args.push('--regexp', s.query, '--', dir);
  return args;
}

export interface RgMatch {
  /** The path as ripgrep printed it (the platform's form, below the searched directory). */
  path: string;
  line: number;
  text: string;
}

export type RgEnd = 'done' | 'capped' | 'timeout' | 'aborted';

export interface RgResult {
  matches: RgMatch[];
  end: RgEnd;
  /** Files searched (from ripgrep's summary; undefined when it was stopped early). */
  searched: number | undefined;
  /** Non-fatal complaints (a .gitignore line it skipped, an unreadable file). */
  warnings: string[];
}

export interface RgRun {
  cwd: string;
  signal: AbortSignal;
  /** Epoch ms at which ripgrep is killed. */
  deadline: number;
  /** Kill after this many matches (a global cap: --max-count is per file). */
  maxMatches: number;
}

/** ripgrep could not be started (missing or not executable): the caller falls back. */
export class RgSpawnError extends Error {
  override name = 'RgSpawnError';
}

const MAX_STDERR = 64 * 1024;
const MAX_JSON_LINE = 32 * 1024 * 1024;

type RgText = { text?: string; bytes?: string };
const decode = (t: RgText | undefined) => (t?.text ?? (t?.bytes ? Buffer.from(t.bytes, 'base64').toString('utf8') : ''));

export function runRipgrep(rgPath: string, args: string[], run: RgRun): Promise<RgResult> {
  return new Promise<RgResult>((resolve, reject) => {
    const matches: RgMatch[] = [];
    let searched: number | undefined;
    let stderr = '';
    let pending = '';
    let settled = false;
    const child = spawn(rgPath, args, { cwd: run.cwd, shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });

    const finish = (end: RgEnd | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onAbort);
      if (end instanceof Error) reject(end);
      else resolve({ matches, end, searched, warnings: stderrLines(stderr) });
    };
    const stop = (end: RgEnd) => {
      child.kill('SIGKILL');
      finish(end);
    };
    const onAbort = () => stop('aborted');
    const timer = setTimeout(() => stop('timeout'), Math.max(0, run.deadline - Date.now()));
    run.signal.addEventListener('abort', onAbort, { once: true });
    if (run.signal.aborted) return stop('aborted');

    const onLine = (line: string) => {
      if (line === '') return;
      let msg: { type?: string; data?: { path?: RgText; lines?: RgText; line_number?: number; stats?: { searches?: number } } };
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      if (msg.type === 'match' && msg.data) {
        matches.push({ path: decode(msg.data.path), line: msg.data.line_number ?? 0, text: decode(msg.data.lines).replace(/\r?\n$/, '') });
        if (matches.length >= run.maxMatches) stop('capped');
      } else if (msg.type === 'summary') {
        searched = msg.data?.stats?.searches;
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (settled) return;
      pending += chunk;
      let nl: number;
      while (!settled && (nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        onLine(line);
      }
      if (pending.length > MAX_JSON_LINE) stop('done');
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.slice(0, MAX_STDERR - stderr.length);
    });
    child.on('error', (e) => {
      child.kill('SIGKILL');
      finish(new RgSpawnError(`ripgrep could not start: ${e.message}`));
    });
    child.on('close', (code) => {
      if (settled) return;
      onLine(pending);
      // 0 = matches, 1 = none. 2 = an error: fatal (a bad pattern) when ripgrep stopped before its summary,
      // otherwise a complaint about some file while the search went on.
      if (code === 2 && searched === undefined) return finish(fatal(stderr));
      if (code !== 0 && code !== 1 && code !== 2) return finish(new Error(`ripgrep stopped unexpectedly (exit ${code}): ${stderr.trim().slice(0, 300)}`));
      finish('done');
    });
  });
}

function stderrLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.replace(/^rg: /, '').trim())
    .filter((l) => l !== '');
}

/** The model's mistake, in words it can act on. */
function fatal(stderr: string): Error {
  const text = stderr.replace(/^rg: /gm, '').trim();
  if (/regex parse error/.test(text)) {
    const detail = text
      .split('\n')
      .filter((l) => !/PCRE2|--pcre2|look-around\.?$/.test(l)) // ripgrep's advice to switch engines is not ours to take
      .join('\n')
      .trim();
    return new ToolError(
      `Invalid regular expression for the search engine (ripgrep's Rust syntax: no look-around, no back-references):\n${detail.slice(0, 600)}\nFix the pattern, or set is_regex to false to search for the text literally.`,
    );
  }
  if (/error parsing glob/.test(text)) return new ToolError(`Invalid include glob: ${text.slice(0, 300)}`);
  return new Error(`ripgrep failed: ${text.slice(0, 300) || 'no message'}`);
}
