// Which turns of the transcript have DOM: a window of consecutive turns around the viewport, with a spacer above
// and below standing in for the others at their measured (or, never seen yet, estimated) height. A conversation of
// 5,000 messages opens with a dozen turns built, and scrolling through it keeps the DOM (and the renderers with
// their memory) to at most MAX_MATERIALIZED turns: turns are built as they come near the viewport and dropped when
// they are far from it.
//
// The window only decides *which* turns exist; each turn is still built by the transcript's one per-turn render
// function (hooks.render), so whatever a turn shows is the same wherever it is built. The browser's scroll anchoring
// keeps what is on screen in place when turns are built or dropped above it.
//
// The model may hold only the newest turns of a long conversation (the host sends the rest a page at a time): when
// the first turn it holds is built and comes within OLDER_MARGIN viewports of the top, the window asks for more
// (hooks.older), and prepend() puts them above without moving what is on screen.
//
// Trade-offs (chosen): find-in-page and a screen reader's browse mode only see built turns (the last ones, and those
// near the viewport); the conversation's own aria-live announcements are unaffected. The spacers are aria-hidden.

import type { TurnView } from '../../shared/protocol';

/** A height guess for a turn never built yet (the window corrects it once the turn was seen). */
export function estimateHeight(v: TurnView | undefined): number {
  if (!v) return 0;
  const chars = v.userText.length + v.blocks.reduce((n, b) => n + Math.min(b.text.length, b.kind === 'text' ? 100_000 : 400), 0);
  return 90 + 20 * Math.min(400, Math.ceil(chars / 70));
}

/** Turns built when a conversation opens (from the end), and per step while scrolling. */
export const INITIAL_TURNS = 12;
export const STEP_TURNS = 6;
/** At most this many turns have DOM at once. */
export const MAX_MATERIALIZED = 48;
/** Older turns are asked for once the first one held is less than this many viewport heights above the viewport. */
export const OLDER_MARGIN = 2;

export interface WindowHooks {
  /** Builds the turn's element (the transcript's per-turn render function); undefined if the model lacks it. */
  render(id: string): HTMLElement | undefined;
  /** Drops the turn's DOM handles (renderers, timers). */
  drop(id: string): void;
  /** A height guess for a turn that was never built, in px. */
  estimate(id: string): number;
  /** A turn that must keep its DOM (e.g. the one streaming). */
  pinned(id: string): boolean;
  /** The first turn held is built and near the viewport: the model should fetch the turns before it, if any. */
  older?(): void;
}

export class TurnWindow {
  private ids: string[] = [];
  /** Built turns are ids[lo, hi), each with its element. */
  private lo = 0;
  private hi = 0;
  private readonly els = new Map<string, HTMLElement>();
  private readonly heights = new Map<string, number>();
  private readonly top: HTMLElement;
  private readonly bottom: HTMLElement;
  private topPx = 0;
  private bottomPx = 0;
  private scheduled = false;

  constructor(private readonly root: HTMLElement, private readonly hooks: WindowHooks) {
    const doc = root.ownerDocument;
    this.top = doc.createElement('div');
    this.bottom = doc.createElement('div');
    for (const s of [this.top, this.bottom]) {
      s.className = 'turn-spacer';
      s.setAttribute('aria-hidden', 'true');
    }
    doc.defaultView?.addEventListener('scroll', () => this.schedule(), { passive: true });
    doc.defaultView?.addEventListener('resize', () => this.schedule(), { passive: true });
  }

