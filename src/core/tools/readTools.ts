// read_file, list_directory and find_files.
import { checkGlob, HandlerContext, throwIfAborted, ToolOutput } from './context';
import { MAX_READ_BYTES } from './confine';
import { MAX_INTAKE_BYTES } from '../attachments/limits';
import { sniff } from '../attachments/sniff';
import { formatBytes, LABELS } from '../attachments/types';
import { int, objectInput, str } from './input';
import { ToolError } from './paths';
import { decodeUtf8, looksBinary, numbered, plural, splitLines, utf8Length } from './text';
import type { RootFolder } from './workspace';

/** Lines returned when no end_line is given. */
export const DEFAULT_READ_LINES = 2000;
const MAX_LINE_CHARS = 2000;
const MAX_DIR_ENTRIES = 1000;
const DEFAULT_FIND_RESULTS = 200;

export async function readFileTool(raw: unknown, ctx: HandlerContext): Promise<string | ToolOutput> {
  const input = objectInput('read_file', raw, ['path', 'start_line', 'end_line']);
  const start = int(input, 'start_line', { min: 1 }) ?? 1;
  const endArg = int(input, 'end_line', { min: 1 });
  if (endArg !== undefined && endArg < start) throw new ToolError(`"end_line" (${endArg}) must not be before "start_line" (${start}).`);
  const r = await ctx.conf.resolve(input.path, { mustExist: true });
  // An image or PDF (by its bytes, not its name) comes back as itself, for the model to look at.
  const bytes = await ctx.conf.readBytes(r, Math.max(MAX_READ_BYTES, MAX_INTAKE_BYTES));
  const media = sniff(bytes);
  if (media.kind === 'image' || media.kind === 'pdf') {
    const size = media.kind === 'image' ? `, ${media.width}×${media.height}` : '';
    return { text: `${r.display}: ${LABELS[media.mediaType]}${size}, ${formatBytes(bytes.byteLength)}.`, media: [{ name: r.display, bytes }] };
  }
  if (bytes.byteLength > MAX_READ_BYTES) {
    throw new ToolError(`"${r.display}" is too large (${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB, limit ${(MAX_READ_BYTES / 1024 / 1024).toFixed(0)} MB); use search_text to find the part you need.`);
  }
  if (looksBinary(bytes)) throw new ToolError(`"${r.display}" is a binary file; only text files (and PNG, JPEG, GIF and WebP images and PDFs) can be read.`);
  const text = decodeUtf8(bytes);
  const lines = splitLines(text);
  const total = text === '' ? 0 : lines.length;
  if (total === 0) return `${r.display} is empty (0 lines).`;
  if (start > total) throw new ToolError(`"start_line" ${start} is past the end of ${r.display}, which has ${plural(total, 'line')}.`);
  const last = Math.min(endArg ?? start + DEFAULT_READ_LINES - 1, total);

  const header = `${r.display} (${plural(total, 'line')})`;
  const budget = ctx.maxOutputBytes - utf8Length(header) - 200; // room for the closing note
  const out: string[] = [];
  let used = 0;
  let shownTo = start - 1;
  for (let n = start; n <= last; n++) {
    let line = lines[n - 1];
    if (line.length > MAX_LINE_CHARS) line = `${line.slice(0, MAX_LINE_CHARS)}… [line cut at ${MAX_LINE_CHARS} characters]`;
    const entry = numbered(line, n);
    const cost = utf8Length(entry) + 1;
    if (used + cost > budget && out.length > 0) break;
    out.push(entry);
    used += cost;
    shownTo = n;
  }
  let note = '';
  if (shownTo < total && (endArg === undefined || shownTo < endArg)) {
    note = `\n[showing lines ${start}-${shownTo} of ${total}; call read_file with start_line=${shownTo + 1} to read more]`;
  }
  return `${header}\n${out.join('\n')}${note}`;
}

export async function listDirectoryTool(raw: unknown, ctx: HandlerContext): Promise<string> {
  const input = objectInput('list_directory', raw, ['path']);
  const path = str(input, 'path') ?? '.';
  const folders = ctx.conf.folders();
  if (folders.length > 1 && /^[./]*$/.test(path) && !path.startsWith('/')) {
    return `Workspace folders (${folders.length}):\n${folders.map((f) => `${f.name}/`).join('\n')}`;
  }
  const r = await ctx.conf.resolve(path, { mustExist: true });
  const st = await ctx.port.stat(r.real);
  if (st?.type !== 'directory') throw new ToolError(`"${r.display}" is not a directory; use read_file for files.`);
  const entries = (await ctx.port.readDir(r.real)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (entries.length === 0) return `${r.display}/ is empty.`;
  const shown = entries.slice(0, MAX_DIR_ENTRIES).map((e) => e.name + (e.type === 'directory' ? '/' : e.type === 'symlink' ? '@' : ''));
  const more = entries.length > shown.length ? `\n[${entries.length - shown.length} more entries not shown; use find_files with a pattern]` : '';
  return `${r.display === '.' ? '.' : r.display}/ (${plural(entries.length, 'entry', 'entries')})\n${shown.join('\n')}${more}`;
}

export async function findFilesTool(raw: unknown, ctx: HandlerContext): Promise<string> {
  const input = objectInput('find_files', raw, ['pattern', 'max_results']);
  const pattern = checkGlob(str(input, 'pattern', { required: true, nonEmpty: true }), 'pattern');
  const max = int(input, 'max_results', { min: 1, max: 1000 }) ?? DEFAULT_FIND_RESULTS;
  const { paths, outside } = await findConfined(ctx, pattern, max + 1);
  if (paths.length === 0) return `No files match "${pattern}"${outside ? ` inside the workspace` : ''}.`;
  const shown = paths.slice(0, max);
  const more = paths.length > max ? `\n[more than ${max} files match; use a narrower pattern or a larger max_results]` : '';
  const verb = shown.length === 1 && paths.length <= max ? 'matches' : 'match';
  return `${plural(shown.length, 'file')} ${verb} "${pattern}"${paths.length > max ? ' (first ones shown)' : ''}:\n${shown.join('\n')}${more}`;
}

/** Display paths of files matching `glob` in every folder (or in `folders`), confined, sorted. */
export async function findConfined(
  ctx: HandlerContext,
  glob: string,
  max: number,
  folders: readonly RootFolder[] = ctx.conf.folders(),
): Promise<{ paths: string[]; reals: Map<string, string>; outside: number }> {
  const reals = new Map<string, string>();
  let outside = 0;
  for (const folder of folders) {
    throwIfAborted(ctx.signal);
    const found = await ctx.port.findFiles(folder, glob, max, ctx.signal);
    for (const p of found) {
      const r = await ctx.conf.confineHostPath(p);
      if (r?.exists) reals.set(r.display, r.real);
      else outside++;
    }
  }
  const paths = [...reals.keys()].sort();
  return { paths, reals, outside };
}
