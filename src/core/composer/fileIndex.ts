// The list of workspace files behind @file and @folder completion. Built with `rg --files` (VS Code's own ripgrep,
// a separate process), which honours .gitignore (also outside a git repository: --no-require-git), plus
// files.exclude and search.exclude, and never lists secrets or dependency trees (ALWAYS_EXCLUDED). Without ripgrep
// (or for a folder not on the local disk) it falls back to the port's findFiles. Paths come in as ripgrep streams
// them, so the first results are there before the walk ends; a change on disk marks the list stale and the next
// query rebuilds it in the background while the old list keeps answering.
import { spawn } from 'node:child_process';
import { Emitter, type Event } from '../lifecycle';
import type { Logger } from '../ports';
import { GlobSet } from '../tools/glob';
import { ALWAYS_EXCLUDED, rgSafeGlob } from '../tools/ripgrep';
import type { FolderSearchScope, RootFolder, WorkspacePort } from '../tools/workspace';

export const MAX_INDEXED_FILES = 300_000;
const ALWAYS = new GlobSet(ALWAYS_EXCLUDED);
export const INDEX_TIMEOUT_MS = 30_000;

export function listFilesArgs(scope: Pick<FolderSearchScope, 'excludeGlobs' | 'useIgnoreFiles'>): string[] {
  const args = ['--files', '--no-config', '--hidden', '--no-messages'];
  if (scope.useIgnoreFiles) args.push('--no-require-git', '--no-ignore-parent', '--no-ignore-global');
  else args.push('--no-ignore');
  for (const g of ALWAYS_EXCLUDED) args.push('--glob', `!${g}`);
  for (const g of scope.excludeGlobs) {
    const safe = rgSafeGlob(g);
    if (safe) args.push('--glob', `!${safe}`);
  }
  return args;
}

/** Streams `rg --files` in `cwd`: each batch of relative paths (forward slashes) as it arrives. */
export function streamFiles(rgPath: string, cwd: string, args: string[], onPaths: (paths: string[]) => void, signal: AbortSignal, max = MAX_INDEXED_FILES): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(rgPath, args, { cwd, shell: false, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    let pending = '';
    let count = 0;
    let done = false;
    const finish = (e?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (e) reject(e);
      else resolve();
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish();
    };
    const timer = setTimeout(onAbort, INDEX_TIMEOUT_MS);
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (done) return;
      pending += chunk;
      const cut = pending.lastIndexOf('\n');
      if (cut < 0) return;
      const lines = pending.slice(0, cut).split('\n');
      pending = pending.slice(cut + 1);
      const paths = lines.map((l) => l.replace(/\r$/, '').replace(/\\/g, '/').replace(/^\.\//, '')).filter(Boolean);
      count += paths.length;
      onPaths(count > max ? paths.slice(0, paths.length - (count - max)) : paths);
      if (count >= max) onAbort();
    });
    child.on('error', (e) => finish(e));
    child.on('close', () => {
      if (!done && pending) onPaths([pending.replace(/\\/g, '/').replace(/^\.\//, '')]);
      finish();
    });
  });
}

export interface IndexSnapshot {
  /** Workspace-relative paths (multi-root: with the folder name first). */
  paths: readonly string[];
  lowered: readonly string[];
  /** False while a build runs: more (or other) paths are coming. */
  complete: boolean;
}

export class FileIndex {
  private paths: string[] = [];
  private lowered: string[] = [];
  private complete = false;
  private stale = true;
  private building: Promise<void> | undefined;
  private controller: AbortController | undefined;
  private readonly changes = new Emitter<void>();
  /** Fires when more paths arrived or a build ended. */
  readonly onDidChange: Event<void> = this.changes.event;

  constructor(private readonly port: WorkspacePort, private readonly logger: Logger) {}

  /** Files changed on disk (or the folders or exclude settings did): rebuild on the next query. */
  invalidate(): void {
    this.stale = true;
  }

  /**
   * What is known now; starts a (re)build when stale. During a rebuild the previous list answers, marked not
   * complete, so the caller answers again when the new one is in (onDidChange).
   */
  snapshot(): IndexSnapshot {
    if (this.stale && !this.building) void this.build();
    return { paths: this.paths, lowered: this.lowered, complete: this.complete && !this.building };
  }

  /** Resolves when no build is running. */
  async settled(): Promise<void> {
    while (this.building) await this.building;
  }

  dispose(): void {
    this.controller?.abort();
    this.changes.dispose();
  }

  private build(): Promise<void> {
    this.stale = false;
    const controller = new AbortController();
    this.controller = controller;
    const fresh: string[] = [];
    const freshLower: string[] = [];
    // The first build fills the live list as paths stream in; a rebuild swaps the new list in when it is done.
    const live = this.paths.length === 0;
    if (live) this.complete = false;
    const add = (batch: string[]) => {
      const target = live ? this.paths : fresh;
      const lower = live ? this.lowered : freshLower;
      for (const p of batch) {
        if (target.length >= MAX_INDEXED_FILES) break;
        target.push(p);
        lower.push(p.toLowerCase());
      }
      if (live) this.changes.fire();
    };
    const run = async () => {
      const folders = this.port.folders();
      for (const folder of folders) {
        if (controller.signal.aborted) return;
        const prefix = folders.length > 1 ? `${folder.name}/` : '';
        await this.listFolder(folder, (batch) => add(prefix ? batch.map((p) => prefix + p) : batch), controller.signal).catch((e: unknown) => {
          this.logger.warn(`@file index: could not list ${folder.name}: ${e instanceof Error ? e.message : String(e)}`);
        });
      }
      if (controller.signal.aborted) return;
      const [list, lower] = live ? [this.paths, this.lowered] : [fresh, freshLower];
      const order = list.map((_, i) => i).sort((a, b) => (list[a] < list[b] ? -1 : list[a] > list[b] ? 1 : 0));
      this.paths = order.map((i) => list[i]);
      this.lowered = order.map((i) => lower[i]);
      this.complete = true;
    };
    this.building = run().finally(() => {
      if (this.controller === controller) this.controller = undefined;
      this.building = undefined;
      this.changes.fire();
    });
    return this.building;
  }

  private async listFolder(folder: RootFolder, onPaths: (paths: string[]) => void, signal: AbortSignal): Promise<void> {
    const rgPath = this.port.searchEngine?.().rgPath;
    const scope = rgPath ? await this.port.searchScope?.(folder, signal) : undefined;
    if (rgPath && scope) {
      const globs = new GlobSet(scope.excludeGlobs.filter((g) => !rgSafeGlob(g)));
      const filter = globs.size ? (b: string[]) => b.filter((p) => !globs.matches(p)) : (b: string[]) => b;
      try {
        return await streamFiles(rgPath, scope.fsPath, listFilesArgs(scope), (b) => onPaths(filter(b)), signal);
      } catch (e) {
        this.logger.warn(`@file index: ripgrep failed (${e instanceof Error ? e.message : String(e)}); listing with findFiles`);
      }
    }
    const root = folder.path.replace(/\/+$/, '');
    const found = await this.port.findFiles(folder, '**/*', MAX_INDEXED_FILES, signal);
    const rel = found.filter((p) => p.startsWith(`${root}/`)).map((p) => p.slice(root.length + 1));
    onPaths(rel.filter((p) => !ALWAYS.matches(p)));
  }
}
