// "Add to context" for files and folders: a folder expands to its files, honouring .gitignore (nested ones too,
// with negation) and files.exclude, skipping binaries and files over the size limit, bounded in count and in
// how much of the tree is walked. Works on paths relative to one root folder through a small port, so it is
// tested on a real temp dir in plain node and runs on vscode.workspace.fs in the editor.
import { abortError } from '../ports';
import { GitIgnore } from '../tools/gitignore';
import { GlobSet } from '../tools/glob';
import { ContextLimits, decodeText, DEFAULT_LIMITS, looksBinary } from './limits';

export type EntryKind = 'file' | 'dir' | 'other';

export interface DirEntry {
  name: string;
  /** 'other' for symbolic links and special files: never followed (a link may lead out of the workspace). */
  kind: EntryKind;
}

/** Read access to one root folder. Paths are relative to it, with forward slashes; '' is the root itself. */
export interface ContextFs {
  list(rel: string): Promise<DirEntry[]>;
  size(rel: string): Promise<number>;
  read(rel: string): Promise<Uint8Array>;
}

export interface CollectOptions {
  limits?: Partial<ContextLimits>;
  /** files.exclude globs (the keys set to true), relative to the root. */
  excludeGlobs?: readonly string[];
  /** Read .gitignore files (search.useIgnoreFiles). Default true. */
  useGitignore?: boolean;
  signal?: AbortSignal;
  /** Called while reading: files read so far of how many candidates. */
  onProgress?(done: number, total: number): void;
}

export type SkipReason = 'ignored' | 'binary' | 'tooLarge' | 'unreadable' | 'overLimit';

export interface CollectedFile {
  rel: string;
  text: string;
}

export interface CollectResult {
  files: CollectedFile[];
  skipped: { rel: string; reason: SkipReason }[];
  /** The file count or the walk bound was reached: more files exist than were taken. */
  truncated: boolean;
}

export interface Target {
  rel: string;
  kind: 'file' | 'dir';
}

const join = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);
const parentsOf = (rel: string) => {
  const parts = rel ? rel.split('/') : [];
  return parts.map((_, i) => parts.slice(0, i).join('/'));
};

class Walker {
  private readonly gitignore = new GitIgnore();
  private readonly globs: GlobSet;
  private readonly loaded = new Set<string>();
  private entries = 0;
  readonly candidates: string[] = [];
  readonly skipped: CollectResult['skipped'] = [];
  truncated = false;

  constructor(private readonly fs: ContextFs, private readonly limits: ContextLimits, private readonly opts: CollectOptions) {
    this.globs = new GlobSet(opts.excludeGlobs ?? []);
  }

  private get full(): boolean {
    return this.candidates.length >= this.limits.maxFiles;
  }

  add(rel: string): void {
    if (this.candidates.includes(rel)) return;
    if (this.full) {
      this.truncated = true;
      this.skipped.push({ rel, reason: 'overLimit' });
    } else this.candidates.push(rel);
  }

  private async loadGitignore(dir: string, entries?: DirEntry[]): Promise<void> {
    if (this.opts.useGitignore === false || this.loaded.has(dir)) return;
    this.loaded.add(dir);
    if (entries && !entries.some((e) => e.name === '.gitignore' && e.kind === 'file')) return;
    try {
      this.gitignore.add(dir, decodeText(await this.fs.read(join(dir, '.gitignore'))));
    } catch {
      // no .gitignore here
    }
  }

  private excluded(rel: string, isDir: boolean): boolean {
    return this.globs.matches(rel) || this.gitignore.ignores(rel, isDir);
  }

  /** Breadth first, names sorted, so a cut-off keeps the shallow files and the result is stable. */
  async walk(folder: string): Promise<void> {
    for (const p of parentsOf(folder)) await this.loadGitignore(p);
    const queue = [folder];
    while (queue.length > 0) {
      if (this.opts.signal?.aborted) throw abortError();
      const dir = queue.shift()!;
      let entries: DirEntry[];
      try {
        entries = (await this.fs.list(dir)).slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch {
        this.skipped.push({ rel: dir, reason: 'unreadable' });
        continue;
      }
      await this.loadGitignore(dir, entries);
      for (const e of entries) {
        if (++this.entries > this.limits.maxEntries || this.full) {
          this.truncated = true;
          return;
        }
        const rel = join(dir, e.name);
        if (e.kind === 'other' || e.name === '.git') continue;
        if (this.excluded(rel, e.kind === 'dir')) this.skipped.push({ rel, reason: 'ignored' });
        else if (e.kind === 'dir') queue.push(rel);
        else this.add(rel);
      }
    }
  }
}

/**
 * The text files behind the chosen files and folders. A chosen file is taken as chosen (ignore rules apply to
 * what a folder expands to), but binaries and files over the size limit are always skipped.
 */
export async function collectFiles(fs: ContextFs, targets: readonly Target[], opts: CollectOptions = {}): Promise<CollectResult> {
  const limits: ContextLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const w = new Walker(fs, limits, opts);
  for (const t of targets) {
    if (t.kind === 'file') w.add(t.rel);
    else await w.walk(t.rel.replace(/^\/+|\/+$/g, ''));
  }
  const files: CollectedFile[] = [];
  const total = w.candidates.length;
  for (const [i, rel] of w.candidates.entries()) {
    if (opts.signal?.aborted) throw abortError();
    opts.onProgress?.(i, total);
    const reason = await readOne(fs, rel, limits, files);
    if (reason) w.skipped.push({ rel, reason });
  }
  opts.onProgress?.(total, total);
  return { files, skipped: w.skipped, truncated: w.truncated };
}

async function readOne(fs: ContextFs, rel: string, limits: ContextLimits, into: CollectedFile[]): Promise<SkipReason | undefined> {
  try {
    if ((await fs.size(rel)) > limits.maxFileBytes) return 'tooLarge';
    const bytes = await fs.read(rel);
    if (bytes.length > limits.maxFileBytes) return 'tooLarge';
    if (looksBinary(bytes)) return 'binary';
    into.push({ rel, text: decodeText(bytes) });
    return undefined;
  } catch {
    return 'unreadable';
  }
}

/** "12 ignored, 2 binary, 1 over 256 KB" for the skipped files, or '' when none were. */
export function describeSkipped(skipped: CollectResult['skipped'], maxFileKB: number): string {
  const n = (r: SkipReason) => skipped.filter((s) => s.reason === r).length;
  const parts: string[] = [];
  if (n('ignored')) parts.push(`${n('ignored')} ignored by .gitignore or files.exclude`);
  if (n('binary')) parts.push(`${n('binary')} binary`);
  if (n('tooLarge')) parts.push(`${n('tooLarge')} over ${maxFileKB} KB`);
  if (n('unreadable')) parts.push(`${n('unreadable')} unreadable`);
  if (n('overLimit')) parts.push(`${n('overLimit')} over the file limit`);
  return parts.join(', ');
}
