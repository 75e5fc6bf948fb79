// Context documents for files and selections, the explain prompt, and re-reading attached files before a send.
import type { ContextDoc } from '../conversation';
import type { TurnRef } from '../../shared/protocol';

export interface FileInfo {
  /** The document URI string: the doc's id, so attaching the same file again replaces it in place. */
  uri: string;
  /** Workspace-relative path. */
  label: string;
  languageId?: string;
  text: string;
}

/** A 0-based, inclusive line range. */
export interface LineRange {
  startLine: number;
  endLine: number;
}

export function fileDoc(f: FileInfo): ContextDoc {
  const d: ContextDoc = { id: f.uri, label: f.label, uri: f.uri, text: f.text, kind: 'file' };
  if (f.languageId) d.languageId = f.languageId;
  return d;
}

/** "src/a.ts:10-20" (1-based, as editors show lines); a single line is "src/a.ts:10". */
export function rangeLabel(label: string, r: LineRange): string {
  return r.startLine === r.endLine ? `${label}:${r.startLine + 1}` : `${label}:${r.startLine + 1}-${r.endLine + 1}`;
}

/** A selection as its own context document: `f.text` is the selected text. Id `uri#A-B` (1-based lines). */
export function selectionDoc(f: FileInfo, r: LineRange): ContextDoc {
  const d: ContextDoc = { id: `${f.uri}#${r.startLine + 1}-${r.endLine + 1}`, label: rangeLabel(f.label, r), uri: f.uri, text: f.text, kind: 'selection', range: { ...r } };
  if (f.languageId) d.languageId = f.languageId;
  return d;
}

/** A fence longer than any backtick run in the code, so the code cannot close it. */
export function fenceFor(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The chat message of "Explain Selection"; the whole file is attached before it as a cached block. */
export function explainMessage(label: string, r: LineRange, languageId: string | undefined, selection: string): string {
  const lines = r.startLine === r.endLine ? `line ${r.startLine + 1}` : `lines ${r.startLine + 1}–${r.endLine + 1}`;
  const fence = fenceFor(selection);
  return `Explain ${lines} of ${label}:\n${fence}${languageId ?? ''}\n${selection}\n${fence}`;
}

export function turnRef(f: FileInfo, r: LineRange): TurnRef {
  return { label: f.label, uri: f.uri, startLine: r.startLine, endLine: r.endLine };
}

/**
 * The attached files whose text changed, re-read with `read` (undefined = could not be read: kept as attached).
 * Same id, so each keeps its position in the cached prefix. Selections stay as they were attached.
 */
export async function changedDocs(docs: readonly ContextDoc[], read: (uri: string) => Promise<string | undefined>): Promise<ContextDoc[]> {
  const out: ContextDoc[] = [];
  for (const d of docs) {
    if (d.kind !== 'file' || !d.uri) continue;
    const text = await read(d.uri).catch(() => undefined);
    if (text !== undefined && text !== d.text) out.push({ ...d, text });
  }
  return out;
}
