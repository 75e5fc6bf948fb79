// Where a refactored selection is in a document that changed since the request. A proposal is applied only to
// the exact text it was made for: unchanged (maybe moved by edits elsewhere) or not at all.

export type Relocation =
  /** The selected text is still where it was. */
  | { kind: 'unchanged'; start: number; end: number }
  /** The selected text is intact but moved (edits above it); the occurrence nearest the old place. */
  | { kind: 'moved'; start: number; end: number }
  /** The selected text itself was edited or deleted: the proposal no longer applies. */
  | { kind: 'changed' };

export function relocate(selected: string, start: number, current: string): Relocation {
  if (current.slice(start, start + selected.length) === selected) return { kind: 'unchanged', start, end: start + selected.length };
  if (selected.length === 0) return { kind: 'changed' };
  let best = -1;
  for (let i = current.indexOf(selected); i >= 0; i = current.indexOf(selected, i + 1)) {
    if (best < 0 || Math.abs(i - start) < Math.abs(best - start)) best = i;
  }
  return best < 0 ? { kind: 'changed' } : { kind: 'moved', start: best, end: best + selected.length };
}

/** The document text with [start, end) replaced: what the diff editor shows on the right. */
export function spliced(text: string, start: number, end: number, replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}
