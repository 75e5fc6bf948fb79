// The completion lists of the composer: what `@query` and `/query` offer, ranked. Pure functions over the file
// index's snapshot and the command list; the service (service.ts) posts the result.
import { BARE_KINDS, formatMention, type MentionKind } from '../../shared/mentions';
import type { CommandView, CompletionItem } from '../../shared/protocol';
import { rankPaths, scorePath } from './rank';
import { symbolName, type SymbolHit } from './ports';

export const MAX_FILE_ITEMS = 30;
export const MAX_FOLDER_ITEMS = 8;
export const MAX_ITEMS = 50;

const KIND_HELP: Record<(typeof BARE_KINDS)[number], string> = {
  selection: 'The selection in the active editor',
  problems: 'Errors and warnings of the active file (or the workspace)',
  terminal: "The last command's output in the active terminal",
  git: 'Uncommitted changes (git diff)',
};
const PREFIXES: { kind: 'file' | 'folder' | 'symbol'; help: string }[] = [
  { kind: 'file', help: 'A workspace file' },
  { kind: 'folder', help: 'The files of a folder' },
  { kind: 'symbol', help: 'A function, class or other symbol' },
];

/** Folders of the indexed files (each ancestor once), sorted: derived once per index snapshot. */
export function foldersOf(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const d = p.slice(0, i);
      if (dirs.has(d)) break;
      dirs.add(d);
    }
  }
  return [...dirs].sort();
}

function split(path: string): { name: string; dir: string } {
  const i = path.replace(/\/$/, '').lastIndexOf('/');
  return i < 0 ? { name: path, dir: '' } : { name: path.slice(i + 1), dir: path.slice(0, i) };
}

function pathItem(kind: 'file' | 'folder', path: string): CompletionItem | undefined {
  const insert = formatMention(kind, kind === 'folder' ? `${path}/` : path);
  if (!insert) return undefined;
  const { name, dir } = split(path);
  return { kind, label: kind === 'folder' ? `${name}/` : name, detail: dir || undefined, insert: `${insert} ` };
}

export interface MentionSources {
  paths: readonly string[];
  lowered: readonly string[];
  folders: () => readonly string[];
}

/** Items for `@query` (query = what follows the @, up to the caret). Symbols are asked by the service. */
export function mentionItems(query: string, src: MentionSources): CompletionItem[] {
  const [, kind, rest] = /^(file|folder|symbol):"?(.*)$/.exec(query) ?? [];
  if (kind === 'file') return rankPaths(rest, src.paths, MAX_ITEMS, src.lowered).flatMap((r) => pathItem('file', r.path) ?? []);
  if (kind === 'folder') return rankPaths(rest, src.folders(), MAX_ITEMS).flatMap((r) => pathItem('folder', r.path) ?? []);
  const q = query.toLowerCase();
  const items: CompletionItem[] = [];
  for (const k of BARE_KINDS) if (k.startsWith(q)) items.push({ kind: k, label: `@${k}`, description: KIND_HELP[k], insert: `@${k} ` });
  for (const p of PREFIXES) if (p.kind.startsWith(q)) items.push({ kind: 'prefix', label: `@${p.kind}:`, description: p.help, insert: `@${p.kind}:`, again: true });
  const files = rankPaths(query, src.paths, MAX_FILE_ITEMS, src.lowered).flatMap((r) => pathItem('file', r.path) ?? []);
  const folders = query ? rankPaths(query, src.folders(), MAX_FOLDER_ITEMS).flatMap((r) => pathItem('folder', r.path) ?? []) : [];
  // Kinds first when the query names one ("@se" → @selection), files first otherwise.
  return (q ? [...items, ...files, ...folders] : [...items, ...files]).slice(0, MAX_ITEMS);
}

export function symbolItems(hits: readonly SymbolHit[], label: (path: string) => string): CompletionItem[] {
  return hits.flatMap((h) => {
    const insert = formatMention('symbol' as MentionKind, symbolName(h.name));
    if (!insert) return [];
    const where = `${label(h.path)}:${h.line + 1}`;
    return [{ kind: 'symbol' as const, label: h.name, detail: h.container ? `${h.container} · ${where}` : where, description: h.kind, insert: `${insert} ` }];
  });
}

/** Items for `/query`: commands whose name starts with the query first, then fuzzy matches. */
export function commandItems(query: string, commands: readonly CommandView[]): CompletionItem[] {
  const q = query.toLowerCase();
  const scored = commands.flatMap((c) => {
    const name = c.name.toLowerCase();
    const s = name.startsWith(q) ? 1000 - name.length : scorePath(q, c.name, name);
    return s === undefined ? [] : [{ c, s }];
  });
  if (q) scored.sort((a, b) => b.s - a.s); // an empty query keeps the list's order: built-ins first
  return scored.slice(0, MAX_ITEMS).map(({ c }) => ({
    kind: 'command' as const,
    label: `/${c.name}`,
    detail: c.argumentHint,
    description: c.description,
    insert: `/${c.name} `,
  }));
}
