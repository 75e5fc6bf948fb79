// Reading files the repository provides (instruction files, prompt files) through the workspace port, confined by
// real path: a symbolic link that leads out of the workspace folder is refused, whatever its name. Sizes are bounded
// before anything is read, binary files are refused, and text is cut at a character boundary.
import { Confinement } from '../tools/confine';
import { ToolError } from '../tools/paths';
import { decodeUtf8, looksBinary, truncateUtf8 } from '../tools/text';
import type { RootFolder, WorkspacePort } from '../tools/workspace';

/** A file bigger than this is never read at all (a 50 MB AGENTS.md is skipped, not loaded and cut). */
export const MAX_READ_BYTES = 1024 * 1024;

export type RepoRead =
  | { ok: true; text: string; real: string; display: string; size: number; truncated: boolean }
  | { ok: false; missing: true }
  | { ok: false; missing: false; reason: string; display: string };

function relPath(folder: RootFolder, folders: readonly RootFolder[], rel: string): string {
  return folders.length > 1 ? `${folder.name}/${rel}` : rel;
}

export class RepoFiles {
  constructor(readonly port: WorkspacePort) {}

  folders(): readonly RootFolder[] {
    return this.port.folders();
  }

  /** `rel` below `folder` (forward slashes). Keeps the first `keepBytes` bytes of text. */
  async read(folder: RootFolder, rel: string, keepBytes: number, confine = new Confinement(this.port)): Promise<RepoRead> {
    const folders = this.port.folders();
    const name = relPath(folder, folders, rel);
    let r;
    try {
      r = await confine.resolve(name, { mustExist: false });
    } catch (e) {
      if (e instanceof ToolError) return { ok: false, missing: false, reason: e.message, display: name };
      throw e;
    }
    if (!r.exists) return { ok: false, missing: true };
    const st = await this.port.stat(r.real);
    if (!st || st.type !== 'file') return { ok: false, missing: false, reason: 'not a regular file', display: r.display };
    if (st.size > MAX_READ_BYTES) return { ok: false, missing: false, reason: `too large (${(st.size / 1024 / 1024).toFixed(1)} MB; files over ${MAX_READ_BYTES / 1024 / 1024} MB are not read)`, display: r.display };
    let bytes: Uint8Array;
    try {
      bytes = await this.port.readFile(r.real);
    } catch (e) {
      return { ok: false, missing: false, reason: `could not be read (${e instanceof Error ? e.message : String(e)})`, display: r.display };
    }
    if (looksBinary(bytes)) return { ok: false, missing: false, reason: 'a binary file', display: r.display };
    const full = decodeUtf8(bytes);
    const text = truncateUtf8(full, keepBytes);
    return { ok: true, text, real: r.real, display: r.display, size: bytes.length, truncated: text.length < full.length };
  }

  /** True when `rel` below `folder` is a regular file inside the folder (by real path). */
  async exists(folder: RootFolder, rel: string, confine = new Confinement(this.port)): Promise<boolean> {
    try {
      const r = await confine.resolve(relPath(folder, this.port.folders(), rel), { mustExist: true });
      return (await this.port.stat(r.real))?.type === 'file';
    } catch {
      return false;
    }
  }

  /** Entries of the directory `rel` below `folder` when it exists inside the folder (symlinked dirs are not entered). */
  async list(folder: RootFolder, rel: string, confine = new Confinement(this.port)): Promise<{ name: string; type: string }[]> {
    try {
      const r = await confine.resolve(relPath(folder, this.port.folders(), rel), { mustExist: true });
      const st = await this.port.stat(r.real);
      if (!st || st.type !== 'directory') return [];
      return await this.port.readDir(r.real);
    } catch {
      return [];
    }
  }
}
