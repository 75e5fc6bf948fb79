// The open block in pieces, so a frame costs the size of its last piece, not of the block. A long open paragraph,
// list or blockquote is cut at line boundaries (a list between its items, a quote between the blocks it holds; a
// paragraph at a line start, else at a space; tables: openTable.ts); each piece is rendered once through
// the normal path (markdown-it, DOMPurify) and its content is moved into the open element, and only the piece still
// growing is rendered again per frame.
//
// What this shows while streaming is close to, not always exactly, the finished rendering: emphasis or a link cut
// in two shows its markers until the block closes, a list may show loose/tight per piece, a paragraph gets a line
// break at a cut. The block is rendered whole, exactly, once it closes (renderer.ts freezes it), so the finished
// message is what CommonMark says.
import type { OpenKind } from './continuation';
import type { Src } from './tail';

/** A piece is committed once the text after the last cut passes twice this size; below it the open block is rendered whole. */
export const PIECE = 600;

export interface PieceRenderer {
  /** Markdown → sanitized, decorated element (a div holding the block's elements). */
  render(src: string): HTMLElement;
}

const firstLineEnd = (s: Src, from: number) => {
  const nl = s.indexOf('\n', from);
  return nl < 0 ? s.length : nl + 1;
};

export class OpenChunks {
  /** The tail is rendered in pieces up to here. */
  #committed: number;
  #live: Node[] = [];
  readonly #kind: OpenKind;
  readonly #container: Element;
  readonly #pieces: PieceRenderer;
  readonly #size: number;

  private constructor(kind: OpenKind, readonly el: HTMLElement, container: Element, cut: number, pieces: PieceRenderer, size: number) {
    this.#kind = kind;
    this.#container = container;
    this.#committed = cut;
    this.#pieces = pieces;
    this.#size = size;
  }

  /**
   * The open block of `tail` in pieces, or undefined when it has no cut point yet. `blockStart` is where the
   * block's first line begins (after the blank lines and reference definitions before it).
   */
  static create(kind: OpenKind, tail: Src, blockStart: number, pieces: PieceRenderer, size = PIECE): OpenChunks | undefined {
    const cut = cutPoint(kind, tail, blockStart, size);
    if (cut === undefined) return undefined;
    const el = pieces.render(tail.slice(0, cut));
    const container = containerOf(kind, el);
    if (!container) return undefined;
    const chunks = new OpenChunks(kind, el, container, cut, pieces, size);
    chunks.update(tail);
    return chunks;
  }

  /** Shows `tail` (which only grew since the last call): commits finished pieces, renders the rest again. */
  update(tail: Src): void {
    this.#clearLive();
    for (let cut = cutPoint(this.#kind, tail, this.#committed, this.#size); cut !== undefined; cut = cutPoint(this.#kind, tail, this.#committed, this.#size)) {
      this.#append(tail.slice(this.#committed, cut));
      this.#committed = cut;
    }
    if (this.#committed < tail.length) this.#live = this.#append(tail.slice(this.#committed));
  }

  #clearLive(): void {
    for (const n of this.#live) n.parentNode?.removeChild(n);
    this.#live = [];
  }

  /** Renders a piece and moves its content into the open element; returns the nodes moved. */
  #append(src: string): Node[] {
    if (!src.trim()) return [];
    const rendered = this.#pieces.render(src);
    const from = containerOf(this.#kind, rendered);
    if (!from) return []; // the piece is not of the block's kind (the splitter will say what it is)
    const nodes = [...from.childNodes];
    for (const n of nodes) {
      // A paragraph's later pieces continue it without a gap.
      if (this.#kind === 'paragraph' && n.nodeType === 1 && (n as Element).tagName === 'P') {
        (n as Element).classList.add('md-cont');
        this.#container.lastElementChild?.classList.add('md-cont-next');
      }
      this.#container.appendChild(n);
    }
    return nodes;
  }
}

/** The element whose children a piece adds to: the list, the quote, or the root (paragraphs). */
function containerOf(kind: OpenKind, root: HTMLElement): Element | undefined {
  switch (kind) {
    case 'list':
      return root.querySelector(':scope > ul, :scope > ol') ?? undefined;
    case 'blockquote':
      return root.querySelector(':scope > blockquote') ?? undefined;
    default:
      return root;
  }
}

/**
 * Where the next piece ends: a line start (or, in a paragraph's single long line, just after a space) at least PIECE
 * characters after `from`, before the last complete line, suited to the kind; undefined when there is none yet.
 */
function cutPoint(kind: OpenKind, tail: Src, from: number, piece: number): number | undefined {
  if (tail.length - from < 2 * piece) return undefined;
  const limit = tail.lastIndexOf('\n') + 1;
  for (let at = firstLineEnd(tail, from + piece); at < limit; at = firstLineEnd(tail, at)) {
    if (cutsAt(kind, tail, at)) return at;
  }
  if (kind === 'paragraph' || (kind === 'blockquote' && tail.length - from > 4 * piece)) {
    // A paragraph on one long line: after a space before a letter (the piece must not start a list or a heading).
    // A quote with no empty line for long: at a quoted line of text (its paragraph shows split until it closes).
    const window = tail.slice(from + piece, kind === 'paragraph' ? tail.length - piece : limit);
    const at = window.search(kind === 'paragraph' ? / (?=\p{L})/u : /\n {0,3}> ?(?=\p{L})/u);
    if (at >= 0) return from + piece + at + 1;
  }
  return undefined;
}

function cutsAt(kind: OpenKind, tail: Src, at: number): boolean {
  switch (kind) {
    case 'list':
      // Between items: a line that starts an item at column 0 (the lists models write).
      return /^(?:[-+*]|\d{1,9}[.)])[ \t]/.test(tail.slice(at, at + 12));
    case 'blockquote':
      // After an empty quote line: the blocks before it inside the quote are complete.
      return /(?:^|\n) {0,3}>[ \t]*\n$/.test(tail.slice(Math.max(0, at - 80), at));
    case 'paragraph':
      // At a line of text (a piece starting with spaces or a marker would render as code or a list).
      return /^ {0,3}\p{L}/u.test(tail.slice(at, at + 8));
    default:
      return true;
  }
}
