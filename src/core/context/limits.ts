// Limits and cheap measurements for attached context: the token estimate, the binary sniff, text decoding.

export interface ContextLimits {
  /** Files larger than this are skipped (claudeChat.context.maxFileKB). */
  maxFileBytes: number;
  /** At most this many files from one "Add to context" (a folder is cut off there). */
  maxFiles: number;
  /** At most this many directory entries are looked at while expanding folders (bounds the walk itself). */
  maxEntries: number;
}

export const DEFAULT_MAX_FILE_KB = 256;
export const DEFAULT_CONFIRM_TOKENS = 50_000;

export const DEFAULT_LIMITS: ContextLimits = { maxFileBytes: DEFAULT_MAX_FILE_KB * 1024, maxFiles: 200, maxEntries: 20_000 };

/** How many leading bytes the binary sniff looks at (as git does). */
export const SNIFF_BYTES = 8000;

/** A file is treated as binary when a NUL byte appears in its first 8000 bytes. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/** UTF-8 text of a file (TextDecoder drops a leading byte-order mark). */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

export function formatTokenCount(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : n.toLocaleString('en-US');
}