  /** Turns built now. */
  get built(): readonly string[] {
    return this.ids.slice(this.lo, this.hi);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Forgets every turn (the caller has emptied the root). */
  clear(): void {
    for (const id of this.built) this.hooks.drop(id);
    this.ids = [];
    this.lo = this.hi = 0;
    this.els.clear();
    this.heights.clear();
    this.topPx = this.bottomPx = 0;
  }

  /** A whole conversation: the last INITIAL_TURNS are built, the rest wait above. */
  reset(ids: readonly string[]): void {
    this.clear();
    this.ids = [...ids];
    this.root.replaceChildren(this.top, this.bottom);
    this.lo = this.hi = this.ids.length;
    this.topPx = this.ids.reduce((sum, id) => sum + this.px(id), 0);
    this.buildAbove(INITIAL_TURNS);
    this.paintSpacers();
    this.schedule();
  }

  /** A new turn at the end; the window moves to the end first if the user had scrolled far up. */
  append(id: string): void {
    if (!this.top.isConnected) this.root.replaceChildren(this.top, this.bottom);
    if (this.hi < this.ids.length) this.reset(this.ids);
    this.ids.push(id);
    this.bottomPx += this.px(id);
    this.buildBelow(1);
    this.paintSpacers();
    this.schedule();
  }

  /**
   * Turns that come before all the others (older turns the host sent). What is on screen stays where it is: the
   * first built turn is measured before and after, and the page scrolls by the difference (nothing, when the
   * browser's scroll anchoring already kept it in place).
   */
  prepend(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const anchor = this.els.get(this.ids[this.lo]);
    const before = anchor?.getBoundingClientRect().top;
    this.ids = [...ids, ...this.ids];
    this.lo += ids.length;
    this.hi += ids.length;
    this.topPx += ids.reduce((sum, id) => sum + this.px(id), 0);
    this.paintSpacers();
    const moved = anchor && before !== undefined ? anchor.getBoundingClientRect().top - before : 0;
    const s = this.root.ownerDocument.scrollingElement;
    if (moved && s) s.scrollTop += moved;
    this.schedule();
  }

  /** Builds and drops turns until the viewport (plus a margin) is covered and the window is within bounds. */
  update(): void {
    const view = this.root.ownerDocument.defaultView;
    const vh = view?.innerHeight ?? 0;
    if (!view || vh <= 0 || !this.top.isConnected) return;
    const margin = vh;
    for (let guard = 0; guard < 64; guard++) {
      const above = this.top.getBoundingClientRect().bottom; // where the first built turn starts
      const below = this.bottom.getBoundingClientRect().top; // where the last built turn ends
      if (this.lo > 0 && above > -margin) this.buildAbove(STEP_TURNS);
      else if (this.hi < this.ids.length && below < vh + margin) this.buildBelow(STEP_TURNS);
      // Too many built: drop from the side farther from the viewport, only turns well out of sight.
      else if (this.hi - this.lo <= MAX_MATERIALIZED || !(-above > below - vh ? this.dropFirst(3 * margin) : this.dropLast(vh + 3 * margin))) break;
      this.paintSpacers();
    }
    if (this.lo === 0 && this.ids.length > 0 && this.top.getBoundingClientRect().bottom > -OLDER_MARGIN * vh) this.hooks.older?.();
  }

  private schedule(): void {
    if (this.scheduled) return;
    const view = this.root.ownerDocument.defaultView;
    if (!view || typeof view.requestAnimationFrame !== 'function') return;
    this.scheduled = true;
    view.requestAnimationFrame(() => {
      this.scheduled = false;
      this.update();
    });
  }

  private px(id: string): number {
    return this.heights.get(id) ?? this.hooks.estimate(id);
  }

  private buildAbove(n: number): void {
    const first = this.els.get(this.ids[this.lo]) ?? this.bottom;
    const from = Math.max(0, this.lo - n);
    for (let i = from; i < this.lo; i++) {
      const id = this.ids[i];
      const el = this.hooks.render(id);
      if (el) {
        this.els.set(id, el);
        this.root.insertBefore(el, first);
      }
      this.topPx -= this.px(id);
    }
    this.lo = from;
    if (this.lo === 0) this.topPx = 0;
  }

  private buildBelow(n: number): void {
    const to = Math.min(this.ids.length, this.hi + n);
    for (let i = this.hi; i < to; i++) {
      const id = this.ids[i];
      const el = this.hooks.render(id);
      if (el) {
        this.els.set(id, el);
        this.root.insertBefore(el, this.bottom);
      }
      this.bottomPx -= this.px(id);
    }
    this.hi = to;
    if (this.hi === this.ids.length) this.bottomPx = 0;
  }

  /** Drops the first built turn if it lies more than `far` px above the viewport. */
  private dropFirst(far: number): boolean {
    const id = this.ids[this.lo];
    const el = this.els.get(id);
    if (!el || this.hooks.pinned(id) || el.getBoundingClientRect().bottom > -far) return false;
    this.forget(id, el);
    this.topPx += this.px(id);
    this.lo++;
    return true;
  }

  /** Drops the last built turn if it starts more than `far` px below the viewport top. */
  private dropLast(far: number): boolean {
    const id = this.ids[this.hi - 1];
    const el = this.els.get(id);
    if (!el || this.hooks.pinned(id) || el.getBoundingClientRect().top < far) return false;
    this.forget(id, el);
    this.bottomPx += this.px(id);
    this.hi--;
    return true;
  }

  private forget(id: string, el: HTMLElement): void {
    this.heights.set(id, el.getBoundingClientRect().height);
    el.remove();
    this.els.delete(id);
    this.hooks.drop(id);
  }

  private paintSpacers(): void {
    // CSSOM, not a style attribute: allowed under the page's CSP.
    this.top.style.height = `${Math.max(0, Math.round(this.topPx))}px`;
    this.bottom.style.height = `${Math.max(0, Math.round(this.bottomPx))}px`;
  }
}
