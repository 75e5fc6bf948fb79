// Reading the chosen files and folders for a batch: folders expand through core/context/collectFiles with the
// same ignore rules (.gitignore, files.exclude, search.exclude) and per-file size limit as "Add to Context";
// only the file-count bound is larger, since each file is its own request.
import * as vscode from 'vscode';
import { BATCH_COLLECT } from '../../core/batch/limits';
import type { ReadFile } from '../../core/batch/plan';
import type { BatchFileRef } from '../../core/batch/types';
import { collectFiles, CollectResult, Target } from '../../core/context/collectFiles';
import { decodeText, looksBinary } from '../../core/context/limits';
import { labelOf, openDocument, readContextSettings, workspaceFs } from '../editor/files';
import { excludeGlobs } from '../tools/excludes';

export interface BatchFiles {
  files: ReadFile[];
  skipped: CollectResult['skipped'];
  truncated: boolean;
  maxFileKB: number;
}

interface Group {
  root: vscode.Uri;
  folder?: vscode.WorkspaceFolder;
  targets: Target[];
}

const relTo = (root: vscode.Uri, uri: vscode.Uri) => uri.path.slice(root.path.replace(/\/$/, '').length).replace(/^\/+/, '');

async function group(uris: readonly vscode.Uri[]): Promise<Group[]> {
  const groups = new Map<string, Group>();
  for (const uri of uris) {
    const stat = await vscode.workspace.fs.stat(uri);
    const kind: Target['kind'] = stat.type & vscode.FileType.Directory ? 'dir' : 'file';
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    // Outside the workspace: the item's own parent is the root, with no ignore rules above it.
    const root = folder?.uri ?? vscode.Uri.joinPath(uri, '..');
    const g = groups.get(root.toString()) ?? { root, folder, targets: [] };
    g.targets.push({ rel: relTo(root, uri), kind });
    groups.set(root.toString(), g);
  }
  return [...groups.values()];
}

/** The text files behind `uris` (on disk, or an open editor's unsaved text). */
export async function readBatchFiles(uris: readonly vscode.Uri[], token: vscode.CancellationToken, progress?: vscode.Progress<{ message?: string }>): Promise<BatchFiles> {
  const { maxFileKB } = readContextSettings();
  const out: BatchFiles = { files: [], skipped: [], truncated: false, maxFileKB };
  const ac = new AbortController();
  const sub = token.onCancellationRequested(() => ac.abort());
  try {
    for (const g of await group(uris.filter((u) => u.scheme !== 'untitled'))) {
      const r = await collectFiles(workspaceFs(g.root), g.targets, {
        excludeGlobs: g.folder ? excludeGlobs(g.folder) : [],
        useGitignore: vscode.workspace.getConfiguration('search', g.root).get<boolean>('useIgnoreFiles', true),
        limits: { maxFileBytes: maxFileKB * 1024, ...BATCH_COLLECT },
        signal: ac.signal,
        onProgress: (done, total) => progress?.report({ message: `reading ${done} of ${total} files` }),
      });
      for (const f of r.files) {
        const uri = f.rel ? vscode.Uri.joinPath(g.root, ...f.rel.split('/')) : g.root;
        const file: ReadFile = { label: labelOf(uri), uri: uri.toString(), text: f.text };
        const languageId = openDocument(uri.toString())?.languageId;
        if (languageId) file.languageId = languageId;
        out.files.push(file);
      }
      out.skipped.push(...r.skipped);
      out.truncated ||= r.truncated;
    }
  } finally {
    sub.dispose();
  }
  return out;
}

/** The current text of files from an earlier batch (for "Retry These"); gone or now binary/too large ones are skipped. */
export async function rereadFiles(refs: readonly BatchFileRef[]): Promise<BatchFiles> {
  const { maxFileKB } = readContextSettings();
  const out: BatchFiles = { files: [], skipped: [], truncated: false, maxFileKB };
  for (const ref of refs) {
    const uri = vscode.Uri.parse(ref.uri, true);
    try {
      const open = openDocument(ref.uri);
      const bytes = open ? Buffer.from(open.getText(), 'utf8') : await vscode.workspace.fs.readFile(uri);
      if (bytes.length > maxFileKB * 1024) out.skipped.push({ rel: ref.label, reason: 'tooLarge' });
      else if (looksBinary(bytes)) out.skipped.push({ rel: ref.label, reason: 'binary' });
      else out.files.push({ label: ref.label, uri: ref.uri, text: decodeText(bytes) });
    } catch {
      out.skipped.push({ rel: ref.label, reason: 'unreadable' });
    }
  }
  return out;
}
