// MessageRenderer: streams one assistant message into a container, block by block.
//
// The source is kept in two parts: frozen blocks (rendered once, never touched again) and the open
// tail (the still-growing last block plus anything not yet judged closed). append() only records
// text and schedules one render per animation frame; a render freezes whatever blocks have closed
// and re-renders the open tail alone, so the work per frame depends on the size of the last block,
// not on the length of the message.
import { allBlocks, closedBlocks, type BlockSpan } from './blocks';
import { codeBlockActionFor, decorateCodeBlocks, flashDone, type CodeBlockAction } from './codeBlock';
import { isSafeHref, renderMarkdown, sanitizeToFragment } from './markdown';
import { buildOpenFence, FenceTracker, type OpenFence } from './openFence';

export interface RenderHooks {
  onCodeBlockAction?(action: CodeBlockAction, code: string, lang: string): void;
  onLink?(href: string): void;
}

interface FrozenBlock {
  el: HTMLElement;
  src: string;
}

/** Counters for tests and benchmarks. */
export interface RenderStats {
  /** Renders of the open tail. */
  openRenders: number;
  /** Blocks frozen (each rendered exactly once). */
  frozenRenders: number;
}

type Refs = Record<string, unknown>;

export class MessageRenderer {
  readonly stats: RenderStats = { openRenders: 0, frozenRenders: 0 };
  private readonly doc: Document;
  private readonly root: HTMLElement;
  private parts: string[] = [];
  private joined = '';
  private tail = '';
  private pendingCr = false;
  /** Tail length up to which no newline was waiting to be judged by the splitter. */
  private splitCheckedTo = 0;
  private renderedTail: string | undefined;
  private frozen: FrozenBlock[] = [];
  private openEl: HTMLElement | undefined;
  /** Set while the open element is a streaming code block on the fast path (see openFence.ts). */
  private openFence: { fence: OpenFence; text: Text } | undefined;
  private readonly fences = new FenceTracker();
  private refs: Refs = Object.create(null);
  private scheduled: { cancel(): void } | undefined;
  private finished = false;
  private disposed = false;
  private readonly onClick = (e: Event) => this.handleClick(e);

  constructor(container: HTMLElement, private readonly hooks: RenderHooks = {}) {
    this.doc = container.ownerDocument;
    this.root = this.doc.createElement('div');
    this.root.className = 'md-root';
    container.appendChild(this.root);
    this.root.addEventListener('click', this.onClick);
    this.root.addEventListener('auxclick', this.onClick);
  }

  /** The raw text received so far. */
  get text(): string {
    if (this.parts.length > 1) this.parts = [this.parts.join('')];
    return this.parts[0] ?? '';
  }

  /** Record a streamed delta; rendering happens once per animation frame (or on flush()). */
  append(delta: string): void {
    if (this.disposed || !delta) return;
    this.parts.push(delta);
    if (this.finished) this.reopen();
    this.tail += this.normalize(delta);
    this.schedule();
  }

  /** Render now whatever append() recorded (tests and benchmarks; the frame callback calls it too). */
  flush(): void {
    this.cancelScheduled();
    if (this.disposed || this.finished) return;
    // A tail known to be one still-open fence cannot freeze anything: skip the splitter.
    if (!this.fences.update(this.tail).open) this.freezeClosed();
    this.renderOpen();
  }

  /** The message is complete: freeze (and highlight) everything that is left. */
  finish(): void {
    if (this.disposed || this.finished) return;
    this.cancelScheduled();
    if (this.pendingCr) {
      this.pendingCr = false;
      this.tail += '\n';
    }
    this.freeze(allBlocks(this.tail));
    this.tail = '';
    this.fences.reset();
    this.splitCheckedTo = 0;
    this.openEl?.remove();
    this.openEl = undefined;
    this.openFence = undefined;
    this.renderedTail = undefined;
    this.finished = true;
  }

  /** Replace everything with a complete message (restoring history): rendered at once, finished. */
  setText(full: string): void {
    if (this.disposed) return;
    this.cancelScheduled();
    this.root.replaceChildren();
    this.frozen = [];
    this.openEl = undefined;
    this.openFence = undefined;
    this.renderedTail = undefined;
    this.refs = Object.create(null);
    this.parts = [full];
    this.pendingCr = false;
    this.tail = this.normalize(full);
    this.fences.reset();
    this.splitCheckedTo = 0;
    this.finished = false;
    this.finish();
  }

  /**
   * Drop pending work and the hooks. The rendered DOM stays where it is, and its links stay inert
   * (clicks are still prevented from navigating the webview, but reach nobody).
   */
  dispose(): void {
    if (this.disposed) return;
    this.cancelScheduled();
    this.disposed = true;
  }

  // --- internals -------------------------------------------------------------------------------

  /** markdown-it's own normalisation (CRLF/CR → LF, NUL → U+FFFD), done per delta so offsets hold. */
  private normalize(s: string): string {
    if (this.pendingCr) s = '\r' + s;
    this.pendingCr = s.endsWith('\r');
    if (this.pendingCr) s = s.slice(0, -1);
    return s.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
  }

