// custom_id for each file of a batch: readable (a slug of the workspace-relative path, its tail kept so the
// file name shows) plus a short hash of the whole path, so different paths that slug alike stay distinct.
// The API's rule is ^[a-zA-Z0-9_-]{1,64}$ and unique within a batch; a (2^-32) hash collision is resolved by
// re-hashing with a counter.
import { createHash } from 'node:crypto';

export const CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const CUSTOM_ID_MAX = 64;
const HASH_CHARS = 8;

export type HashFn = (text: string) => string;

export const sha256Hex: HashFn = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** "src/My File.ts" -> "src_My_File_ts": every run of characters outside [a-zA-Z0-9_-] becomes one "_". */
export function slugOf(path: string): string {
  return path.replace(/[^a-zA-Z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
}

/** One custom_id for `path` (attempt 0 is the plain hash; later attempts salt it). */
export function customIdFor(path: string, attempt = 0, hash: HashFn = sha256Hex): string {
  let h = hash(attempt === 0 ? path : `${path}\u0000${attempt}`).replace(/[^a-zA-Z0-9]/g, '').slice(0, HASH_CHARS);
  if (attempt > 0) {
    // The counter ends the hash part, so each attempt for one path is a different id even if `hash` is poor.
    const n = attempt.toString(36);
    h = h.slice(0, Math.max(0, HASH_CHARS - n.length)) + n;
  }
  h ||= 'x';
  const room = CUSTOM_ID_MAX - h.length - 1;
  const slug = slugOf(path).slice(-room).replace(/^[_-]+/, '');
  return slug ? `${slug}-${h}` : h;
}

/**
 * custom_id -> path for the given paths, in their order. A path given twice gets one id. Ids are unique
 * and match CUSTOM_ID_PATTERN whatever the paths (long, non-ASCII, slugging alike, colliding hashes).
 */
export function assignCustomIds(paths: readonly string[], hash: HashFn = sha256Hex): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const p of paths) {
    if (seen.has(p)) continue;
    seen.add(p);
    let attempt = 0;
    let id = customIdFor(p, attempt, hash);
    while (out.has(id)) id = customIdFor(p, ++attempt, hash);
    out.set(id, p);
  }
  return out;
}
