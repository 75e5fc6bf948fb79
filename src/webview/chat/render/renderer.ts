// MessageRenderer: streams one assistant message into a container, block by block.
//
// The source is kept in two parts: frozen blocks (rendered once, never touched again) and the open
// tail (the still-growing last block plus anything not yet judged closed). append() only records
// text and schedules one render per animation frame; a render freezes whatever blocks have closed
// and re-renders the open tail alone, so the work per frame depends on the size of the last block,
// not on the length of the message. A long open block costs the size of its last piece, not its own size: the
// splitter is skipped for lines that certainly continue it (continuation.ts) and it is shown in pieces
// (openChunks.ts). A reference definition renders again the earlier blocks that name its label (refs.ts).
import { allBlocks, singleOpenBlock, splitTail, type BlockSpan } from './blocks';
import { handleClick, type ClickHooks } from './clicks';
import { decorateCodeBlocks } from './codeBlock';
import { Continuation } from './continuation';
import { renderMarkdown, sanitizeToFragment } from './markdown';
import { FrameTask, Normalizer } from './frame';
import { buildOpenFence, FenceTracker, growFence, type OpenFence } from './openFence';
import { OpenChunks, PIECE } from './openChunks';
import { OpenTable } from './openTable';
import { DefinedLabels, labelsIn } from './refs';
import { Tail } from './tail';

export type RenderHooks = ClickHooks;

interface FrozenBlock {
  el: HTMLElement;
  src: string;
  /** Reference labels its text could use (refs.ts). */
  labels?: Set<string>;
}

/** Counters for tests and benchmarks. */
export interface RenderStats {
  /** Renders of the open tail. */
  openRenders: number;
  /** Blocks frozen (each rendered exactly once). */
  frozenRenders: number;
  /** Frozen blocks rendered again because a reference they name was defined after them. */
  refRenders: number;
  /** Full splits of the open tail (a block parse of all of it). */
  splits: number;
  /** The longest text rendered for the open block in one go (bounded for long blocks: openChunks.ts). */
  maxOpenChars: number;
}

type Refs = Record<string, unknown>;

export class MessageRenderer {
  readonly stats: RenderStats = { openRenders: 0, frozenRenders: 0, refRenders: 0, splits: 0, maxOpenChars: 0 };
  readonly #doc: Document;
  readonly #root: HTMLElement;
  #parts: string[] = [];
  readonly #tail = new Tail();
  readonly #normalizer = new Normalizer();
  /** Start of the first line of the tail not yet judged (by the splitter or by `cont`). */
  #lineFrom = 0;
  /** What follows the open block line by line between splits; undefined: split at every new line. */
  #cont: { c: Continuation; start: number } | undefined;
  /** The open block shown in pieces, when it is long. */
  #chunks: OpenChunks | OpenTable | undefined;
  /** Tail length when a long tail with no `cont` was last parsed to find out what it is. */
  #probedAt = 0;
  readonly #defined = new DefinedLabels();
  /** The tail's version last shown (-1: none). */
  #rendered = -1;
  #frozen: FrozenBlock[] = [];
  #openEl: HTMLElement | undefined;
  /** Set while the open element is a streaming code block on the fast path (see openFence.ts). */
  #openFence: { fence: OpenFence; text: Text } | undefined;
  readonly #fences = new FenceTracker();
  #refs: Refs = Object.create(null);
  readonly #frame: FrameTask;
  #finished = false;
  #disposed = false;
  readonly #onClick = (e: Event) => handleClick(e, this.#root, this.#hooks, () => !this.#disposed);

  /** `pieceChars`: size of the pieces a long open block is shown in (tests make it tiny). */
  readonly #hooks: RenderHooks;
  readonly #opts: { pieceChars?: number };

