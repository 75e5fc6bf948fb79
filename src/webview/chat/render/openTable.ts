// A long open table, streamed row by row: each complete row is rendered once (with the header, through the normal
// path) and its <tr> moved into the open element, so a frame costs its new rows, not the table. Rows go into parts of
// about PIECE characters, each a fixed-layout table of its own (render.css): a row added to one big table lays the
// whole table out again. Only the partial last line is rendered again per frame.
//
// When the table closes, its finished element reuses the streamed rows (takeFrozen): markdown-it renders a row from
// its own line, the column count and alignments of the header, and the references, so the streamed <tr>s are the
// ones a render of the whole table gives, as long as only blank lines come before the table and after its end in the
// block's text (reference definitions there would change the references), every streamed line became exactly one
// row, and the finished block still
// holds every streamed line (a table ends at its first line that is not a row, e.g. at markdown-it's cap on padded
// cells, and what follows is a block of its own). Otherwise the caller renders it whole.
import type { PieceRenderer } from './openChunks';
import type { Src } from './tail';

const lineEnd = (s: Src, from: number) => {
  const nl = s.indexOf('\n', from);
  return nl < 0 ? s.length : nl + 1;
};

const tableOf = (root: Element) => (root.childElementCount === 1 && root.firstElementChild?.tagName === 'TABLE' ? root.firstElementChild : null);
const bodyOf = (table: Element | null) => (table?.lastElementChild?.tagName === 'TBODY' ? table.lastElementChild : null);
const rowsOf = (table: Element | null) => bodyOf(table)?.childElementCount ?? -1;

// Private names (#) so the production bundle shortens them.
export class OpenTable {
  readonly el: HTMLElement;
  /** Everything before the first row: blank lines or definitions, the header and the delimiter row. */
  #lead: string;
  #header: string;
  #pieces: PieceRenderer;
  #size: number;
  /** Complete lines before here are streamed rows. */
  #end: number;
  #rows: number;
  /** Source characters in the last part. */
  #chars: number;
  /** The rows ended (a blank line, or a render that was not one row per line): the rest is shown as it comes. */
  #done = false;
  #live: Node[] = [];
  #parts: Element[];

  private constructor(el: HTMLElement, first: Element, lead: string, header: string, lines: string, pieces: PieceRenderer, size: number) {
    this.el = el;
    this.#parts = [first];
    this.#lead = lead;
    this.#header = header;
    this.#pieces = pieces;
    this.#size = size;
    this.#end = lead.length + lines.length;
    this.#rows = countLines(lines);
    this.#chars = lines.length;
  }

  /** The open table of `tail` (its header line at `blockStart`), or undefined when it has no complete row yet. */
  static create(tail: Src, blockStart: number, pieces: PieceRenderer, size: number): OpenTable | undefined {
    const headerEnd = lineEnd(tail, lineEnd(tail, blockStart));
    const end = rowLinesEnd(tail, headerEnd);
    const lines = tail.slice(headerEnd, end);
    const el = pieces.render(tail.slice(0, end));
    const table = tableOf(el);
    if (!lines || rowsOf(table) !== countLines(lines)) return undefined;
    table!.classList.add('md-table-part');
    const t = new OpenTable(el, table!, tail.slice(0, headerEnd), tail.slice(blockStart, headerEnd), lines, pieces, size);
    t.update(tail);
    return t;
  }

  /** Shows `tail` (which only grew since the last call). */
  update(tail: Src): void {
    this.#clearLive();
    const complete = tail.lastIndexOf('\n') + 1;
    const end = this.#done ? this.#end : rowLinesEnd(tail, this.#end);
    if (end < complete) this.#done = true;
    const partial = tail.slice(complete);
    const liveRow = !this.#done && /^ {0,3}\|/.test(partial);
    if (end > this.#end || liveRow) {
      if (this.#addRows(tail.slice(this.#end, end), liveRow ? partial : '')) {
        this.#end = end;
        if (liveRow) return;
      } else this.#done = true;
    }
    // Whatever follows the rows, as it renders on its own, until the next split says what it is.
    const rest = tail.slice(this.#end);
    if (!rest.trim()) return;
    this.#live = [...this.#pieces.render(rest).childNodes];
    this.el.append(...this.#live);
  }

  #clearLive(): void {
    for (const n of this.#live) n.parentNode?.removeChild(n);
    this.#live = [];
  }

  /** Renders complete row lines and a partial row; false when that is not one row per line of one table. */
  #addRows(lines: string, partial: string): boolean {
    const n = countLines(lines);
    const table = tableOf(this.#pieces.render(this.#header + lines + partial));
    if (rowsOf(table) !== n + (partial ? 1 : 0)) return false;
    this.#rows += n;
    const parts = this.#parts;
    const last = parts[parts.length - 1];
    // A body as markdown-it writes it: a newline, then each row followed by a newline.
    const nodes = [...bodyOf(table)!.childNodes].slice(1);
    if (n && this.#chars >= this.#size) {
      // A new part: a table of its own, its header hidden (render.css).
      table!.classList.add('md-table-part', 'md-cont');
      last.classList.add('md-cont-next');
      last.after(table!);
      parts.push(table!);
      this.#chars = 0;
    } else bodyOf(last)!.append(...nodes);
    this.#chars += lines.length;
    if (partial) this.#live = nodes.slice(-2);
    return true;
  }

  /**
   * The finished table for `src` (the tail's first block span, from its start), built from the streamed rows; undefined
   * when they cannot be reused (see the top of the file). `render` renders closed markdown as a frozen block.
   */
  takeFrozen(src: string, render: (src: string) => HTMLElement): HTMLElement | undefined {
    this.#clearLive();
    const lead = this.#lead;
    const parts = this.#parts;
    const rest = src.slice(this.#end);
    const blank = ('\n' + rest + '\n').search(/\n[ \t]*(?:\n|$)/); // the first blank line after the rows: the table ends there
    if (!src.startsWith(lead) || src.length < this.#end || /\S/.test(lead.slice(0, -this.#header.length) + rest.slice(blank))) return undefined;
    // The header, the first streamed row (so there is a body) and what came after the streamed rows.
    const el = render(lead + src.slice(lead.length, lineEnd(src, lead.length)) + rest);
    const body = bodyOf(tableOf(el));
    const moved: Node[] = [];
    parts.forEach((part, i) => moved.push(...[...bodyOf(part)!.childNodes].slice(i ? 1 : 3)));
    if (!body || moved.length !== 2 * (this.#rows - 1)) return undefined;
    this.el.replaceChildren(); // nodes move faster out of a detached tree
    const frag = el.ownerDocument.createDocumentFragment();
    for (const n of moved) frag.appendChild(n);
    body.insertBefore(frag, body.childNodes[3] ?? null); // after "\n", the first row, "\n"
    return el;
  }
}

/** The end of the non-blank complete lines from `from` (a line start). */
function rowLinesEnd(tail: Src, from: number): number {
  const complete = tail.lastIndexOf('\n') + 1;
  let end = from;
  while (end < complete && /\S/.test(tail.slice(end, lineEnd(tail, end)))) end = lineEnd(tail, end);
  return end;
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
