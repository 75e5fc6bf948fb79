// @git: the working-tree diff through the built-in Git extension's API (vscode.git, getAPI(1)). Git itself is
// never spawned from here: in a repository, git runs hooks and helpers its config names (core.fsmonitor, diff
// drivers), so only the Git extension, which follows workspace trust and git.enabled, touches it.
import * as vscode from 'vscode';
import type { GitChanges, Outcome } from '../../core/composer/ports';

/** The part of the Git extension's API used here (extensions/git/src/api/git.d.ts). */
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly untrackedChanges?: readonly { uri: vscode.Uri }[];
    readonly workingTreeChanges?: readonly { uri: vscode.Uri; status: number }[];
  };
  diff(cached?: boolean): Promise<string>;
}
interface GitApi {
  readonly repositories: readonly GitRepository[];
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

const TIMEOUT_MS = 15_000;
const UNTRACKED = 7;

function timeout<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS))]);
}

const fail = (message: string): Outcome<GitChanges> => ({ ok: false, message });

export async function gitChanges(): Promise<Outcome<GitChanges>> {
  if (vscode.workspace.getConfiguration('git').get<boolean>('enabled', true) === false) return fail('Git is turned off in this window (the git.enabled setting is false).');
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return fail('the built-in Git extension is not available (it is disabled or not installed).');
  let git: GitExtension;
  try {
    git = ext.isActive ? ext.exports : await timeout(Promise.resolve(ext.activate()));
  } catch (e) {
    return fail(`the Git extension did not start (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (!git?.enabled) return fail('the Git extension is disabled.');
  const repos = git.getAPI(1).repositories;
  const active = vscode.window.activeTextEditor?.document.uri;
  const inside = (r: GitRepository, u: vscode.Uri) => u.path === r.rootUri.path || u.path.startsWith(r.rootUri.path.replace(/\/$/, '') + '/');
  const folders = vscode.workspace.workspaceFolders ?? [];
  const repo = (active && repos.find((r) => inside(r, active))) ?? repos.find((r) => folders.some((f) => inside(r, f.uri) || inside({ rootUri: f.uri } as GitRepository, r.rootUri)));
  if (!repo) return fail(repos.length ? 'none of the open Git repositories is in this workspace.' : 'there is no Git repository in this workspace (or Git has not finished opening it).');
  try {
    const [staged, unstaged] = await timeout(Promise.all([repo.diff(true), repo.diff(false)]));
    const root = repo.rootUri.path.replace(/\/$/, '');
    // Status 7 is UNTRACKED (git.d.ts): with git.untrackedChanges "mixed" (the default) they are working-tree changes.
    const untrackedUris = [...(repo.state.untrackedChanges ?? []), ...(repo.state.workingTreeChanges ?? []).filter((c) => c.status === UNTRACKED)];
    const untracked = untrackedUris.map((c) => c.uri.path.slice(root.length + 1)).slice(0, 200);
    const parts = [
      staged.trim() && `# Staged changes\n${staged.trimEnd()}`,
      unstaged.trim() && `# Changes not staged\n${unstaged.trimEnd()}`,
      untracked.length && `# Untracked files\n${untracked.join('\n')}`,
    ].filter(Boolean);
    const name = root.split('/').pop() || root;
    return { ok: true, value: { repo: name, root, diff: parts.length ? parts.join('\n\n') : 'No uncommitted changes.' } };
  } catch (e) {
    return fail(`Git could not produce the diff (${e instanceof Error ? e.message : String(e)}).`);
  }
}
