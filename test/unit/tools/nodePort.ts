// Test wiring for the workspace tools: a real temp directory with real symlinks, a WorkspacePort on node's fs
// that records every call, a scriptable Approver, and a runner helper.
import { promises as fs, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rgPath } from '@vscode/ripgrep';
import { dirname, join, relative, sep } from 'node:path';
import { MAX_READ_BYTES } from '../../../src/core/tools/confine';
import { ExcludeFilter, GitIgnore } from '../../../src/core/tools/gitignore';
import { Glob, GlobSet } from '../../../src/core/tools/glob';
import { WorkspaceToolRunner } from '../../../src/core/tools/runner';
import { checkedWrite, readVerified, type VerifyOptions } from '../../../src/core/tools/verifiedFs';
import type { ToolCall, ToolResult, ToolRunContext, ToolStatus } from '../../../src/core/tools/types';
import type {
  ApprovalDecision, Approver, DiagnosticInfo, DirEntry, EditorInfo, FileStat, FolderSearchScope, ProposedEdit, RootFolder, SearchEngine, ToolApprovalRequest, ToolSettings, WorkspacePort,
} from '../../../src/core/tools/workspace';

export const SECRET = 'TOP-SECRET-0xC0FFEE';

/**
 * tmp/outside/{secret.txt, dir/inner.txt}  (never to be read)
 * tmp/ws/ a.txt, src/main.ts, src/util.ts, bin.dat, .gitignore, ignored.txt, build/out.js, .git/config, empty.txt,
 *         link-out -> ../outside, secret-link.txt -> ../outside/secret.txt, dangling -> ../outside/nope.txt,
 *         inner-link.ts -> src/main.ts
 */
export function makeWorkspace(): { tmp: string; ws: string; outside: string; cleanup(): void } {
  const tmp = mkdtempSync(join(tmpdir(), 'claude-tools-'));
  const outside = join(tmp, 'outside');
  const ws = join(tmp, 'ws');
  const file = (p: string, text: string | Buffer) => {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  };
  file(join(outside, 'secret.txt'), `${SECRET}\nneedle outside\n`);
  file(join(outside, 'dir', 'inner.txt'), `${SECRET} inner\n`);
  file(join(ws, 'a.txt'), 'hello\nworld\n');
  file(join(ws, 'src', 'main.ts'), 'export function main() {\n  return needle();\n}\n');
  file(join(ws, 'src', 'util.ts'), 'export const x = 1;\nexport const y = 1;\n// Needle in caps\n');
  file(join(ws, 'bin.dat'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65]));
  file(join(ws, '.gitignore'), 'ignored.txt\nbuild/\n');
  file(join(ws, 'ignored.txt'), 'needle ignored\n');
  file(join(ws, 'build', 'out.js'), 'needle built\n');
  file(join(ws, '.git', 'config'), '[core]\n');
  file(join(ws, 'empty.txt'), '');
  symlinkSync(join('..', 'outside'), join(ws, 'link-out'), 'dir');
  symlinkSync(join('..', 'outside', 'secret.txt'), join(ws, 'secret-link.txt'));
  symlinkSync(join('..', 'outside', 'nope.txt'), join(ws, 'dangling'));
  symlinkSync(join('src', 'main.ts'), join(ws, 'inner-link.ts'));
  return { tmp, ws, outside, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

const posixPath = (p: string) => p.split(sep).join('/');

export class NodePort implements WorkspacePort {
  readonly calls: { op: string; path: string }[] = [];
  readonly applied: ProposedEdit[] = [];
  diags: DiagnosticInfo[] = [];
  editors: EditorInfo[] = [];
  /** files.exclude / search.exclude stand-in. */
  excludes: string[] = [];
  /** Per-file read delay (ms), keyed by file name, for ordering tests. */
  readDelay = new Map<string, number>();
  failApply: Error | undefined;
  /** Runs just before a read or a write touches the disk: the window a racing process could use. */
  beforeRead: ((path: string) => void | Promise<void>) | undefined;
  beforeWrite: ((edit: ProposedEdit) => void | Promise<void>) | undefined;
  /** Runs in the middle of a write, after the check before it. */
  duringWrite: ((edit: ProposedEdit) => void | Promise<void>) | undefined;
  /** How reads and writes verify the descriptor (procFd: false = the portable inode check). */
  verify: VerifyOptions = {};
  /** search_text's engine: the dev dependency's ripgrep; undefined forces the worker fallback. */
  rgPath: string | undefined = rgPath;
  searchTimeoutMs = 10_000;
  /** search.useIgnoreFiles stand-in. */
  useIgnoreFiles = true;
  /** What the search engine asked to log. */
  readonly warnings: string[] = [];

  constructor(public roots: RootFolder[]) {}

  static single(ws: string): NodePort {
    return new NodePort([{ name: 'ws', path: posixPath(ws) }]);
  }

  folders(): readonly RootFolder[] {
    return this.roots;
  }
  async realpath(path: string): Promise<string> {
    this.calls.push({ op: 'realpath', path });
    return posixPath(await fs.realpath(path));
  }
  async stat(path: string): Promise<FileStat | undefined> {
    this.calls.push({ op: 'stat', path });
    try {
      const st = await fs.lstat(path);
      return { type: st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other', size: st.size };
    } catch {
      return undefined;
    }
  }
  async readFile(path: string): Promise<Uint8Array> {
    this.calls.push({ op: 'readFile', path });
    const delay = this.readDelay.get(path.split('/').pop()!);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    await this.beforeRead?.(path);
    return readVerified(path, MAX_READ_BYTES, this.verify); // as the VS Code port does for files on disk
  }
  async readDir(path: string): Promise<DirEntry[]> {
    this.calls.push({ op: 'readDir', path });
    const entries = await fs.readdir(path, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, type: e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? 'directory' : e.isFile() ? 'file' : 'other' }));
  }
  /** Walks like VS Code's file search: follows symlinked folders (search.followSymlinks), prunes excludes. */
  async findFiles(folder: RootFolder, glob: string, maxResults: number, signal: AbortSignal): Promise<string[]> {
    this.calls.push({ op: 'findFiles', path: folder.path });
    const gi = new GitIgnore();
    const gitignore = join(folder.path, '.gitignore');
    gi.add('', await fs.readFile(gitignore, 'utf8').catch(() => ''));
    const filter = new ExcludeFilter(new GlobSet(this.excludes), gi);
    const re = new Glob(glob);
    const out: string[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > 8 || signal.aborted) return;
      for (const e of await fs.readdir(dir)) {
        const full = join(dir, e);
        const rel = posixPath(relative(folder.path, full));
        if (filter.excludes(rel) || rel === '.git' || rel.startsWith('.git/')) continue;
        const st = await fs.stat(full).catch(() => undefined);
        if (st?.isDirectory()) await walk(full, depth + 1);
        else if (st?.isFile() && re.matches(rel) && out.length < maxResults) out.push(posixPath(full));
      }
    };
    await walk(folder.path, 0);
    return out;
  }
  searchEngine(): SearchEngine {
    return { rgPath: this.rgPath, timeoutMs: this.searchTimeoutMs, warn: (m) => this.warnings.push(m) };
  }
  async searchScope(folder: RootFolder): Promise<FolderSearchScope | undefined> {
    this.calls.push({ op: 'searchScope', path: folder.path });
    return { fsPath: folder.path.split('/').join(sep), excludeGlobs: this.excludes, useIgnoreFiles: this.useIgnoreFiles };
  }
  async diagnostics(path?: string): Promise<DiagnosticInfo[]> {
    return path === undefined ? this.diags : this.diags.filter((d) => d.path === path);
  }
  async openEditors(): Promise<EditorInfo[]> {
    return this.editors;
  }
  /** Writes by name between the same two checks as the VS Code port (which writes through a WorkspaceEdit). */
  async applyEdit(edit: ProposedEdit): Promise<void> {
    if (this.failApply) throw this.failApply;
    await this.beforeWrite?.(edit);
    await checkedWrite(
      edit.target,
      edit.kind,
      async () => {
        await this.duringWrite?.(edit);
        if (edit.kind === 'create') {
          await fs.mkdir(dirname(edit.target), { recursive: true });
          await fs.writeFile(edit.target, edit.after, { flag: 'wx' });
        } else {
          if ((await fs.readFile(edit.target, 'utf8')) !== edit.before) throw new Error('file changed');
          await fs.writeFile(edit.target, edit.after);
        }
      },
      this.verify,
    );
    this.applied.push(edit);
  }

  /** Every path handed to readFile/readDir, resolved: none may lie outside `root`. */
  readsOutside(root: string): string[] {
    const real = realpathSync(root);
    return this.calls
      .filter((c) => c.op === 'readFile' || c.op === 'readDir')
      .map((c) => realpathSync(c.path))
      .filter((p) => p !== real && !p.startsWith(real + sep));
  }
}

