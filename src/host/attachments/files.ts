// The attachment ports on the VS Code API: the file picker, reading files dragged from VS Code (confined to the
// workspace by real path, like the tools), opening an attachment in an editor tab, and a PDF at a page outside it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAX_INTAKE_BYTES } from '../../core/attachments/limits';
import type { AttachmentFilesPort } from '../../core/attachments/ports';
import { displayName, formatBytes, type IncomingFile, type Refusal } from '../../core/attachments/types';

const EXTENSIONS = ['png', 'jpg', 'jpeg', 'gif', 'webp', 'pdf'];

const refuse = (name: string, why: string): Refusal => ({ refused: `"${displayName(name)}" was not attached: ${why}.` });

/** Whether `child` is `parent` or inside it (both canonical, absolute). */
function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Reads one file the user chose or dragged; `confine` keeps it to the workspace's folders. */
async function readOne(uri: vscode.Uri, confine: boolean): Promise<IncomingFile | Refusal> {
  const name = path.posix.basename(uri.path) || uri.toString();
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    return refuse(name, 'it could not be found');
  }
  if (stat.type & vscode.FileType.Directory) return refuse(name, 'it is a folder; attach the images or PDFs in it one by one');
  if (confine) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return refuse(name, 'it is not in this workspace; use the attach button to pick files from elsewhere');
    if (uri.scheme === 'file') {
      try {
        const [real, root] = await Promise.all([fs.realpath(uri.fsPath), fs.realpath(folder.uri.fsPath)]);
        if (!inside(real, root)) return refuse(name, 'it resolves (through a symbolic link) to a place outside the workspace');
      } catch {
        return refuse(name, 'its real path could not be resolved');
      }
    } else if (stat.type & vscode.FileType.SymbolicLink) {
      return refuse(name, 'it is a symbolic link, which cannot be checked on this file system');
    }
  }
  if (stat.size > MAX_INTAKE_BYTES) return refuse(name, `it is ${formatBytes(stat.size)}, and attachments can be at most ${formatBytes(MAX_INTAKE_BYTES)}`);
  try {
    return { name, bytes: await vscode.workspace.fs.readFile(uri), uri: uri.toString() };
  } catch (e) {
    return refuse(name, `it could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** A URI from a drag: the renderer may name a remote file `vscode-remote://…`, which the extension host reads as `file:`. */
function parseDropped(raw: string): vscode.Uri | undefined {
  try {
    const uri = vscode.Uri.parse(raw.trim(), true);
    if (uri.scheme === 'vscode-remote' && !vscode.workspace.getWorkspaceFolder(uri)) return vscode.Uri.file(uri.path);
    return uri;
  } catch {
    return undefined;
  }
}

export function vscodeAttachmentFiles(): AttachmentFilesPort {
  return {
    pick: async () => {
      const uris = await vscode.window.showOpenDialog({
        canSelectMany: true,
        openLabel: 'Attach',
        title: 'Attach images or PDFs to the next message',
        filters: { 'Images and PDFs': EXTENSIONS, 'All files': ['*'] },
      });
      return Promise.all((uris ?? []).map((u) => readOne(u, false)));
    },
    read: async (raw) => {
      const out: (IncomingFile | Refusal)[] = [];
      for (const r of raw) {
        const uri = parseDropped(r);
        out.push(uri ? await readOne(uri, true) : refuse(r.slice(0, 80), 'it is not a file link'));
      }
      return out;
    },
    open: async ({ path: stored, uri }) => {
      let target = vscode.Uri.file(stored);
      if (uri) {
        try {
          const source = vscode.Uri.parse(uri, true);
          await vscode.workspace.fs.stat(source);
          target = source;
        } catch {
          // The source file is gone: the stored copy (what was sent) opens instead.
        }
      }
      await vscode.commands.executeCommand('vscode.open', target, { preview: true });
    },
    openPdfAt: async (stored, page) => {
      await vscode.env.openExternal(vscode.Uri.file(stored).with({ fragment: `page=${Math.max(1, Math.floor(page))}` }));
    },
  };
}

/** Whether "Add to Claude Context" should attach this file as an image or PDF (by name; the bytes decide later). */
export function looksLikeMedia(uri: vscode.Uri): boolean {
  return EXTENSIONS.includes(path.posix.extname(uri.path).slice(1).toLowerCase());
}

export { readOne as readAttachment };
