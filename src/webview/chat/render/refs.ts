// Reference definitions that arrive after the blocks that use them. CommonMark lets a definition anywhere in the
// document apply to every block, and models often put them at the end; blocks are frozen one by one, so a frozen
// block whose text could name a label (any [...] in it) keeps those labels, and is rendered again when one of them
// is defined later. Over-approximating is harmless (one more render of that block); a label a block could look up
// is never missed: markdown-it looks a reference up by the normalized text between one pair of brackets with no
// unescaped bracket inside, which is exactly what BRACKETED matches.
import { markdown } from './markdown';

/** The text between brackets with no unescaped bracket inside, at most 999 characters (a label's limit). */
const BRACKETED = /\[((?:[^[\]\\]|\\[\s\S]){1,999})\]/g;

/** Normalized labels `src` could look up; undefined when it has no brackets. */
export function labelsIn(src: string): Set<string> | undefined {
  if (src.indexOf('[') < 0) return undefined;
  const normalize = markdown().utils.normalizeReference;
  let out: Set<string> | undefined;
  for (const m of src.matchAll(BRACKETED)) {
    const label = normalize(m[1]);
    if (label) (out ??= new Set()).add(label);
  }
  return out;
}

/** Follows the labels defined so far in one message's references object. */
export class DefinedLabels {
  readonly #seen = new Set<string>();

  /** Labels defined since the last call (references only ever gain labels; "1" and "2" enumerate first, so a set). */
  added(refs: Record<string, unknown>): string[] {
    const keys = Object.keys(refs);
    if (keys.length === this.#seen.size) return [];
    const fresh = keys.filter((k) => !this.#seen.has(k));
    for (const k of fresh) this.#seen.add(k);
    return fresh;
  }

  reset(): void {
    this.#seen.clear();
  }
}
