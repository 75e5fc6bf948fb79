// Confinement: every path a tool touches is resolved with realpath and must stay inside a workspace folder.
// Reads always go to the canonical path that was checked, never to the name the model gave.
import * as posix from 'node:path/posix';
import { displayPath, isInside, joinLexical, LexicalPath, parsePath, ToolError } from './paths';
import { decodeUtf8, looksBinary } from './text';
import { PathChangedError } from './verifiedFs';
import type { RootFolder, WorkspacePort } from './workspace';

/** Files larger than this are never read whole (search_text uses a smaller limit). */
export const MAX_READ_BYTES = 10 * 1024 * 1024;

export interface Resolved {
  folder: RootFolder;
  /** Workspace-relative path for messages. */
  display: string;
  /** Canonical absolute path, inside `folder`'s canonical root. For a missing path: its would-be canonical path. */
  real: string;
  /** The absolute path as named (before symlinks), for host lookups keyed by name (diagnostics). */
  lexical: string;
  /** Canonical path of the workspace folder. */
  rootReal: string;
  exists: boolean;
}

/** Create one per round of tool calls: it remembers the folders' canonical paths for that round. */
export class Confinement {
  private readonly roots = new Map<string, Promise<string>>();

  constructor(private readonly port: WorkspacePort) {}

  folders(): readonly RootFolder[] {
    return this.port.folders();
  }

  /** Resolves a path from the model; `mustExist: false` allows a new file below an existing, confined directory. */
  async resolve(input: unknown, opts: { mustExist: boolean; field?: string }): Promise<Resolved> {
    const folders = this.port.folders();
    const parsed = parsePath(input, folders, opts.field);
    const at = parsed.kind === 'placed' ? parsed.at : await this.place(parsed.segments, folders, String(input), opts.mustExist);
    const display = displayPath(at, folders);
    const rootReal = await this.rootReal(at.folder);
    const { real, exists } = await this.canonical(at, display);
    if (!isInside(real, rootReal)) throw new ToolError(`Refused path "${display}": it resolves (through a symbolic link) to a location outside the workspace.`);
    if (!exists && opts.mustExist) throw new ToolError(`"${display}" does not exist. Use list_directory or find_files to see what is there.`);
    return { folder: at.folder, display, real, lexical: joinLexical(at), rootReal, exists };
  }

  /** For a path from the host (search hits, diagnostics, editors): confined display info, or undefined if outside. */
  async confineHostPath(path: string): Promise<Resolved | undefined> {
    const folders = this.port.folders();
    for (const folder of folders) {
      if (!isInside(posix.normalize(path), posix.normalize(folder.path))) continue;
      try {
        const segments = path.slice(posix.normalize(folder.path).replace(/\/+$/, '').length).split('/').filter((s) => s !== '');
        const at = { folder, segments };
        const display = displayPath(at, folders);
        const { real, exists } = await this.canonical(at, display);
        const rootReal = await this.rootReal(folder);
        if (isInside(real, rootReal)) return { folder, display, real, lexical: joinLexical(at), rootReal, exists };
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  /** Reads a confined file as text; refuses directories, binary and oversized files. */
  async readText(r: Resolved, maxBytes = MAX_READ_BYTES): Promise<string> {
    const bytes = await this.readBytes(r, maxBytes);
    if (looksBinary(bytes)) throw new ToolError(`"${r.display}" is a binary file; only text files can be read.`);
    return decodeUtf8(bytes);
  }

  /** Reads a confined regular file's bytes; refuses directories, other entries and files over `maxBytes`. */
  async readBytes(r: Resolved, maxBytes = MAX_READ_BYTES): Promise<Uint8Array> {
    const st = await this.port.stat(r.real);
    if (!st) throw new ToolError(`"${r.display}" does not exist.`);
    if (st.type === 'directory') throw new ToolError(`"${r.display}" is a directory; use list_directory.`);
    if (st.type !== 'file') throw new ToolError(`"${r.display}" is not a regular file.`);
    if (st.size > maxBytes) {
      throw new ToolError(`"${r.display}" is too large (${(st.size / 1024 / 1024).toFixed(1)} MB, limit ${(maxBytes / 1024 / 1024).toFixed(0)} MB); use search_text to find the part you need.`);
    }
    try {
      return await this.port.readFile(r.real);
    } catch (e) {
      if (e instanceof PathChangedError) throw new ToolError(changedMessage(r.display, 'read'));
      throw e;
    }
  }

  private async rootReal(folder: RootFolder): Promise<string> {
    let p = this.roots.get(folder.path);
    if (!p) this.roots.set(folder.path, (p = this.port.realpath(folder.path)));
    try {
      return await p;
    } catch {
      throw new ToolError(`The workspace folder "${folder.name}" cannot be read.`);
    }
  }

  /** realpath of the deepest existing ancestor plus the missing tail; refuses dangling symlinks in the tail. */
  private async canonical(at: LexicalPath, display: string): Promise<{ real: string; exists: boolean }> {
    const tail: string[] = [];
    let segments = at.segments;
    for (;;) {
      const lexical = joinLexical({ folder: at.folder, segments });
      try {
        const real = await this.port.realpath(lexical);
        return { real: tail.length ? posix.join(real, ...tail) : real, exists: tail.length === 0 };
      } catch {
        if (segments.length === 0) throw new ToolError(`The workspace folder "${at.folder.name}" cannot be read.`);
        // realpath failed: if something is there all the same, it is a dangling symlink (or unreadable).
        if ((await this.port.stat(lexical)) !== undefined) {
          throw new ToolError(`Refused path "${display}": "${segments.join('/')}" is a broken symbolic link or cannot be resolved.`);
        }
        tail.unshift(segments[segments.length - 1]);
        segments = segments.slice(0, -1);
      }
    }
  }

  /** Multi-root without a folder prefix: the one folder where the path exists, else a clear refusal. */
  private async place(segments: string[], folders: readonly RootFolder[], input: string, mustExist: boolean): Promise<LexicalPath> {
    const names = folders.map((f) => `"${f.name}"`).join(', ');
    if (segments.length === 0) throw new ToolError(`This workspace has several folders (${names}); start the path with one of their names.`);
    const hits: LexicalPath[] = [];
    for (const folder of folders) {
      const at = { folder, segments };
      if ((await this.port.stat(joinLexical(at))) !== undefined) hits.push(at);
    }
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) {
      throw new ToolError(`"${input}" exists in several workspace folders (${hits.map((h) => `"${h.folder.name}"`).join(', ')}); start the path with the folder name.`);
    }
    if (mustExist) throw new ToolError(`"${input}" does not exist in any workspace folder. In this multi-root workspace, start paths with a folder name: ${names}.`);
    throw new ToolError(`In this multi-root workspace, start the path of a new file with a folder name: ${names}.`);
  }
}

/** For a path that failed verifiedFs' check after it passed confinement. */
export function changedMessage(display: string, what: 'read' | 'written'): string {
  return `Refused "${display}": it changed between the workspace check and the access (a folder on the way or the file itself was replaced, e.g. by a symbolic link), so it was not ${what}. Look at it and try again.`;
}
