// Files that run or configure code. An edit to one always asks, even after "allow edits for this conversation",
// and the approval shows why; anything inside .git is refused outright (hooks and config run code on every git
// command). The decision looks at every name the target has: the path as the model gave it, its real path after
// symlinks, and the protected names at the folder root that are symlinks to it (a repository can ship
// `.vscode -> cfg`, so editing cfg/tasks.json edits .vscode/tasks.json). Names compare case-insensitively, with
// Windows' trailing dots and spaces dropped, since `.VSCode` and `.vscode.` are `.vscode` on such file systems.
//
// Kept out on purpose: Makefiles, test files and other sources run only when the user runs them, like any code the
// model edits; the list holds what runs without being asked (on folder open, container build, git operations,
// entering the folder in a shell, npm install, CI with the repository's secrets) or changes how every script runs.
import * as posix from 'node:path/posix';
import type { Resolved } from './confine';
import { isInside } from './paths';
import type { WorkspacePort } from './workspace';

interface Rule {
  /** Does a normalized, folder-relative path (segments) fall under this rule? */
  matches(segments: readonly string[]): boolean;
  reason: string;
}

const anySegment = (name: string) => (s: readonly string[]) => s.includes(name);
const baseName = (...names: string[]) => (s: readonly string[]) => s.length > 0 && names.includes(s[s.length - 1]);

const RULES: Rule[] = [
  { matches: anySegment('.vscode'), reason: '.vscode holds VS Code settings, tasks and launch configurations, which can run commands (some when the folder opens).' },
  { matches: (s) => s.length > 0 && s[s.length - 1].endsWith('.code-workspace'), reason: 'A .code-workspace file holds workspace settings and tasks, which can run commands.' },
  {
    matches: (s) => s.some((x, i) => x === '.github' && s[i + 1] === 'workflows'),
    reason: 'GitHub Actions workflows run on GitHub with the repository\'s secrets.',
  },
  { matches: anySegment('.husky'), reason: 'Husky git hooks run on commit, push and other git commands.' },
  { matches: (s) => s.includes('.devcontainer') || baseName('.devcontainer.json')(s), reason: 'Dev container configuration runs commands when the container is built or opened.' },
  { matches: baseName('.envrc'), reason: 'direnv runs .envrc when a shell enters the folder.' },
  {
    matches: baseName('.npmrc', '.yarnrc', '.yarnrc.yml'),
    reason: 'Package-manager configuration can change what runs on install and for every script (e.g. node-options, script-shell, yarnPath).',
  },
];

const SCRIPTS_REASON = 'This changes the "scripts" of package.json; npm runs some of them by itself (preinstall, install, postinstall, prepare on npm install).';

/** Concrete protected locations at a folder root whose symlinks are followed (see aliases()). */
const ROOT_NAMES = ['.vscode', '.git', '.github', '.github/workflows', '.husky', '.devcontainer', '.devcontainer.json', '.envrc', '.npmrc', '.yarnrc', '.yarnrc.yml', 'package.json'];

/** A folder-relative path as compared: lower case, no empty segments, trailing dots and spaces dropped. */
export function normalizeSegments(rel: string): string[] {
  return rel
    .split('/')
    .map((s) => s.toLowerCase().replace(/[. ]+$/, (m) => (m.length === s.length ? m : '')))
    .filter((s) => s !== '' && s !== '.');
}

/** True when any of the names lies inside a .git folder (or is the .git file of a worktree or submodule). */
export function insideGit(names: readonly string[]): boolean {
  return names.some((n) => normalizeSegments(n).includes('.git'));
}

/**
 * Why an edit of a file with these folder-relative `names` must always be asked (and which name said so), or
 * undefined. `before` is undefined for a new file; a package.json whose "scripts" differ, or that does not parse
 * on either side, is protected.
 */
export function protection(names: readonly string[], before: string | undefined, after: string): { reason: string; name: string } | undefined {
  for (const name of names) {
    const segments = normalizeSegments(name);
    const rule = RULES.find((r) => r.matches(segments));
    if (rule) return { reason: rule.reason, name };
    if (segments[segments.length - 1] === 'package.json' && scriptsChanged(before, after)) return { reason: SCRIPTS_REASON, name };
  }
  return undefined;
}

function scriptsChanged(before: string | undefined, after: string): boolean {
  const scripts = (text: string | undefined): { ok: boolean; value?: string } => {
    if (text === undefined) return { ok: false };
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false };
      return { ok: true, value: JSON.stringify((parsed as Record<string, unknown>).scripts) };
    } catch {
      return { ok: false };
    }
  };
  const a = scripts(before);
  const b = scripts(after);
  return !a.ok || !b.ok || a.value !== b.value;
}

/**
 * Every folder-relative name of `r`: as given, as its real path, and through a protected root name that is a
 * symlink to it or to a folder holding it. Only the root is searched for such symlinks: that is where VS Code,
 * git, husky, dev containers, direnv and npm look.
 */
export async function namesOf(r: Resolved, port: WorkspacePort): Promise<string[]> {
  const root = posix.normalize(r.folder.path).replace(/\/+$/, '') || '/';
  const names = [posix.relative(root, r.lexical), posix.relative(r.rootReal, r.real)];
  const target = r.real.toLowerCase();
  for (const name of [...ROOT_NAMES, ...(await workspaceFiles(port, root))]) {
    let real: string;
    try {
      real = await port.realpath(posix.join(root, name));
    } catch {
      continue; // not there
    }
    if (real === posix.join(r.rootReal, name)) continue; // no symlink on the way: the names above cover it
    if (isInside(target, real.toLowerCase())) names.push(posix.join(name, r.real.slice(real.length)));
  }
  return names;
}

/** *.code-workspace entries at the folder root (symlinks included). */
async function workspaceFiles(port: WorkspacePort, root: string): Promise<string[]> {
  try {
    return (await port.readDir(root)).map((e) => e.name).filter((n) => n.toLowerCase().endsWith('.code-workspace'));
  } catch {
    return [];
  }
}
