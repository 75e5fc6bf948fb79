// Small pieces of the renderer's streaming plumbing: one render per animation frame, and markdown-it's input
// normalisation done per delta.

/** Runs `fn` once at the next animation frame (a timer where there is none) however often it is requested. */
export class FrameTask {
  #scheduled: { cancel(): void } | undefined;

  readonly #view: Window | null;
  readonly #fn: () => void;

  constructor(view: Window | null, fn: () => void) {
    this.#view = view;
    this.#fn = fn;
  }

  request(): void {
    if (this.#scheduled) return;
    const view = this.#view;
    const run = () => {
      this.#scheduled = undefined;
      this.#fn();
    };
    if (view && typeof view.requestAnimationFrame === 'function') {
      const id = view.requestAnimationFrame(run);
      this.#scheduled = { cancel: () => view.cancelAnimationFrame(id) };
    } else {
      const id = setTimeout(run, 0);
      this.#scheduled = { cancel: () => clearTimeout(id) };
    }
  }

  cancel(): void {
    this.#scheduled?.cancel();
    this.#scheduled = undefined;
  }
}

/** markdown-it's own normalisation (CRLF/CR → LF, NUL → U+FFFD), per delta, so a CRLF split across deltas holds. */
export class Normalizer {
  /** A CR ended the last delta: it may be the first half of a CRLF. */
  pendingCr = false;

  next(s: string): string {
    if (this.pendingCr) s = '\r' + s;
    this.pendingCr = s.endsWith('\r');
    if (this.pendingCr) s = s.slice(0, -1);
    return s.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
  }

  /** The text's end: a CR still held back is a line break. */
  end(): string {
    const held = this.pendingCr ? '\n' : '';
    this.pendingCr = false;
    return held;
  }
}