  constructor(container: HTMLElement, hooks: RenderHooks = {}, opts: { pieceChars?: number } = {}) {
    this.#hooks = hooks;
    this.#opts = opts;
    this.#doc = container.ownerDocument;
    this.#frame = new FrameTask(this.#doc.defaultView, () => this.flush());
    this.#root = this.#doc.createElement('div');
    this.#root.className = 'md-root';
    container.appendChild(this.#root);
    this.#root.addEventListener('click', this.#onClick);
    this.#root.addEventListener('auxclick', this.#onClick);
  }

  /** The raw text received so far. */
  get text(): string {
    if (this.#parts.length > 1) this.#parts = [this.#parts.join('')];
    return this.#parts[0] ?? '';
  }

  get #piece(): number {
    return this.#opts.pieceChars ?? PIECE;
  }

  /**
   * Record a streamed delta; rendering happens once per animation frame (or on flush()). The first text of a
   * message is rendered at once: it is on screen in the coming frame rather than a frame later.
   */
  append(delta: string): void {
    if (this.#disposed || !delta) return;
    this.#parts.push(delta);
    if (this.#finished) this.#reopen();
    this.#tail.append(this.#normalizer.next(delta));
    if (this.#frozen.length === 0 && !this.#openEl) this.flush();
    else this.#frame.request();
  }

  /** Render now whatever append() recorded (tests and benchmarks; the frame callback calls it too). */
  flush(): void {
    this.#frame.cancel();
    if (this.#disposed || this.#finished) return;
    // A tail known to be one still-open fence cannot freeze anything: skip the splitter.
    if (!this.#fences.update(this.#tail).open) this.#freezeClosed();
    this.#renderOpen();
  }

  /** The message is complete: freeze (and highlight) everything that is left. */
  finish(): void {
    if (this.#disposed || this.#finished) return;
    this.#frame.cancel();
    this.#tail.append(this.#normalizer.end());
    this.#freeze(allBlocks(String(this.#tail)));
    this.#tail.set('');
    this.#resetOpen();
    this.#openEl?.remove();
    this.#openEl = undefined;
    this.#openFence = undefined;
    this.#rendered = -1;
    this.#finished = true;
  }

  /** Replace everything with a complete message (restoring history): rendered at once, finished. */
  setText(full: string): void {
    if (this.#disposed) return;
    this.#frame.cancel();
    this.#root.replaceChildren();
    this.#frozen = [];
    this.#openEl = undefined;
    this.#openFence = undefined;
    this.#rendered = -1;
    this.#refs = Object.create(null);
    this.#defined.reset();
    this.#parts = [full];
    this.#normalizer.pendingCr = false;
    this.#tail.set(this.#normalizer.next(full));
    this.#resetOpen();
    this.#finished = false;
    this.finish();
  }

  /**
   * Drop pending work and the hooks. The rendered DOM stays where it is, and its links stay inert
   * (clicks are still prevented from navigating the webview, but reach nobody).
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#frame.cancel();
    this.#disposed = true;
  }

  // --- internals -------------------------------------------------------------------------------






  /** What is known about the tail's lines is void (the tail was cut or replaced). */
  #resetOpen(): void {
    this.#fences.reset();
    this.#lineFrom = 0;
    this.#cont = undefined;
    this.#chunks = undefined;
    this.#probedAt = 0;
  }

  /**
   * Freeze the blocks that have closed. Runs the splitter only when a new line has completed that does not
   * certainly continue the open block.
   */
  #freezeClosed(): void {
    const end = this.#tail.lastIndexOf('\n') + 1;
    if (end <= this.#lineFrom) return;
    if (this.#cont && this.#continues(this.#cont.c, this.#lineFrom, end)) {
      this.#lineFrom = end;
      return;
    }
    this.stats.splits++;
    const { closed, open } = splitTail(String(this.#tail));
    const consumed = this.#freeze(closed);
    const kind = this.#cont?.c.kind;
    const lastLine = this.#tail.slice(this.#tail.lastIndexOf('\n', end - 2) + 1, end);
    this.#cont = open && { c: new Continuation(open, !lastLine.trim()), start: open.start - consumed };
    if (consumed > 0) {
      this.#tail.set(this.#tail.slice(consumed));
      this.#fences.reset();
    }
    if (consumed > 0 || this.#cont?.c.kind !== kind) this.#chunks = undefined;
    this.#lineFrom = end - consumed;
  }

  /** True when every complete line in [from, end) of the tail certainly continues the open block. */
  #continues(c: Continuation, from: number, end: number): boolean {
    for (let at = from; at < end; ) {
      const nl = this.#tail.indexOf('\n', at);
      if (!c.accepts(this.#tail.slice(at, nl))) return false;
      at = nl + 1;
    }
    return true;
  }

  /** Render each span as its own frozen block, in order; returns the characters consumed. */
  #freeze(spans: BlockSpan[]): number {
    let consumed = 0;
    for (const span of spans) {
      const src = this.#tail.slice(span.start, span.end);
      // Parsed on its own with the references committed so far (and commits its own): the same
      // result whatever the delta boundaries were, so streaming and setText() agree. A streamed table
      // gives its rows (openTable.ts).
      const table = span.start === 0 && this.#chunks instanceof OpenTable ? this.#chunks : undefined;
      const el = table?.takeFrozen(src, (s) => this.#renderFrozen(s)) ?? this.#renderFrozen(src);
      this.#root.insertBefore(el, this.#openEl ?? null);
      this.#frozen.push({ el, src, labels: labelsIn(src) });
      this.stats.frozenRenders++;
      consumed = span.end;
      const added = this.#defined.added(this.#refs);
      if (added.length) this.#renderAgainFor(added, this.#frozen.length - 1);
    }
    return consumed;
  }

  #renderFrozen(src: string): HTMLElement {
    const el = this.#renderBlock(src, { references: this.#refs }, true);
    el.className = 'md-block';
    return el;
  }

  /** Renders again the frozen blocks before `before` that name one of the labels just defined. */
  #renderAgainFor(labels: string[], before: number): void {
    for (let i = 0; i < before; i++) {
      const b = this.#frozen[i];
      if (!b.labels || !labels.some((l) => b.labels!.has(l))) continue;
      const el = this.#renderFrozen(b.src);
      b.el.replaceWith(el);
      b.el = el;
      this.stats.refRenders++;
    }
  }

  #renderOpen(): void {
    if (this.#tail.version === this.#rendered) return;
    this.#rendered = this.#tail.version;
    if (!this.#tail.hasText()) {
      this.#openEl?.remove();
      this.#openEl = undefined;
      this.#openFence = undefined;
      return;
    }
    this.stats.openRenders++;
    const { fence } = this.#fences.update(this.#tail);
    if (fence && this.#openFence && growFence(this.#openFence, fence, this.#tail)) return;
    let el: HTMLElement;
    if (fence) {
      const built = buildOpenFence(fence, this.#doc);
      el = built.el;
      this.#openFence = { fence, text: built.text };
    } else if (this.#tail.length >= 2 * this.#piece && this.#probe()) {
      this.#openFence = undefined;
      if (this.#chunks) {
        this.#chunks.update(this.#tail);
        if (this.#chunks.el === this.#openEl) return;
      } else {
        const { c, start } = this.#cont!;
        const pieces = { render: (src: string) => this.#renderOpenBlock(src) };
        this.#chunks = c.kind === 'table' ? OpenTable.create(this.#tail, start, pieces, this.#piece) : OpenChunks.create(c.kind, this.#tail, start, pieces, this.#piece);
      }
      el = this.#chunks?.el ?? this.#renderOpenBlock(String(this.#tail));
    } else {
      el = this.#renderOpenBlock(String(this.#tail));
      this.#openFence = undefined;
    }
    el.className = 'md-block md-open';
    el.setAttribute('aria-busy', 'true');
    if (this.#openEl) this.#openEl.replaceWith(el);
    else this.#root.appendChild(el);
    this.#openEl = el;
  }


  /** Open text over a throwaway layer of the committed references: the open text may still change its own. */
  /**
   * True when the open block's kind is known. A long tail that no split has described yet (one long line) is parsed
   * once to find out, and again only after it doubled.
   */
  #probe(): boolean {
    if (this.#cont) return true;
    if (this.#tail.length < 2 * this.#probedAt) return false;
    this.#probedAt = this.#tail.length;
    const open = singleOpenBlock(String(this.#tail));
    if (open) this.#cont = { c: new Continuation(open), start: open.start };
    return !!open;
  }

  /** Open text over a throwaway layer of the committed references: the open text may still change its own. */
  #renderOpenBlock(src: string): HTMLElement {
    this.stats.maxOpenChars = Math.max(this.stats.maxOpenChars, src.length);
    return this.#renderBlock(src, { references: Object.create(this.#refs) as Refs }, false);
  }

  #renderBlock(src: string, env: { references: Refs }, closed: boolean): HTMLElement {
    const frag = sanitizeToFragment(renderMarkdown(src, env, closed), this.#doc);
    decorateCodeBlocks(frag, this.#doc, !closed);
    const el = this.#doc.createElement('div');
    el.appendChild(frag);
    return el;
  }

  /** Continue a finished message: its last block opens again (the rest stays frozen). */
  #reopen(): void {
    this.#finished = false;
    const last = this.#frozen.pop();
    if (last) {
      last.el.remove();
      this.#tail.set(last.src + this.#tail);
    }
    this.#resetOpen();
  }
}
