// Project instruction files: which are read, in what order, how big they may be, and how they reach the model.
// Conventions: shared/reference/vscode-lm-and-conventions.md §3.
//
// Per workspace folder, in this order (later text weighs more, as Claude Code concatenates nearer and personal files
// last): AGENTS.md, CLAUDE.md, .claude/CLAUDE.md, .github/copilot-instructions.md, CLAUDE.local.md. Then nested
// AGENTS.md / CLAUDE.md files that apply to an attached or mentioned file: for each such file, the nearest one of
// each name in the folders above it (not the root, read already), outer folders first. Files are de-duplicated by
// real path (AGENTS.md is often a symlink to CLAUDE.md), and each is confined to its workspace folder by real path.
//
// Sizes: a file over 1 MB is not read; each file is cut to maxFileBytes (32 KB by default) with a note saying so;
// all files together stop at TOTAL_BYTES (128 KB), later ones are then skipped and listed as such.
// In Restricted Mode none is read: an untrusted repository's instructions are a prompt-injection vector.
import type { RepoFiles, RepoRead } from './repoFiles';
import { Confinement } from '../tools/confine';

export type InstructionSource = 'agentsMd' | 'claudeMd' | 'claudeLocalMd' | 'copilotInstructions' | 'nested';

export interface InstructionSettings {
  agentsMd: boolean;
  claudeMd: boolean;
  claudeLocalMd: boolean;
  copilotInstructions: boolean;
  nested: boolean;
  /** Kept per file; the rest is cut with a note. */
  maxFileBytes: number;
}

export const DEFAULT_INSTRUCTION_SETTINGS: InstructionSettings = {
  agentsMd: true, claudeMd: true, claudeLocalMd: true, copilotInstructions: true, nested: true, maxFileBytes: 32 * 1024,
};
export const TOTAL_BYTES = 128 * 1024;
export const MAX_NESTED = 8;

export const ROOT_FILES: readonly { rel: string; source: Exclude<InstructionSource, 'nested'> }[] = [
  { rel: 'AGENTS.md', source: 'agentsMd' },
  { rel: 'CLAUDE.md', source: 'claudeMd' },
  { rel: '.claude/CLAUDE.md', source: 'claudeMd' },
  { rel: '.github/copilot-instructions.md', source: 'copilotInstructions' },
  { rel: 'CLAUDE.local.md', source: 'claudeLocalMd' },
];
const NESTED_NAMES = ['AGENTS.md', 'CLAUDE.md'] as const;
const NESTED_SETTING: Record<(typeof NESTED_NAMES)[number], 'agentsMd' | 'claudeMd'> = { 'AGENTS.md': 'agentsMd', 'CLAUDE.md': 'claudeMd' };

export interface InstructionFile {
  source: InstructionSource;
  /** Workspace-relative path, as shown on the chip and to the model. */
  label: string;
  text: string;
  /** Size on disk in bytes. */
  size: number;
  truncated: boolean;
  real: string;
}

export interface InstructionSet {
  files: InstructionFile[];
  /** Files that exist but were not used, and why. */
  skipped: { label: string; reason: string }[];
  /** Set in Restricted Mode: nothing was read. */
  restricted: boolean;
}