  private schedule(): void {
    if (this.scheduled) return;
    const view = this.doc.defaultView;
    const run = () => {
      this.scheduled = undefined;
      this.flush();
    };
    if (view && typeof view.requestAnimationFrame === 'function') {
      const id = view.requestAnimationFrame(run);
      this.scheduled = { cancel: () => view.cancelAnimationFrame(id) };
    } else {
      const id = setTimeout(run, 0);
      this.scheduled = { cancel: () => clearTimeout(id) };
    }
  }

  private cancelScheduled(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
  }

  /** Freeze the blocks that have closed. Only runs the splitter when a new line has completed. */
  private freezeClosed(): void {
    if (this.tail.indexOf('\n', this.splitCheckedTo) < 0) {
      this.splitCheckedTo = this.tail.length;
      return;
    }
    const spans = closedBlocks(this.tail);
    const consumed = this.freeze(spans);
    if (consumed > 0) {
      this.tail = this.tail.slice(consumed);
      this.fences.reset();
    }
    this.splitCheckedTo = this.tail.lastIndexOf('\n') + 1;
  }

  /** Render each span as its own frozen block, in order; returns the characters consumed. */
  private freeze(spans: BlockSpan[]): number {
    let consumed = 0;
    for (const span of spans) {
      const src = this.tail.slice(span.start, span.end);
      // Parsed on its own with the references committed so far (and commits its own): the same
      // result whatever the delta boundaries were, so streaming and setText() agree.
      const env = { references: this.refs };
      const el = this.renderBlock(src, env, true);
      el.className = 'md-block';
      this.root.insertBefore(el, this.openEl ?? null);
      this.frozen.push({ el, src });
      this.stats.frozenRenders++;
      consumed = span.end;
    }
    return consumed;
  }

  private renderOpen(): void {
    if (this.tail === this.renderedTail) return;
    this.renderedTail = this.tail;
    if (!this.tail.trim()) {
      this.openEl?.remove();
      this.openEl = undefined;
      this.openFence = undefined;
      return;
    }
    this.stats.openRenders++;
    const { fence } = this.fences.update(this.tail);
    if (fence && this.openFence && this.growFence(this.openFence, fence)) return;
    let el: HTMLElement;
    if (fence) {
      const built = buildOpenFence(fence, this.doc);
      el = built.el;
      this.openFence = { fence, text: built.text };
    } else {
      // A throwaway layer over the committed references: the open text may still change its own.
      const env = { references: Object.create(this.refs) as Refs };
      el = this.renderBlock(this.tail, env, false);
      this.openFence = undefined;
    }
    el.className = 'md-block md-open';
    el.setAttribute('aria-busy', 'true');
    if (this.openEl) this.openEl.replaceWith(el);
    else this.root.appendChild(el);
    this.openEl = el;
  }

  /** Update the streaming code block in place; false when it has to be rebuilt. O(new text). */
  private growFence(shown: { fence: OpenFence; text: Text }, next: OpenFence): boolean {
    const prev = shown.fence;
    if (prev.lang !== next.lang) return false;
    if (prev.start !== undefined && prev.start === next.start && prev.end! <= next.end!) {
      if (next.end! > prev.end!) shown.text.appendData(this.tail.slice(prev.end, next.end));
    } else if (shown.text.data !== next.content) {
      shown.text.data = next.content;
    }
    shown.fence = next;
    return true;
  }

  private renderBlock(src: string, env: { references: Refs }, closed: boolean): HTMLElement {
    const frag = sanitizeToFragment(renderMarkdown(src, env, closed), this.doc);
    decorateCodeBlocks(frag, this.doc, !closed);
    const el = this.doc.createElement('div');
    el.appendChild(frag);
    return el;
  }

  /** Continue a finished message: its last block opens again (the rest stays frozen). */
  private reopen(): void {
    this.finished = false;
    const last = this.frozen.pop();
    if (last) {
      last.el.remove();
      this.tail = last.src + this.tail;
    }
    this.fences.reset();
    this.splitCheckedTo = 0;
  }

  private handleClick(e: Event): void {
    const target = e.target as Element | null;
    if (!target || typeof target.closest !== 'function') return;
    const anchor = target.closest('a');
    if (anchor && this.root.contains(anchor)) {
      // Links never navigate the webview: the host decides (and asks for anything unusual).
      e.preventDefault();
      const href = anchor.getAttribute('href');
      if (!this.disposed && e.type === 'click' && href && isSafeHref(href)) this.hooks.onLink?.(href);
      return;
    }
    if (this.disposed || e.type !== 'click') return;
    const hit = codeBlockActionFor(target, this.root);
    if (!hit) return;
    e.preventDefault();
    if (this.hooks.onCodeBlockAction) this.hooks.onCodeBlockAction(hit.action, hit.code, hit.lang);
    else if (hit.action === 'copy') void this.doc.defaultView?.navigator.clipboard?.writeText(hit.code);
    else return;
    if (hit.action === 'copy') flashDone(hit.button);
  }
}
