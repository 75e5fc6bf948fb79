// propose_edit and create_file: turn the model's request into a ProposedEdit (nothing is written here), and
// describe the outcome once the user approved it and the host applied it.
import type { Resolved } from './confine';
import type { HandlerContext } from './context';
import { objectInput, str } from './input';
import { ToolError } from './paths';
import { insideGit, namesOf, protection } from './protectedPaths';
import { numbered, plural, splitLines } from './text';
import type { ProposedEdit } from './workspace';

const CONTEXT_LINES = 3;
const MAX_ECHO_LINES = 40;

export async function planEdit(id: string, raw: unknown, ctx: HandlerContext): Promise<ProposedEdit> {
  const input = objectInput('propose_edit', raw, ['path', 'old_string', 'new_string', 'content']);
  const content = str(input, 'content');
  const hasPair = input.old_string !== undefined || input.new_string !== undefined;
  if (content !== undefined && hasPair) throw new ToolError('Give either "content" (the whole new file) or "old_string" and "new_string", not both.');
  if (content === undefined && !hasPair) throw new ToolError('Give "old_string" and "new_string" (an exact replacement), or "content" (the whole new file).');
  const oldArg = content === undefined ? str(input, 'old_string', { required: true, nonEmpty: true }) : undefined;
  const newArg = content === undefined ? str(input, 'new_string', { required: true }) : undefined;
  const r = await ctx.conf.resolve(input.path, { mustExist: true });
  const names = await refuseGit(r, ctx);
  const before = await ctx.conf.readText(r);

  let change: ProposedEdit['change'];
  if (content !== undefined) {
    if (content === before) throw new ToolError(`"content" is identical to the current text of ${r.display}; nothing to change.`);
    change = minimalChange(before, content);
  } else {
    if (oldArg === newArg) throw new ToolError('"old_string" and "new_string" are identical; nothing to change.');
    change = locate(before, oldArg!, newArg!, r.display);
  }
  const after = before.slice(0, change.start) + change.text + before.slice(change.end);
  const removed = before.slice(change.start, change.end);
  const summary =
    content !== undefined
      ? `Rewrite ${r.display} (${plural(lineCount(before), 'line')} -> ${plural(lineCount(after), 'line')})`
      : `Edit ${r.display}: replace ${plural(lineCount(removed), 'line')} with ${plural(lineCount(change.text), 'line')}`;
  return withReason({ id, kind: 'modify', path: r.display, target: r.real, before, after, change, summary }, names);
}

export async function planCreate(id: string, raw: unknown, ctx: HandlerContext): Promise<ProposedEdit> {
  const input = objectInput('create_file', raw, ['path', 'content']);
  const content = str(input, 'content', { required: true });
  const r = await ctx.conf.resolve(input.path, { mustExist: false });
  if (r.exists) throw new ToolError(`${r.display} already exists. Use propose_edit to change it.`);
  const names = await refuseGit(r, ctx);
  const summary = `Create ${r.display} (${plural(lineCount(content), 'line')})`;
  return withReason({ id, kind: 'create', path: r.display, target: r.real, before: undefined, after: content, change: { start: 0, end: 0, text: content }, summary }, names);
}

/** The result the model sees after an approved edit was applied: what changed, and the changed lines as they are now. */
export function describeApplied(edit: ProposedEdit): string {
  const lines = splitLines(edit.after);
  if (edit.kind === 'create') return `Created ${edit.path} (${plural(lines.length, 'line')}) with the user's approval.`;
  const first = lineOf(edit.after, edit.change.start);
  const last = lineOf(edit.after, edit.change.start + edit.change.text.length);
  const from = Math.max(1, first - CONTEXT_LINES);
  const to = Math.min(lines.length, last + CONTEXT_LINES, from + MAX_ECHO_LINES - 1);
  const excerpt = lines.slice(from - 1, to).map((l, i) => numbered(l, from + i));
  return `Applied the edit to ${edit.path} with the user's approval. The file now has ${plural(lines.length, 'line')}; lines ${from}-${to} now read:\n${excerpt.join('\n')}`;
}

/** The one place `old` occurs (trying CRLF line ends for a CRLF file); refuses none or several. */
function locate(before: string, old: string, replacement: string, display: string): ProposedEdit['change'] {
  let target = old;
  let text = replacement;
  let at = occurrences(before, target);
  if (at.length === 0 && before.includes('\r\n') && /(^|[^\r])\n/.test(old)) {
    target = old.replace(/\r?\n/g, '\r\n');
    text = replacement.replace(/\r?\n/g, '\r\n');
    at = occurrences(before, target);
  }
  if (at.length === 0) {
    const prefixed = /^\s*\d+\t/m.test(old) ? ' It looks like it includes read_file line-number prefixes; leave those out.' : '';
    throw new ToolError(
      `"old_string" was not found in ${display}. It must match the current file text exactly, including whitespace and indentation.${prefixed} Read the file again and copy the text.`,
    );
  }
  if (at.length > 1) {
    const lines = at.slice(0, 10).map((i) => lineOf(before, i)).join(', ');
    throw new ToolError(`"old_string" occurs ${at.length} times in ${display} (at lines ${lines}${at.length > 10 ? ', …' : ''}). Include more surrounding lines so it matches exactly once.`);
  }
  return { start: at[0], end: at[0] + target.length, text };
}

function occurrences(haystack: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = haystack.indexOf(needle); i >= 0 && out.length < 1000; i = haystack.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/** The smallest [start, end) of `before` whose replacement turns it into `after` (never splitting a surrogate pair). */
export function minimalChange(before: string, after: string): ProposedEdit['change'] {
  let p = 0;
  const maxP = Math.min(before.length, after.length);
  while (p < maxP && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  if (p > 0 && isHighSurrogate(before.charCodeAt(p - 1))) p--;
  let s = 0;
  const maxS = Math.min(before.length, after.length) - p;
  while (s < maxS && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  if (s > 0 && isLowSurrogate(before.charCodeAt(before.length - s))) s--;
  return { start: p, end: before.length - s, text: after.slice(p, after.length - s) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Writes into .git could plant hooks that run code; they are never proposed. Returns every name of the target. */
async function refuseGit(r: Resolved, ctx: HandlerContext): Promise<string[]> {
  const names = await namesOf(r, ctx.port);
  if (insideGit(names)) throw new ToolError(`Refused: ${r.display} is inside a .git folder, which tools never write.`);
  return names;
}

/** Files that run or configure code: the user reviews such edits even after "allow for this conversation". */
function withReason(edit: ProposedEdit, names: string[]): ProposedEdit {
  const p = protection(names, edit.before, edit.after);
  if (p === undefined) return edit;
  const aka = p.name === names[0] ? '' : ` (${edit.path} is ${p.name} through a symbolic link.)`;
  return { ...edit, protectedReason: `${p.reason}${aka}` };
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function lineCount(text: string): number {
  return text === '' ? 0 : splitLines(text).length;
}
