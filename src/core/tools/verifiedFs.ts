// Closes the window between the confinement check and the file access. Confinement (confine.ts) resolves a path to
// its canonical form and checks it lies in the workspace; if a folder on the way is then swapped for a symlink,
// opening that canonical path by name would land outside. So the ports open it by descriptor (O_NOFOLLOW for the
// last component, O_NONBLOCK so a FIFO cannot hang the open) and verify, on the open descriptor, that it is still
// the file at that canonical path:
//   - Linux: the kernel's own name for the descriptor, /proc/self/fd/<fd>, must be the canonical path;
//   - elsewhere (or without /proc): realpath of the name must still be itself, and fstat of the descriptor must be
//     the same file (dev + inode) as stat of that path. A swap back after the open leaves a different inode.
// Node has no openat(), so a write by name can only be checked just before and just after (see checkedWrite).
// Paths here are the platform's own (fsPath), not the POSIX-style paths of the ports.
import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file at a checked path is no longer the one that was checked (a folder on the way became a symlink…). */
export class PathChangedError extends Error {
  override name = 'PathChangedError';
  /** True when the write had already happened when the change was found. */
  readonly afterWrite: boolean;
  constructor(message: string, opts: { afterWrite?: boolean } = {}) {
    super(message);
    this.afterWrite = opts.afterWrite ?? false;
  }
}

export interface VerifyOptions {
  /** Use /proc/self/fd on Linux (default: true there); false forces the portable inode comparison. */
  procFd?: boolean;
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const foldCase = process.platform === 'win32' || process.platform === 'darwin';

function samePath(a: string, b: string): boolean {
  return foldCase ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function changed(path: string, why: string): PathChangedError {
  return new PathChangedError(`${path} changed while it was being opened (${why}); it was not used. Try again.`);
}

/** Opens `canonical` (a path that was realpath-checked) and verifies the descriptor is that file. */
export async function openVerified(canonical: string, flags: number, opts: VerifyOptions = {}): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await fs.open(canonical, flags | NOFOLLOW | NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw changed(canonical, 'it is now a symbolic link');
    throw e;
  }
  try {
    await verifyHandle(fh, canonical, opts);
    return fh;
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw e;
  }
}

async function verifyHandle(fh: FileHandle, canonical: string, opts: VerifyOptions): Promise<void> {
  if ((opts.procFd ?? process.platform === 'linux') && process.platform === 'linux') {
    let name: string | undefined;
    try {
      name = await fs.readlink(`/proc/self/fd/${fh.fd}`);
    } catch {
      name = undefined; // no /proc (a sandbox): fall back to the inode check
    }
    if (name !== undefined) {
      if (!samePath(name, canonical)) throw changed(canonical, 'it now resolves to another location');
      return;
    }
  }
  const real = await fs.realpath(canonical).catch(() => undefined);
  if (real === undefined || !samePath(real, canonical)) throw changed(canonical, 'it now resolves to another location');
  const [opened, named] = await Promise.all([fh.stat({ bigint: true }), fs.stat(canonical, { bigint: true })]);
  if (opened.dev !== named.dev || opened.ino !== named.ino) throw changed(canonical, 'another file is there now');
}

/** Reads a checked regular file through a verified descriptor, refusing anything over `maxBytes`. */
export async function readVerified(canonical: string, maxBytes: number, opts: VerifyOptions = {}): Promise<Uint8Array> {
  const fh = await openVerified(canonical, constants.O_RDONLY, opts);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new PathChangedError(`${canonical} is no longer a regular file; it was not read.`);
    if (st.size > maxBytes) throw new PathChangedError(`${canonical} grew past the size limit while it was being read.`);
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < buf.length) {
      const { bytesRead } = await fh.read(buf, at, buf.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return buf.subarray(0, at);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Throws PathChangedError unless `canonical` still opens, by descriptor, as the file at that canonical path. */
export async function assertStillAt(canonical: string, opts: VerifyOptions = {}): Promise<void> {
  const fh = await openVerified(canonical, constants.O_RDONLY, opts);
  await fh.close();
}

/**
 * A write by name (the host writes through VS Code, which takes a URI) between two checks: before it, the file
 * (or, for a new file, its nearest existing folder) must still be at its canonical path; after it, the written file
 * must be. Only the two ends are checked: a swap in the instant between a check and the write is not caught
 * before the write, only reported after it.
 */
export async function checkedWrite(target: string, kind: 'modify' | 'create', write: () => Promise<void>, opts: VerifyOptions = {}): Promise<void> {
  if (kind === 'modify') await assertStillAt(target, opts);
  else await assertFolderStillAt(target);
  await write();
  try {
    await assertStillAt(target, opts);
  } catch (e) {
    if (e instanceof PathChangedError) {
      throw new PathChangedError(`the change was written, but ${target} no longer resolves to where it was checked (a folder on the way changed during the write). Check that file and what it points to.`, { afterWrite: true });
    }
    throw e;
  }
}

/** A new file: nothing may be at its path yet, and its nearest existing folder must still be its own canonical path. */
async function assertFolderStillAt(target: string): Promise<void> {
  if (await exists(target)) throw changed(target, 'something is there now');
  for (let dir = dirname(target); ; dir = dirname(dir)) {
    const real = await fs.realpath(dir).catch(() => undefined);
    if (real !== undefined) {
      if (!samePath(real, dir) || !(await fs.lstat(dir)).isDirectory()) throw changed(dir, 'it now resolves to another location');
      return;
    }
    if (await exists(dir)) throw changed(dir, 'it is now a broken symbolic link');
    if (dirname(dir) === dir) return;
  }
}

async function exists(path: string): Promise<boolean> {
  return fs.lstat(path).then(
    () => true,
    () => false,
  );
}