/** An Approver that answers from a script (or a function) and records what it was shown. */
export class ScriptedApprover implements Approver {
  readonly asked: { edit: ProposedEdit; conversationId: string }[] = [];
  readonly askedTools: ToolApprovalRequest[] = [];
  answers: ApprovalDecision[] = [];
  /** When set, approve() waits for it instead of the script (for cancellation tests). */
  hold: Promise<ApprovalDecision> | undefined;
  withdrawn = 0;
  async approve(edit: ProposedEdit, conversationId: string, signal?: AbortSignal): Promise<ApprovalDecision> {
    this.asked.push({ edit, conversationId });
    signal?.addEventListener('abort', () => this.withdrawn++, { once: true });
    if (this.hold) return this.hold;
    return this.answers.shift() ?? 'reject';
  }
  async approveTool(request: ToolApprovalRequest): Promise<ApprovalDecision> {
    this.askedTools.push(request);
    return this.answers.shift() ?? 'reject';
  }
}

export interface Harness {
  runner: WorkspaceToolRunner;
  port: NodePort;
  approver: ScriptedApprover;
  settings: ToolSettings;
  statuses: { id: string; status: ToolStatus; detail?: string; protectedReason?: string }[];
  run(calls: (Omit<ToolCall, 'id'> & { id?: string })[], opts?: { conversationId?: string; signal?: AbortSignal }): Promise<ToolResult[]>;
  one(name: string, input: unknown, opts?: { conversationId?: string }): Promise<ToolResult>;
}

let seq = 0;
export function harness(port: NodePort, settings: Partial<ToolSettings> = {}, trusted = true): Harness {
  const approver = new ScriptedApprover();
  const h: Harness = {
    port,
    approver,
    settings: { autoApproveReadOnly: true, maxOutputBytes: 50_000, ...settings },
    statuses: [],
    runner: undefined!,
    run: (calls, opts = {}) => {
      const ctx: ToolRunContext = {
        signal: opts.signal ?? new AbortController().signal,
        conversationId: opts.conversationId ?? 'conv-1',
        onStatus: (id, status, detail, protectedReason) => h.statuses.push({ id, status, detail, ...(protectedReason === undefined ? {} : { protectedReason }) }),
      };
      return h.runner.run(calls.map((c) => ({ id: c.id ?? `toolu_${++seq}`, name: c.name, input: c.input })), ctx);
    },
    one: async (name, input, opts) => (await h.run([{ name, input }], opts))[0],
  };
  h.runner = new WorkspaceToolRunner({ workspace: port, approver, settings: () => h.settings, trusted });
  return h;
}
