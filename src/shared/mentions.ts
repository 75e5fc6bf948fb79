// The text grammar of @-mentions and /commands in a chat message. Plain functions on strings, shared by the
// webview (pills, completion) and the host (resolving mentions to context), so both read a message the same way.
//
//   @selection  @problems  @terminal  @git                 (no value)
//   @file:src/a.ts  @folder:src/  @symbol:parseArgs        (a value without spaces)
//   @file:"my folder/a b.ts"                               (a quoted value: spaces allowed, no quote or newline)
//   /explain the rest            only as the first word of the message; "//x" and "/usr/bin" are not commands
//
// Mentions are recognised only at the start of the text or after a space or an opening bracket or quote (so an
// e-mail address is not a mention), and never inside code (fenced blocks, also unterminated ones, and inline
// code spans), which is where markdown shows text literally. Every scan is linear in the length of the text.

export const VALUE_KINDS = ['file', 'folder', 'symbol'] as const;
export const BARE_KINDS = ['selection', 'problems', 'terminal', 'git'] as const;
export type MentionKind = (typeof VALUE_KINDS)[number] | (typeof BARE_KINDS)[number];

export interface Mention {
  kind: MentionKind;
  /** The path or symbol name (unquoted); absent for the bare kinds. */
  value?: string;
  /** [start, end) of the whole token in the text, '@' included. */
  start: number;
  end: number;
}

/** At most this many mentions are read from one message (the rest stay plain text). */
export const MAX_MENTIONS = 50;
/** Longest mention value (a path or a symbol name). */
export const MAX_MENTION_VALUE = 1024;

const KIND_RE = /^@(file|folder|symbol|selection|problems|terminal|git)\b/;
const BARE = new Set<string>(BARE_KINDS);
/** Characters that may follow a bare kind (then a space or the end) without joining it, as in "see @git." */
const TRAILING = '.,;:!?)]}"\'\u201d\u2019';
/** Trailing punctuation that ends a sentence rather than a path ("look at @file:a.ts."). */
const STRIP_TAIL = /[.,;:!?)\]}>'"]+$/;
const OPENERS = new Set([' ', '\t', '\n', '\r', '(', '[', '{', '"', "'", '\u201c', '\u2018']);

/** [start, end) ranges of code in markdown text: fenced blocks (an unterminated one runs to the end) and code spans. */
export function codeRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  let pos = 0;
  let proseStart = 0;
  let fence: { char: string; len: number; start: number } | undefined;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl;
    const line = text.slice(pos, lineEnd);
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (m && m[1][0] === fence.char && m[1].length >= fence.len && line.slice(m[0].length).trim() === '') {
        out.push([fence.start, lineEnd]);
        fence = undefined;
        proseStart = lineEnd + 1;
      }
    } else if (m && !(m[1][0] === '`' && line.slice(m[0].length).includes('`'))) {
      spans(text, proseStart, pos, out);
      fence = { char: m[1][0], len: m[1].length, start: pos };
    }
    if (nl < 0) break;
    pos = nl + 1;
  }
  if (fence) out.push([fence.start, text.length]);
  else spans(text, proseStart, text.length, out);
  return out.sort((a, b) => a[0] - b[0]);
}

/** Inline code spans in text[from, to): a run of n backticks up to the next run of exactly n (CommonMark). */
function spans(text: string, from: number, to: number, out: [number, number][]): void {
  const runs: { at: number; len: number }[] = [];
  for (let i = from; i < to; ) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (j < to && text[j] === '`') j++;
    runs.push({ at: i, len: j - i });
    i = j;
  }
  // For each length, the runs of that length in order: a run closes at the next one of the same length. Runs
  // consumed inside an earlier span are skipped, so the whole pass is linear in the number of runs.
  const byLen = new Map<number, number[]>();
  runs.forEach((r, k) => {
    const list = byLen.get(r.len) ?? [];
    list.push(k);
    byLen.set(r.len, list);
  });
  const cursor = new Map<number, number>();
  let k = 0;
  while (k < runs.length) {
    const r = runs[k];
    const list = byLen.get(r.len)!;
    let c = cursor.get(r.len) ?? 0;
    while (c < list.length && list[c] <= k) c++;
    cursor.set(r.len, c);
    if (c >= list.length) {
      k++;
      continue;
    }
    const close = runs[list[c]];
    out.push([r.at, close.at + close.len]);
    k = list[c] + 1;
  }
}

