// Where each finding goes in the file as it is now. A finding names lines of the text that was reviewed (the
// snapshot); it is shown only where those exact lines still are: in place, or moved as a whole to one unique place
// (edits above it). If they were edited, deleted or now occur more than once, the finding is dropped and counted
// ("not misplaced"). Ranges outside the reviewed file, and findings about another file, are dropped too.
import type { Finding, Severity } from './schema';

/** A finding placed in the current text: 0-based inclusive lines, with the text it was made for. */
export interface PlacedFinding {
  id: string;
  severity: Severity;
  message: string;
  replacement?: string;
  startLine: number;
  endLine: number;
  /** The reviewed text of those lines (joined with \n): what a Quick Fix replaces, and how edits are followed. */
  original: string;
}

export interface Dropped {
  /** The lines changed since the review (edited, deleted, or no longer unique). */
  changed: number;
  /** A line range outside the reviewed file or reversed. */
  outOfRange: number;
  /** About a different file than the one reviewed. */
  otherFile: number;
  /** Did not match the schema (counted by splitFindings). */
  malformed: number;
}

export const NO_DROPS: Dropped = Object.freeze({ changed: 0, outOfRange: 0, otherFile: 0, malformed: 0 });

export function droppedCount(d: Dropped): number {
  return d.changed + d.outOfRange + d.otherFile + d.malformed;
}

/** "2 dropped: 1 whose lines changed since the review, 1 outside the file". Empty when none. */
export function describeDropped(d: Dropped): string {
  const parts = [
    d.changed && `${d.changed} whose lines changed since the review`,
    d.outOfRange && `${d.outOfRange} outside the file`,
    d.otherFile && `${d.otherFile} about another file`,
    d.malformed && `${d.malformed} that did not match the schema`,
  ].filter(Boolean);
  return parts.length ? `${droppedCount(d)} dropped: ${parts.join(', ')}` : '';
}

const lines = (text: string) => text.split(/\r?\n/);

function sameFile(named: string, label: string): boolean {
  const a = named.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  const b = label.replace(/\\/g, '/');
  return a === b || b.endsWith(`/${a}`) || a.endsWith(`/${b}`);
}

/** Where `original` (whole lines) is in `current` now: the same place, one unique new place, or nowhere. */
export function locate(original: string[], at: number, current: string[]): number | undefined {
  const matchAt = (i: number) => original.every((l, k) => current[i + k] === l);
  if (at + original.length <= current.length && matchAt(at)) return at;
  let found: number | undefined;
  for (let i = 0; i + original.length <= current.length; i++) {
    if (!matchAt(i)) continue;
    if (found !== undefined) return undefined; // more than one: which one is meant cannot be told
    found = i;
  }
  return found;
}

let counter = 0;

export function placeFindings(findings: readonly Finding[], label: string, reviewed: string, current: string, malformed = 0): { placed: PlacedFinding[]; dropped: Dropped } {
  const dropped: Dropped = { ...NO_DROPS, malformed };
  const before = lines(reviewed);
  const now = reviewed === current ? before : lines(current);
  const placed: PlacedFinding[] = [];
  for (const f of findings) {
    if (!sameFile(f.file, label)) {
      dropped.otherFile++;
      continue;
    }
    if (f.endLine < f.startLine || f.endLine > before.length) {
      dropped.outOfRange++;
      continue;
    }
    const original = before.slice(f.startLine - 1, f.endLine);
    const at = locate(original, f.startLine - 1, now);
    if (at === undefined) {
      dropped.changed++;
      continue;
    }
    const p: PlacedFinding = { id: `f${(++counter).toString(36)}`, severity: f.severity, message: f.message, startLine: at, endLine: at + original.length - 1, original: original.join('\n') };
    if (f.replacement !== undefined) p.replacement = f.replacement.replace(/\r?\n$/, '');
    placed.push(p);
  }
  return { placed, dropped };
}

/** Follows placed findings through an edit of the document: moved with their lines, dropped when those changed. */
export function followEdit(placed: readonly PlacedFinding[], current: string): { kept: PlacedFinding[]; lost: number } {
  const now = lines(current);
  const kept: PlacedFinding[] = [];
  let lost = 0;
  for (const p of placed) {
    const original = p.original.split('\n');
    const at = locate(original, p.startLine, now);
    if (at === undefined) lost++;
    else kept.push(at === p.startLine ? p : { ...p, startLine: at, endLine: at + original.length - 1 });
  }
  return { kept, lost };
}
