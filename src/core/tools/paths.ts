// Syntax of a path the model gives: refuses everything that could point outside the workspace before any file
// system call is made. Symlinks are checked afterwards, with realpath (confine.ts).
import * as posix from 'node:path/posix';
import type { RootFolder } from './workspace';

/** A failure the model can act on; its message becomes an is_error tool_result. */
export class ToolError extends Error {
  override name = 'ToolError';
}

export const MAX_PATH_LENGTH = 1024;

/** Where a path lies before symlinks are resolved: a folder and the segments below it ([] = the folder). */
export interface LexicalPath {
  folder: RootFolder;
  segments: string[];
}

/** Either resolved to one folder, or (multi-root, no folder prefix) a relative path still to be placed. */
export type ParsedPath = { kind: 'placed'; at: LexicalPath } | { kind: 'unplaced'; segments: string[] };

function refuse(input: string, why: string): never {
  throw new ToolError(`Refused path ${JSON.stringify(input.slice(0, 200))}: ${why}`);
}

/** Checks the characters and shape of `input` and splits it into clean segments. Never touches the disk. */
export function parsePath(input: unknown, folders: readonly RootFolder[], field = 'path'): ParsedPath {
  if (typeof input !== 'string') throw new ToolError(`"${field}" must be a string.`);
  if (input.length === 0) throw new ToolError(`"${field}" must not be empty (use "." for the workspace root).`);
  if (folders.length === 0) throw new ToolError('No folder is open in the editor, so there are no workspace files to use.');
  if (input.length > MAX_PATH_LENGTH) refuse(input, `longer than ${MAX_PATH_LENGTH} characters.`);
  if (/[\u0000-\u001f\u007f]/.test(input)) refuse(input, 'it contains control characters (such as NUL).');
  if (input.includes('\\')) refuse(input, 'backslashes are not accepted; use forward slashes relative to the workspace root.');
  if (/%[0-9a-fA-F]{2}/.test(input)) refuse(input, 'percent-encoded (URL-encoded) paths are not accepted; write the name literally.');
  if (input.startsWith('~')) refuse(input, '"~" (a home directory) is outside the workspace; use a workspace-relative path.');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(input)) refuse(input, 'URIs and drive letters are not accepted; use a workspace-relative path.');
  if (input.startsWith('//')) refuse(input, 'network (UNC) paths are not accepted; use a workspace-relative path.');

  const raw = input.split('/');
  for (const s of raw) {
    if (s === '..') refuse(input, '".." is not allowed: paths must stay inside the workspace.');
    // Windows drops trailing dots and spaces, so "..." or ".. " could act as "..".
    if (s !== '.' && s.length > 0 && /^[. ]+$/.test(s)) refuse(input, `the segment "${s}" is not a valid name.`);
  }
  const segments = raw.filter((s) => s !== '' && s !== '.');

  if (input.startsWith('/')) {
    const abs = posix.normalize(input);
    for (const folder of folders) {
      const root = posix.normalize(folder.path).replace(/\/+$/, '');
      if (abs === root || abs.startsWith(root + '/')) {
        return { kind: 'placed', at: { folder, segments: abs.slice(root.length).split('/').filter((s) => s !== '') } };
      }
    }
    refuse(input, 'this absolute path is outside the workspace; use a workspace-relative path.');
  }

  if (folders.length === 1) return { kind: 'placed', at: { folder: folders[0], segments } };
  if (segments.length === 0) return { kind: 'unplaced', segments };
  const named = folders.filter((f) => f.name === segments[0]);
  if (named.length > 1) refuse(input, `several workspace folders are named "${segments[0]}"; use an absolute path inside one of them.`);
  if (named.length === 1) return { kind: 'placed', at: { folder: named[0], segments: segments.slice(1) } };
  return { kind: 'unplaced', segments };
}

/** The absolute, lexical path of a placed path. */
export function joinLexical(p: LexicalPath): string {
  return p.segments.length === 0 ? p.folder.path : posix.join(p.folder.path, ...p.segments);
}

/** The path shown to the model and the user: relative, prefixed with the folder name in multi-root workspaces. */
export function displayPath(p: LexicalPath, folders: readonly RootFolder[]): string {
  const rel = p.segments.join('/');
  if (folders.length <= 1) return rel || '.';
  return rel ? `${p.folder.name}/${rel}` : p.folder.name;
}

/** True when `path` is `root` or lies below it (both canonical). */
export function isInside(path: string, root: string): boolean {
  const r = root.length > 1 ? root.replace(/\/+$/, '') : root;
  return path === r || path.startsWith(r === '/' ? '/' : r + '/');
}