function inRanges(ranges: [number, number][], at: number, from: { i: number }): boolean {
  while (from.i < ranges.length && ranges[from.i][1] <= at) from.i++;
  return from.i < ranges.length && ranges[from.i][0] <= at;
}

/** The mentions in `text`, in order, at most MAX_MENTIONS. */
export function parseMentions(text: string): Mention[] {
  const out: Mention[] = [];
  if (!text.includes('@')) return out;
  const code = codeRanges(text);
  const cursor = { i: 0 };
  let from = 0;
  for (;;) {
    const at = text.indexOf('@', from);
    if (at < 0 || out.length >= MAX_MENTIONS) break;
    from = at + 1;
    if (at > 0 && !OPENERS.has(text[at - 1])) continue;
    if (inRanges(code, at, cursor)) continue;
    const m = mentionAt(text, at);
    if (m) {
      out.push(m);
      from = m.end;
    }
  }
  return out;
}

/** The mention token starting at `at` (text[at] === '@'), if it is one. */
export function mentionAt(text: string, at: number): Mention | undefined {
  const head = KIND_RE.exec(text.slice(at, at + 12));
  if (!head) return undefined;
  const kind = head[1] as MentionKind;
  const after = at + head[0].length;
  if (BARE.has(kind)) {
    let j = after;
    while (j < text.length && j - after < 8 && TRAILING.includes(text[j])) j++;
    return j === text.length || /\s/.test(text[j]) ? { kind, start: at, end: after } : undefined;
  }
  if (text[after] !== ':') return undefined;
  const v = after + 1;
  if (text[v] === '"') {
    const close = text.indexOf('"', v + 1);
    const nl = text.indexOf('\n', v + 1);
    if (close < 0 || (nl >= 0 && nl < close) || close === v + 1 || close - v - 1 > MAX_MENTION_VALUE) return undefined;
    return { kind, value: text.slice(v + 1, close), start: at, end: close + 1 };
  }
  let e = v;
  while (e < text.length && e - v <= MAX_MENTION_VALUE && !/[\s"`]/.test(text[e])) e++;
  const raw = text.slice(v, e).replace(STRIP_TAIL, '');
  if (!raw || raw.length > MAX_MENTION_VALUE) return undefined;
  return { kind, value: raw, start: at, end: v + raw.length };
}

/** The token for a mention, quoting the value when it needs it; undefined when it cannot be written. */
export function formatMention(kind: MentionKind, value?: string): string | undefined {
  if (BARE.has(kind)) return `@${kind}`;
  if (!value || value.length > MAX_MENTION_VALUE || /["\n\r]/.test(value)) return undefined;
  const bare = !/[\s`]/.test(value) && !STRIP_TAIL.test(value);
  return bare ? `@${kind}:${value}` : `@${kind}:"${value}"`;
}

export interface SlashCommand {
  name: string;
  /** The text after the name, trimmed. */
  args: string;
}

const SLASH_RE = /^\s*\/([a-zA-Z][\w.-]{0,63})(?=\s|$)/;

/** "/name args" when the message starts with a command word, else undefined. */
export function parseSlash(text: string): SlashCommand | undefined {
  const m = SLASH_RE.exec(text);
  if (!m) return undefined;
  return { name: m[1], args: text.slice(m[0].length).trim() };
}

/** A name a command may have (a prompt file whose name is not one of these is not offered). */
export function isCommandName(name: string): boolean {
  return /^[a-zA-Z][\w.-]{0,63}$/.test(name);
}
