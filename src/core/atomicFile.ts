// Crash-safe files: write a temp file in the same folder, fsync it, rename it over the target, then fsync the
// folder (where the platform allows) so the rename itself survives a power cut. Reads validate with a valibot
// schema; a file that does not parse or has the wrong shape is moved aside (`<name>.corrupt-<time>-<rand>`),
// never deleted, and never mistaken for a file another window wrote in the meantime.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { safeParse, summarize, type GenericSchema } from 'valibot';

/** Flushes a folder's entries (a rename, a new name) to disk. Windows cannot open a folder for this: skipped. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(dir, 'r');
    await fh.sync();
  } catch (e) {
    // Some file systems refuse to fsync a folder; the data itself is already synced.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR' && code !== 'ENOTSUP' && code !== 'EBADF') throw e;
  } finally {
    await fh?.close();
  }
}

/** A unique name next to `file` for a temp file. */
export const tempName = (file: string) => `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;

/** Writes `tmp` and flushes it to disk. */
export async function writeSynced(tmp: string, text: string, flag = 'w'): Promise<void> {
  const fh = await fs.open(tmp, flag);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = tempName(file);
  try {
    await writeSynced(tmp, text);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dir);
}

export function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(value));
}

/** Where a bad file goes: next to it, so it is kept for inspection and never read again. */
export const quarantineName = (file: string) => `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;

export type ReadResult<T> = { kind: 'ok'; value: T } | { kind: 'missing' } | { kind: 'corrupt'; movedTo: string; reason: string };

/** Parses and validates JSON text; the reason says what was wrong, in a few words. */
export function parseJson<T>(text: string, schema: GenericSchema<unknown, T>): { ok: true; value: T } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const r = safeParse(schema, data);
  return r.success ? { ok: true, value: r.output } : { ok: false, reason: `unexpected content: ${summarize(r.issues).split('\n')[0].replace(/^× /, '')}` };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/**
 * Reads a JSON file and validates it with `schema`. A file that fails is moved aside. If another window
 * replaced the file between the read and the move, the newer file is checked instead and put back when valid.
 */
export async function readJsonOrQuarantine<T>(file: string, schema: GenericSchema<unknown, T>): Promise<ReadResult<T>> {
  const text = await readText(file);
  if (text === undefined) return { kind: 'missing' };
  const first = parseJson(text, schema);
  if (first.ok) return { kind: 'ok', value: first.value };
  const movedTo = quarantineName(file);
  try {
    await fs.rename(file, movedTo);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' }; // another window moved it aside
    throw e;
  }
  const moved = await readText(movedTo);
  if (moved !== undefined && moved !== text) {
    const again = parseJson(moved, schema);
    if (again.ok) {
      // A good file written after our read: put it back unless an even newer one is there already.
      try {
        await fs.link(movedTo, file);
        await fs.rm(movedTo, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') await fs.rm(movedTo, { force: true });
        else await fs.rename(movedTo, file); // no hard links here: last writer wins
      }
      return { kind: 'ok', value: again.value };
    }
    return { kind: 'corrupt', movedTo, reason: again.reason };
  }
  return { kind: 'corrupt', movedTo, reason: first.reason };
}
