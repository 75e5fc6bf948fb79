// Text helpers for tool output: binary detection, UTF-8 decoding, and size caps that never split a character.

const SAMPLE_BYTES = 8192;

/** A NUL byte in the first 8 KB, or mostly undecodable bytes, means binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  if (sample.includes(0)) return true;
  if (sample.length === 0) return false;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(sample);
  let bad = 0;
  for (const ch of text) if (ch === '\ufffd') bad++;
  // A cut multi-byte character at the sample's end gives at most one replacement character.
  return bad > 1 && bad / text.length > 0.02;
}

export function decodeUtf8(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` that fits in `maxBytes` UTF-8 bytes, cut at a character boundary. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  const buf = Buffer.from(text, 'utf8');
  let end = Math.max(0, maxBytes);
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--; // back off continuation bytes
  return buf.subarray(0, end).toString('utf8');
}

/** Caps a whole tool result, with a note saying how much was left out. */
export function capOutput(text: string, maxBytes: number): string {
  const total = utf8Length(text);
  if (total <= maxBytes) return text;
  const note = (shown: number) => `\n[output truncated: ${shown} of ${total} bytes shown; narrow the request to see the rest]`;
  const room = Math.max(0, maxBytes - utf8Length(note(total)));
  const head = truncateUtf8(text, room);
  return head + note(utf8Length(head));
}

export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** "     7\tcode", the numbering read_file documents. */
export function numbered(line: string, n: number): string {
  return `${String(n).padStart(6)}\t${line}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
