// Crash-safe JSON files: write a temp file in the same folder, then rename over the target.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await fs.mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, JSON.stringify(value), 'utf8');
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

export type ReadResult<T> = { kind: 'ok'; value: T } | { kind: 'missing' } | { kind: 'corrupt'; movedTo: string; reason: string };

/** Reads a JSON file; a file that does not parse (or fails `check`) is moved aside, never deleted. */
export async function readJsonOrQuarantine<T>(file: string, check: (v: unknown) => v is T): Promise<ReadResult<T>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw e;
  }
  let reason: string;
  try {
    const v: unknown = JSON.parse(text);
    if (check(v)) return { kind: 'ok', value: v };
    reason = 'unexpected content';
  } catch (e) {
    reason = (e as Error).message;
  }
  const movedTo = `${file}.corrupt-${Date.now()}`;
  await fs.rename(file, movedTo);
  return { kind: 'corrupt', movedTo, reason };
}
