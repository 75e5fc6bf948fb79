// Fast path for the most common long open block: a fenced code block still streaming (a whole file
// being written out). Once the tail is known to be one open fence, each frame only scans the new
// lines for a closing fence and grows a text node by appendData: no markdown rendering, no
// sanitizing, no HTML parsing at all (text only), and no re-splitting. When the fence closes, the
// block is frozen through the normal path and highlighted.
import type MarkdownIt from 'markdown-it';
import { decorateCodeBlocks } from './codeBlock';
import { markdown } from './markdown';
import type { Src } from './tail';

export interface OpenFence {
  content: string;
  lang: string;
  /** When tracked: content is tail.slice(start, end), and later contents extend it while end grows. */
  start?: number;
  end?: number;
}

const STARTS_WITH_FENCE = /^(?:[ \t]*\n)*[ ]{0,3}(?:`{3,}|~{3,})/;
const CLOSING = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

interface Tracked {
  /** Offset just after the opening fence line. */
  bodyStart: number;
  marker: string;
  lang: string;
  /** Complete lines before this offset hold no closing fence. */
  scannedTo: number;
}

/**
 * Follows a tail that is a single open fenced code block. The tail must only grow while tracked;
 * call reset() whenever it is cut or replaced.
 */
export class FenceTracker {
  #tracked: Tracked | undefined;
  #last: { tail: Src; length: number; result: { fence?: OpenFence; open: boolean } } | undefined;

  reset(): void {
    this.#tracked = undefined;
    this.#last = undefined;
  }

  /**
   * The fence to show for `tail` (undefined when the tail is not a single fence) and whether it is
   * certainly still open, in which case nothing can be frozen and the splitter need not run.
   */
  update(tail: Src): { fence?: OpenFence; open: boolean } {
    // The same tail (it only grows while tracked) of the same length.
    if (this.#last && this.#last.tail === tail && this.#last.length === tail.length) return this.#last.result;
    const result = this.#compute(tail);
    this.#last = { tail, length: tail.length, result };
    return result;
  }

  #compute(tail: Src): { fence?: OpenFence; open: boolean } {
    if (!this.#tracked) {
      // A prefix: reading the whole tail would copy it (tail.ts). Past it, the splitter decides (no fast path).
      if (!STARTS_WITH_FENCE.test(tail.slice(0, 4096))) return { open: false };
      const t = singleFence(String(tail));
      if (!t) return { open: false };
      const opener = /^ */.exec(tail.slice(lineStart(tail, t.map![0])))![0].length;
      const fence = { content: t.content, lang: fenceLang(t) };
      const bodyStart = lineStart(tail, t.map![0] + 1);
      // Track only a complete opener line (the info string may still grow) without indentation
      // (indented openers strip indentation from every line): otherwise the parser decides each time.
      if (opener > 0 || bodyStart > tail.length) return { fence, open: false };
      this.#tracked = { bodyStart, marker: t.markup, lang: fence.lang, scannedTo: bodyStart };
    }
    const s = this.#tracked;
    let at = s.scannedTo;
    for (let nl = tail.indexOf('\n', at); nl >= 0; nl = tail.indexOf('\n', at)) {
      if (this.#closes(tail.slice(at, nl))) {
        this.#tracked = undefined;
        return { open: false }; // closed: the splitter freezes it
      }
      at = nl + 1;
    }
    s.scannedTo = at;
    // markdown-it ends the block before a partial last line that is a closing fence, and does not
    // count a partial last line of only spaces at all.
    const partial = tail.slice(at);
    const end = Math.max(s.bodyStart, this.#closes(partial) || /^[ \t]*$/.test(partial) ? at : tail.length);
    return { fence: { content: tail.slice(s.bodyStart, end), lang: s.lang, start: s.bodyStart, end }, open: true };
  }

  #closes(line: string): boolean {
    const m = CLOSING.exec(line);
    return !!m && !!this.#tracked && m[1][0] === this.#tracked.marker[0] && m[1].length >= this.#tracked.marker.length;
  }
}

function singleFence(tail: string): MarkdownIt.Token | undefined {
  const md = markdown();
  const tokens: MarkdownIt.Token[] = [];
  md.block.parse(tail, md, { references: Object.create(null) }, tokens);
  const top = tokens.filter((t) => t.level === 0 && t.nesting !== -1);
  return top.length === 1 && top[0].type === 'fence' && top[0].map ? top[0] : undefined;
}

function fenceLang(t: MarkdownIt.Token): string {
  return markdown().utils.unescapeAll(t.info).trim().split(/\s+/)[0] || '';
}

function lineStart(s: Src, line: number): number {
  let at = 0;
  for (let i = 0; i < line; i++) {
    const nl = s.indexOf('\n', at);
    if (nl < 0) return s.length + 1;
    at = nl + 1;
  }
  return at;
}

/** A streaming code block element for `fence`, built with DOM calls (same markup as the markdown path). */
export function buildOpenFence(fence: OpenFence, doc: Document): { el: HTMLElement; text: Text } {
  const el = doc.createElement('div');
  const pre = doc.createElement('pre');
  pre.className = 'md-pre';
  const code = doc.createElement('code');
  code.className = fence.lang ? `hljs language-${fence.lang}` : 'hljs';
  code.setAttribute('data-lang', fence.lang);
  const text = doc.createTextNode(fence.content);
  code.appendChild(text);
  pre.appendChild(code);
  el.appendChild(pre);
  decorateCodeBlocks(el, doc, true);
  return { el, text };
}


/** Updates the streaming code block `shown` in place to `next`; false when it has to be rebuilt. O(new text). */
export function growFence(shown: { fence: OpenFence; text: Text }, next: OpenFence, tail: Src): boolean {
  const prev = shown.fence;
  if (prev.lang !== next.lang) return false;
  if (prev.start !== undefined && prev.start === next.start && prev.end! <= next.end!) {
    if (next.end! > prev.end!) shown.text.appendData(tail.slice(prev.end!, next.end));
  } else if (shown.text.data !== next.content) {
    shown.text.data = next.content;
  }
  shown.fence = next;
  return true;
}
