// What find_files and search_text skip in one workspace folder: files.exclude and search.exclude (the keys set to
// true) and, unless search.useIgnoreFiles is off, every .gitignore in the folder. The simple globs also go to
// findFiles as its exclude so big folders such as node_modules are never walked.
import * as vscode from 'vscode';
import { ExcludeFilter, GitIgnore } from '../../core/tools/gitignore';
import { GlobSet } from '../../core/tools/glob';
import { rgSafeGlob } from '../../core/tools/ripgrep';

export interface FolderExcludes {
  /** For workspace.findFiles: a brace list of the simple globs, or null for none. */
  excludeGlob: string | null;
  /** Folder-relative path (forward slashes) -> skipped? */
  excludes(rel: string): boolean;
}

const MAX_GITIGNORES = 500;

export function excludeGlobs(folder: vscode.WorkspaceFolder): string[] {
  const keys = (section: string) => {
    const map = vscode.workspace.getConfiguration(section, folder.uri).get<Record<string, unknown>>('exclude') ?? {};
    return Object.entries(map)
      .filter(([, v]) => v === true) // `{ when: ... }` sibling conditions are not evaluated: such keys are kept
      .map(([k]) => k);
  };
  return [...new Set([...keys('files'), ...keys('search')])];
}

/** `warn` hears about skipped globs and .gitignore lines (hostile or broken input is never fatal). */
export async function loadExcludeFilter(folder: vscode.WorkspaceFolder, token: vscode.CancellationToken, warn?: (message: string) => void): Promise<FolderExcludes> {
  const globs = excludeGlobs(folder);
  // Only plain globs go to VS Code's own search (braces or commas would break the brace list, and a class such
  // as [z-a] can fail its whole file search); every glob is applied afterwards by the linear matcher anyway.
  const simple = globs.filter((g) => rgSafeGlob(g) !== undefined);
  const excludeGlob = simple.length ? `{${simple.join(',')}}` : null;
  const gitignore = new GitIgnore(warn);
  if (vscode.workspace.getConfiguration('search', folder.uri).get<boolean>('useIgnoreFiles', true)) {
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.gitignore'), excludeGlob, MAX_GITIGNORES, token);
    const root = folder.uri.path.replace(/\/$/, '');
    const loaded = await Promise.all(
      files.map(async (uri) => {
        try {
          return { dir: uri.path.slice(root.length + 1).replace(/\/?\.gitignore$/, ''), text: Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8') };
        } catch {
          return undefined;
        }
      }),
    );
    for (const g of loaded) if (g) gitignore.add(g.dir, g.text);
  }
  const filter = new ExcludeFilter(new GlobSet(globs, warn), gitignore);
  return { excludeGlob, excludes: (rel) => filter.excludes(rel) };
}
