// The names of the files in an append log's folder (see appendLog.ts) and small helpers to read them.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

export const LIVE = 'live.jsonl';
export const SEALED = /^sealed-(\d{13})-[0-9a-f]{8}\.jsonl$/;
export const LEGACY = /^legacy-(\d{13})-[0-9a-f]{8}\.json$/;
/** The whole folded state in one file (a log without parts, and older versions of a log with parts). */
export const SNAPSHOT = /^snapshot-(\d{12})\.json$/;
/** A log with parts: which part file holds each part, and how far the sealed files are folded. */
export const ROLLUP = /^rollup-(\d{12})\.json$/;
/** One part of the folded state, written for the rollup `seq` (or a fold that lost the race for it). */
export const PART = /^part-([0-9A-Za-z][0-9A-Za-z-]{0,39})-(\d{12})-[0-9a-f]{8}\.json$/;
/** What a part key may be: it becomes part of a file name. */
export const PART_KEY = /^[0-9A-Za-z][0-9A-Za-z-]{0,39}$/;
export const TEMP = /\.tmp$/;

export const stamp = (ms: number) => `${String(ms).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
export const code = (e: unknown) => (e as NodeJS.ErrnoException).code;
export const pad12 = (n: number) => String(n).padStart(12, '0');
/** The sequence number in a snapshot, rollup or part name (-1 for another name). */
export const seqOf = (name: string, re: RegExp = SNAPSHOT) => {
  const m = re.exec(name);
  return m ? Number(m[m.length - 1]) : -1;
};

export async function readBuffer(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** Complete lines of `buf` after byte `from`: their text and where they end. */
export function completeLines(buf: Buffer, from: number): { text: string; end: number } {
  const last = buf.lastIndexOf(0x0a);
  if (last < from) return { text: '', end: from };
  return { text: buf.toString('utf8', from, last + 1), end: last + 1 };
}
