// The open tail of a streamed message, kept as a long head and a short recent part. Appending a delta to one long
// string and then reading it (a regex, indexOf, slice) makes V8 flatten, that is copy, the whole string: a copy of
// the tail per delta, quadratic in a long open block (1.2 s of copying for an 800 KB table in 2,000 deltas). Here a
// delta joins the short part, which moves into the head every RECENT characters, and reads near the end only touch
// the short part. Offsets are the same as in the whole text (slice takes no negative ones); indexOf/lastIndexOf
// take one character.

const RECENT = 16384;

/** What the open-block helpers read: a string, or a Tail. */
export interface Src {
  readonly length: number;
  slice(start: number, end?: number): string;
  indexOf(char: string, from?: number): number;
  lastIndexOf(char: string, from?: number): number;
}

export class Tail implements Src {
  #head = '';
  #recent = '';
  /** Changes with every edit (what renderOpen last showed). */
  version = 0;

  get length(): number {
    return this.#head.length + this.#recent.length;
  }

  append(s: string): void {
    this.#recent += s;
    if (this.#recent.length > RECENT) this.set(this.toString());
    this.version++;
  }

  set(s: string): void {
    this.#head = s;
    this.#recent = '';
    this.version++;
  }

  /** True when the tail holds anything but white space. */
  hasText(): boolean {
    return /\S/.test(this.#recent) || /\S/.test(this.#head);
  }

  toString(): string {
    return this.#head + this.#recent;
  }

  slice(start: number, end = this.length): string {
    const h = this.#head.length;
    if (end <= h) return this.#head.slice(start, end);
    return start >= h ? this.#recent.slice(start - h, end - h) : this.#head.slice(start) + this.#recent.slice(0, end - h);
  }

  indexOf(char: string, from = 0): number {
    const h = this.#head.length;
    const i = from < h ? this.#head.indexOf(char, from) : -1;
    const j = i < 0 ? this.#recent.indexOf(char, from - h) : -1;
    return i < 0 && j >= 0 ? j + h : i;
  }

  lastIndexOf(char: string, from = Infinity): number {
    const h = this.#head.length;
    if (from < 0) from = 0; // as strings do
    const i = from >= h ? this.#recent.lastIndexOf(char, from - h) : -1;
    return i >= 0 ? i + h : this.#head.lastIndexOf(char, from);
  }
}
