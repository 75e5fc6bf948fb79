// "Add to Claude Context" on files and folders (explorer multi-select, editor tab, command palette). Folders
// expand through core/context/collectFiles with the workspace's ignore rules; a large addition asks first.
import * as vscode from 'vscode';
import { commandId } from '../commandIds';
import { collectFiles, CollectResult, describeSkipped, Target } from '../../core/context/collectFiles';
import { fileDoc } from '../../core/context/docs';
import { formatTokenCount } from '../../core/context/limits';
import { estimateTokens } from '../../core/tokens';
import type { ContextDoc } from '../../core/conversation';
import { isAbortError } from '../../core/errors';
import type { ChatApp } from '../../core/chat/chatApp';
import { excludeGlobs } from '../tools/excludes';
import { labelOf, openDocument, readContextSettings, workspaceFs } from './files';
import { looksLikeMedia, readAttachment } from '../attachments/files';

export interface AddResult {
  added: ContextDoc[];
  skipped: CollectResult['skipped'];
  truncated: boolean;
}

interface Group {
  root: vscode.Uri;
  folder?: vscode.WorkspaceFolder;
  targets: Target[];
}

/** The explorer passes (clicked, selected[]); the editor tab menu passes (uri, {groupId…}); the palette nothing. */
export function chosenUris(uri?: unknown, uris?: unknown): vscode.Uri[] {
  if (Array.isArray(uris) && uris.length > 0 && uris.every((u) => u instanceof vscode.Uri)) return uris as vscode.Uri[];
  if (uri instanceof vscode.Uri) return [uri];
  const active = vscode.window.activeTextEditor?.document.uri;
  return active ? [active] : [];
}

const relTo = (root: vscode.Uri, uri: vscode.Uri) => uri.path.slice(root.path.replace(/\/$/, '').length).replace(/^\/+/, '');

async function group(uris: readonly vscode.Uri[]): Promise<Group[]> {
  const groups = new Map<string, Group>();
  for (const uri of uris) {
    let kind: Target['kind'] = 'file';
    if (!openDocument(uri.toString())) {
      const stat = await vscode.workspace.fs.stat(uri);
      kind = stat.type & vscode.FileType.Directory ? 'dir' : 'file';
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    // Outside the workspace (or untitled): the file's own folder is the root, with no ignore rules above it.
    const root = folder?.uri ?? vscode.Uri.joinPath(uri, '..');
    const key = root.toString();
    const g = groups.get(key) ?? { root, folder, targets: [] };
    g.targets.push({ rel: relTo(root, uri), kind });
    groups.set(key, g);
  }
  return [...groups.values()];
}

async function collect(groups: Group[], maxFileKB: number, token: vscode.CancellationToken, progress: vscode.Progress<{ message?: string }>): Promise<AddResult> {
  const ac = new AbortController();
  const sub = token.onCancellationRequested(() => ac.abort());
  const out: AddResult = { added: [], skipped: [], truncated: false };
  try {
    for (const g of groups) {
      const useGitignore = vscode.workspace.getConfiguration('search', g.root).get<boolean>('useIgnoreFiles', true);
      const r = await collectFiles(workspaceFs(g.root), g.targets, {
        excludeGlobs: g.folder ? excludeGlobs(g.folder) : [],
        useGitignore,
        limits: { maxFileBytes: maxFileKB * 1024 },
        signal: ac.signal,
        onProgress: (done, total) => progress.report({ message: `reading ${done} of ${total} files` }),
      });
      for (const f of r.files) {
        const uri = f.rel ? vscode.Uri.joinPath(g.root, ...f.rel.split('/')) : g.root;
        out.added.push(fileDoc({ uri: uri.toString(), label: labelOf(uri), languageId: openDocument(uri.toString())?.languageId, text: f.text }));
      }
      out.skipped.push(...r.skipped);
      out.truncated ||= r.truncated;
    }
  } finally {
    sub.dispose();
  }
  return out;
}

export async function addFilesToContext(chat: ChatApp, uri?: unknown, uris?: unknown): Promise<AddResult | undefined> {
  const all = chosenUris(uri, uris);
  // Images and PDFs go with the next message as attachments (chips), not into the text context.
  const media = all.filter(looksLikeMedia);
  if (media.length > 0 && chat.attachments) {
    await vscode.commands.executeCommand(commandId('focus'));
    await chat.attachments.tray.addFiles(await Promise.all(media.map((u) => readAttachment(u, false))));
  }
  const chosen = chat.attachments ? all.filter((u) => !looksLikeMedia(u)) : all;
  if (chosen.length === 0 && media.length > 0) return { added: [], skipped: [], truncated: false };
  if (chosen.length === 0) {
    void vscode.window.showInformationMessage('Open a file, or right-click files or folders in the Explorer, to add them to the context.');
    return undefined;
  }
  const untitled = chosen.filter((u) => u.scheme === 'untitled').flatMap((u) => openDocument(u.toString()) ?? []);
  const onDisk = chosen.filter((u) => u.scheme !== 'untitled');
  const { maxFileKB, confirmTokens } = readContextSettings();
  let result: AddResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Adding to Claude context', cancellable: true },
      async (progress, token) => collect(await group(onDisk), maxFileKB, token, progress),
    );
  } catch (e) {
    if (isAbortError(e)) return undefined;
    void vscode.window.showErrorMessage(`Could not add to the context: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  // Untitled editors have no file to read: their text is taken as it is.
  const docs = [...untitled.map((d) => fileDoc({ uri: d.uri.toString(), label: labelOf(d.uri), languageId: d.languageId, text: d.getText() })), ...result.added];
  result.added = docs;
  const skipped = describeSkipped(result.skipped, maxFileKB);
  if (docs.length === 0) {
    void vscode.window.showWarningMessage(`Nothing was added to the context${skipped ? ` (skipped: ${skipped})` : ': no text files found'}.`);
    return { ...result, added: [] };
  }
  const tokens = docs.reduce((a, d) => a + estimateTokens(d.text), 0);
  const what = docs.length === 1 ? docs[0].label : `${docs.length} files`;
  if (confirmTokens > 0 && tokens > confirmTokens) {
    const ok = await vscode.window.showWarningMessage(
      `Add ${what} (about ${formatTokenCount(tokens)} tokens) to Claude's context?`,
      { modal: true, detail: `Attached context is sent with every message of this chat (cached, but it still counts). The threshold is claudeChat.context.confirmTokens (${confirmTokens.toLocaleString('en-US')}).` },
      'Add',
    );
    if (ok !== 'Add') return { ...result, added: [] };
  }
  chat.attachContext(docs);
  await vscode.commands.executeCommand(commandId('focus'));
  const notes = [skipped && `skipped ${skipped}`, result.truncated && 'stopped at the file limit'].filter(Boolean).join('; ');
  const msg = `Added ${what} (about ${formatTokenCount(tokens)} tokens) to Claude's context${notes ? ` — ${notes}` : ''}.`;
  if (notes) void vscode.window.showInformationMessage(msg);
  else vscode.window.setStatusBarMessage(`$(check) ${msg}`, 4000);
  return result;
}
