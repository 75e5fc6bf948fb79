// Which new lines certainly continue the open block, so the splitter (a block parse of the whole open tail) need not
// run for them. Without this, a long open paragraph, table, list or blockquote was parsed again for every new line:
// quadratic in the size of the block.
//
// The answer is only ever "certainly continues" or "ask the parser": a line this file is not sure about runs the
// full split, and finish() always does. So a mistake here could only delay the freezing of a block, never change
// what is rendered once it is frozen. Every rule is the conservative half of markdown-it's own (CommonMark) rule.
import type MarkdownIt from 'markdown-it';

type Token = MarkdownIt.Token;

export type OpenKind = 'paragraph' | 'table' | 'list' | 'blockquote';

/** What the splitter found out about the open (last) block of the tail. */
export interface OpenBlockInfo {
  kind: OpenKind;
  /** Lists: the bullet character, or the delimiter of an ordered list ('.' or ')'). */
  marker?: string;
  ordered?: boolean;
  /** Lists: indentation of the list's item markers. */
  markerIndent?: number;
  /** Lists: content indentation of the last item seen. */
  contentIndent?: number;
  /** Lists: the last item has no content yet (it may begin with one blank line, not more). */
  emptyItem?: boolean;
  /** Tables: the first line of the table (its header row) in the tail. */
  firstLine: number;
}

const ITEM = /^( {0,3})([-+*]|\d{1,9}[.)])([ \t]+|$)/;
const HR = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
/** Starts no block when it follows a paragraph line (see paragraphContinues). */
const PLAIN_START = /^ {0,3}(?:[\p{L}"'(«!?$%&/@,;.[]|\d+(?![.)\d])|\d+[.)](?=\S)|[*_]{1,2}(?=[\p{L}\p{N}`[(])|`(?!``))/u;

function indentOf(line: string): number {
  let n = 0;
  for (const c of line) {
    if (c === ' ') n += 1;
    else if (c === '\t') n += 4 - (n % 4);
    else break;
  }
  return n;
}

const isBlank = (line: string) => /^[ \t]*$/.test(line);

/** The item's content column: marker column + marker + 1..4 spaces (more than 4: + 1, the rest is indented code). */
function itemContent(m: RegExpExecArray): number {
  const spaces = m[3].length === 0 ? 1 : indentOf(m[3]);
  return m[1].length + m[2].length + (spaces > 4 ? 1 : spaces);
}

/** Describes the open block from the block tokens of the tail; undefined for kinds with no fast path. */
export function describeOpen(tokens: Token[], lines: (i: number) => string): OpenBlockInfo | undefined {
  const top = tokens.filter((t) => t.level === 0 && t.nesting !== -1 && t.map !== null);
  const last = top[top.length - 1];
  if (!last?.map) return undefined;
  const firstLine = last.map[0];
  switch (last.type) {
    case 'paragraph_open':
      return { kind: 'paragraph', firstLine };
    case 'table_open':
      return { kind: 'table', firstLine };
    case 'blockquote_open':
      return { kind: 'blockquote', firstLine };
    case 'bullet_list_open':
    case 'ordered_list_open': {
      const items = tokens.filter((t) => t.type === 'list_item_open' && t.level === 1 && t.map !== null && t.map[0] >= firstLine);
      const lastItem = items[items.length - 1];
      const m = lastItem?.map ? ITEM.exec(lines(lastItem.map[0])) : null;
      if (!m) return undefined;
      const emptyItem = lastItem.map![1] - lastItem.map![0] <= 1 && !lines(lastItem.map![0]).slice(m[0].length).trim();
      return { kind: 'list', marker: last.markup, ordered: last.type === 'ordered_list_open', markerIndent: m[1].length, contentIndent: itemContent(m), emptyItem, firstLine };
    }
    default:
      return undefined;
  }
}

/**
 * Follows the open block line by line. `accepts(line)` is true when the complete line certainly continues the open
 * block (it may update what it knows, e.g. a list's current item); false means "run the splitter".
 */
export class Continuation {
  /** `afterBlank`: the last line the splitter saw was blank. */
  readonly #info: OpenBlockInfo;
  #afterBlank: boolean;

  constructor(info: OpenBlockInfo, afterBlank = false) {
    this.#info = info;
    this.#afterBlank = afterBlank;
  }

  get kind(): OpenKind {
    return this.#info.kind;
  }

  get block(): Readonly<OpenBlockInfo> {
    return this.#info;
  }

  accepts(line: string): boolean {
    // A blank line starts nothing; the line after it decides (most kinds end there, a loose list goes on).
    if (isBlank(line)) {
      this.#afterBlank = true;
      return true;
    }
    const ok = this.#continues(line);
    if (ok) this.#afterBlank = false;
    return ok;
  }

  #continues(line: string): boolean {
    switch (this.#info.kind) {
      case 'paragraph':
        // Lazy or indented text, never a setext underline, table delimiter row, list, fence, quote or heading.
        return !this.#afterBlank && (indentOf(line) >= 4 || PLAIN_START.test(line));
      case 'table':
        // A row that starts with a pipe: markdown-it ends a table only at a blank line, an indented line or a
        // line that starts another block, and no block starts with '|'.
        return !this.#afterBlank && /^ {0,3}\|/.test(line);
      case 'blockquote':
        return !this.#afterBlank && /^ {0,3}>/.test(line);
      case 'list':
        return this.#listContinues(line);
    }
  }

  #listContinues(line: string): boolean {
    const info = this.#info;
    const indent = indentOf(line);
    if (indent >= info.contentIndent!) {
      // Inside the current item (a paragraph, a nested list, code); an empty item ends at a blank line.
      if (info.emptyItem && this.#afterBlank) return false;
      info.emptyItem = false;
      return true;
    }
    const m = ITEM.exec(line);
    if (!m || HR.test(line) || m[1].length !== info.markerIndent) return false;
    const marker = m[2];
    const same = info.ordered ? /\d/.test(marker[0]) && marker[marker.length - 1] === info.marker : marker === info.marker;
    // An empty item cannot interrupt a paragraph; after text it might be a setext underline ("-"): let the parser say.
    if (!same || m[3].length === 0) return false;
    info.contentIndent = itemContent(m);
    info.emptyItem = !line.slice(m[0].length).trim();
    return true;
  }
}