function escapeAttr(s: string): string {
  return s.replace(/["<>\r\n]/g, '_');
}

/** One cached system block per file, after the user's system prompt. */
export function instructionBlock(f: InstructionFile, maxFileBytes: number): string {
  const note = f.truncated ? `\n[Only the first ${Math.round(maxFileBytes / 1024)} KB of this ${(f.size / 1024).toFixed(0)} KB file are included.]` : '';
  return `Project instructions from ${f.label} (a file in the user's workspace):\n<instructions source="${escapeAttr(f.label)}">\n${f.text.trim()}${note}\n</instructions>`;
}

/** Workspace-relative directories above `path` (a file's label), deepest first, the root excluded. */
function dirsAbove(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const out: string[] = [];
  for (let n = parts.length - 1; n >= 1; n--) out.push(parts.slice(0, n).join('/'));
  return out;
}

/**
 * Reads the instruction files that apply. `contextPaths`: workspace-relative paths of attached or mentioned files
 * (multi-root: with the folder name first), for the nested files.
 */
export async function loadInstructions(repo: RepoFiles, s: InstructionSettings, contextPaths: readonly string[], trusted: boolean): Promise<InstructionSet> {
  const set: InstructionSet = { files: [], skipped: [], restricted: !trusted };
  if (!trusted) return set;
  const folders = repo.folders();
  const confine = new Confinement(repo.port);
  const seen = new Set<string>();
  let total = 0;
  // Files are read concurrently (a send waits for this: one round of file-system calls, not one per file) and then
  // taken in order, so de-duplication and the total keep their meaning.
  const read = (folderIndex: number, rel: string) => {
    const r = repo.read(folders[folderIndex], rel, s.maxFileBytes, confine);
    r.catch(() => undefined); // awaited in order below, where a failure is thrown as before
    return r;
  };
  const take = (r: RepoRead, source: InstructionSource) => {
    if (!r.ok) {
      if (!r.missing) set.skipped.push({ label: r.display, reason: r.reason });
      return;
    }
    if (seen.has(r.real)) return;
    seen.add(r.real);
    if (!r.text.trim()) return;
    const bytes = Math.min(r.size, s.maxFileBytes);
    if (total + bytes > TOTAL_BYTES) {
      set.skipped.push({ label: r.display, reason: `the instruction files together passed ${TOTAL_BYTES / 1024} KB` });
      return;
    }
    total += bytes;
    set.files.push({ source, label: r.display, text: r.text, size: r.size, truncated: r.truncated, real: r.real });
  };
  const roots = folders.flatMap((_, i) => ROOT_FILES.filter((f) => s[f.source]).map((f) => ({ f, r: read(i, f.rel) })));
  for (const { f, r } of roots) take(await r, f.source);
  if (!s.nested) return set;
  // Nested: the nearest AGENTS.md / CLAUDE.md above each context file, outer directories first.
  // Every candidate's existence is asked at once; the nearest existing one per file and name is then chosen in order.
  const exists = new Map<string, Promise<boolean>>();
  const existsAt = (folder: number, rel: string) => {
    const key = `${folder}:${rel}`;
    if (!exists.has(key)) exists.set(key, repo.exists(folders[folder], rel, confine));
    return exists.get(key)!;
  };
  const chains: { folder: number; rels: string[] }[] = [];
  for (const p of contextPaths) {
    const placed = place(p, folders.map((f) => f.name));
    if (!placed) continue;
    for (const name of NESTED_NAMES) {
      if (!s[NESTED_SETTING[name]]) continue;
      const rels = dirsAbove(placed.rel).map((dir) => `${dir}/${name}`);
      for (const rel of rels) void existsAt(placed.folder, rel);
      chains.push({ folder: placed.folder, rels });
    }
  }
  const wanted = new Map<string, { folder: number; rel: string }>();
  for (const c of chains) {
    if (wanted.size >= MAX_NESTED) break;
    for (const rel of c.rels) {
      const key = `${c.folder}:${rel}`;
      if (wanted.has(key)) break;
      if (await existsAt(c.folder, rel)) {
        wanted.set(key, { folder: c.folder, rel });
        break;
      }
    }
  }
  const ordered = [...wanted.values()].sort((a, b) => a.folder - b.folder || a.rel.split('/').length - b.rel.split('/').length || a.rel.localeCompare(b.rel));
  const nested = ordered.map((w) => read(w.folder, w.rel));
  for (const r of nested) take(await r, 'nested');
  return set;
}

/** Which folder a label belongs to, and its path below it (single-root labels have no folder name). */
function place(label: string, names: readonly string[]): { folder: number; rel: string } | undefined {
  const path = label.replace(/:\d+(-\d+)?$/, ''); // a selection's "file:10-20"
  if (path.startsWith('/') || path.includes('..')) return undefined;
  if (names.length <= 1) return names.length ? { folder: 0, rel: path } : undefined;
  const slash = path.indexOf('/');
  const i = slash > 0 ? names.indexOf(path.slice(0, slash)) : -1;
  return i >= 0 ? { folder: i, rel: path.slice(slash + 1) } : undefined;
}
