// From @-mentions to context documents: what each kind reads, and the message the user sees when it cannot.
// Paths come from the message (user input naming repository files): each is confined to the workspace by real path
// through the tools' Confinement, so a symlink out of the workspace is refused, and sizes are bounded before reading.
import type { Mention } from '../../shared/mentions';
import { fileDoc, rangeLabel, selectionDoc } from '../context/docs';
import { DEFAULT_LIMITS } from '../context/limits';
import type { ContextDoc } from '../conversation';
import { estimateTokens } from '../tokens';
import { Confinement } from '../tools/confine';
import { ToolError } from '../tools/paths';
import { truncateUtf8 } from '../tools/text';
import type { DiagnosticInfo } from '../tools/workspace';
import type { FileIndex } from './fileIndex';
import { symbolName, type ComposerHost, type ComposerSettings, type SymbolHit } from './ports';

/** At most this many mentions are read for one message. */
export const MAX_RESOLVED_MENTIONS = 20;
export const MAX_PROBLEMS = 200;

export type Resolution = { ok: true; docs: ContextDoc[] } | { ok: false; message: string };

export interface ResolveContext {
  host: ComposerHost;
  index: FileIndex;
  settings: ComposerSettings;
  /** Symbols the completion list offered, by name: the one the user picked. */
  symbols: ReadonlyMap<string, SymbolHit>;
}

class MentionError extends Error {}
const fail = (message: string): never => {
  throw new MentionError(message);
};

const token = (m: Mention) => `@${m.kind}${m.value !== undefined ? `:${m.value}` : ''}`;
const kb = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;

/** Every mention as documents, or the first one that cannot be read. Repeated mentions are read once. */
export async function resolveMentions(mentions: readonly Mention[], ctx: ResolveContext): Promise<Resolution> {
  const unique = [...new Map(mentions.map((m) => [token(m), m])).values()];
  if (unique.length > MAX_RESOLVED_MENTIONS) return { ok: false, message: `A message can mention at most ${MAX_RESOLVED_MENTIONS} things; this one mentions ${unique.length}.` };
  const docs: ContextDoc[] = [];
  const confine = new Confinement(ctx.host.workspace);
  try {
    for (const m of unique) docs.push(...(await resolveOne(m, ctx, confine)));
  } catch (e) {
    if (e instanceof MentionError) return { ok: false, message: e.message };
    throw e;
  }
  const tokens = docs.reduce((a, d) => a + estimateTokens(d.text), 0);
  const limit = ctx.settings.confirmTokens;
  if (limit > 0 && tokens > limit) {
    const ok = await ctx.host.confirm(
      `Attach about ${tokens.toLocaleString('en-US')} tokens of context?`,
      `The mentions in this message come to more than claudeChat.context.confirmTokens (${limit.toLocaleString('en-US')}). Attached context is sent with every later message of this chat (cached, but it still counts).`,
      'Attach and Send',
    );
    if (!ok) return { ok: false, message: 'Not sent: the mentioned context is larger than you allow without asking.' };
  }
  return { ok: true, docs };
}

async function resolveOne(m: Mention, ctx: ResolveContext, confine: Confinement): Promise<ContextDoc[]> {
  switch (m.kind) {
    case 'file':
      return [await file(m.value ?? '', ctx, confine)];
    case 'folder':
      return folder(m.value ?? '', ctx, confine);
    case 'selection':
      return [await selection(ctx, confine)];
    case 'problems':
      return [await problems(ctx, confine)];
    case 'symbol':
      return [await symbol(m.value ?? '', ctx, confine)];
    case 'terminal': {
      const t = await ctx.host.terminal();
      if (!t.ok) return fail(`@terminal: ${t.message}`);
      const { name, command, exitCode, output } = t.value;
      const text = `${command ? `$ ${command}\n` : ''}${output.trimEnd()}${exitCode !== undefined ? `\n[exit code ${exitCode}]` : ''}`;
      return [{ id: `terminal:${name}`, label: `Terminal: ${name}`, text, kind: 'terminal' }];
    }
    case 'git': {
      const g = await ctx.host.git();
      if (!g.ok) return fail(`@git: ${g.message}`);
      const max = ctx.settings.maxFileBytes;
      const cut = truncateUtf8(g.value.diff, max);
      const text = cut.length < g.value.diff.length ? `${cut}\n[The diff is longer than ${kb(max)}: the rest is left out.]` : cut;
      return [{ id: `git:${g.value.root}`, label: `Git changes: ${g.value.repo}`, text: text || '(no changes)', kind: 'git' }];
    }
  }
}

async function placed(value: string, what: string, confine: Confinement) {
  try {
    const r = await confine.resolve(value, { mustExist: false });
    if (!r.exists) fail(`@${what}:${value}: there is no such ${what} in the workspace.`);
    return r;
  } catch (e) {
    if (e instanceof ToolError) return fail(`@${what}:${value}: ${e.message}`);
    throw e;
  }
}

async function readFileDoc(ctx: ResolveContext, confine: Confinement, r: Awaited<ReturnType<typeof placed>>, name: string): Promise<ContextDoc> {
  const st = await ctx.host.workspace.stat(r.real);
  if (st?.type === 'directory') fail(`${name} is a folder: mention it as @folder:${r.display}`);
  if (st?.type !== 'file') fail(`${name} is not a regular file.`);
  const max = ctx.settings.maxFileBytes;
  if (st!.size > max) fail(`${name} is ${kb(st!.size)}, over the ${kb(max)} limit for attached files (claudeChat.context.maxFileKB).`);
  try {
    return fileDoc({ uri: ctx.host.uriOf(r.lexical), label: r.display, text: await confine.readText(r, max) });
  } catch (e) {
    if (e instanceof ToolError) return fail(`${name}: ${e.message}`);
    throw e;
  }
}

async function file(value: string, ctx: ResolveContext, confine: Confinement): Promise<ContextDoc> {
  return readFileDoc(ctx, confine, await placed(value, 'file', confine), `@file:${value}`);
}

/** A folder's files as the @file list has them (.gitignore and excludes honoured), at most 200, text only. */
async function folder(value: string, ctx: ResolveContext, confine: Confinement): Promise<ContextDoc[]> {
  const r = await placed(value.replace(/\/+$/, '') || '.', 'folder', confine);
  if ((await ctx.host.workspace.stat(r.real))?.type !== 'directory') fail(`@folder:${value} is not a folder: mention a file as @file:${r.display}`);
  ctx.index.snapshot();
  await ctx.index.settled();
  const prefix = r.display === '.' ? '' : `${r.display}/`;
  const paths = ctx.index.snapshot().paths.filter((p) => p.startsWith(prefix));
  const docs: ContextDoc[] = [];
  for (const p of paths.slice(0, DEFAULT_LIMITS.maxFiles)) {
    try {
      const rp = await confine.resolve(p, { mustExist: true });
      const st = await ctx.host.workspace.stat(rp.real);
      if (st?.type !== 'file' || st.size > ctx.settings.maxFileBytes) continue;
      docs.push(fileDoc({ uri: ctx.host.uriOf(rp.lexical), label: rp.display, text: await confine.readText(rp, ctx.settings.maxFileBytes) }));
    } catch {
      // binary, unreadable or replaced meanwhile: left out, as "Add to context" does
    }
  }
  if (docs.length === 0) fail(`@folder:${value}: no text files to attach there (ignored, binary or over the size limit).`);
  return docs;
}

async function activeEditor(ctx: ResolveContext) {
  return (await ctx.host.workspace.openEditors()).find((e) => e.active);
}

/** Workspace-relative label of an editor path, or its file name outside the workspace. */
async function labelOf(path: string, confine: Confinement): Promise<string> {
  return (await confine.confineHostPath(path))?.display ?? path.split('/').pop() ?? path;
}

async function selection(ctx: ResolveContext, confine: Confinement): Promise<ContextDoc> {
  const ed = await activeEditor(ctx);
  const sel = ed?.selections.find((s) => s.text.length > 0);
  if (!ed || !sel) return fail('@selection: nothing is selected in the active editor.');
  const endLine = sel.endColumn === 1 && sel.endLine > sel.startLine ? sel.endLine - 2 : sel.endLine - 1;
  const info = { uri: ctx.host.uriOf(ed.path), label: await labelOf(ed.path, confine), languageId: ed.languageId, text: sel.text };
  return selectionDoc(info, { startLine: sel.startLine - 1, endLine });
}

export function formatProblems(items: readonly (DiagnosticInfo & { display: string })[]): string {
  const lines = items.slice(0, MAX_PROBLEMS).map((d) => `${d.display}:${d.line}:${d.column} ${d.severity}${d.code ? ` ${d.code}` : ''}: ${d.message.replace(/\s*\n\s*/g, ' ')}${d.source ? ` (${d.source})` : ''}`);
  if (items.length > MAX_PROBLEMS) lines.push(`[${items.length - MAX_PROBLEMS} more not listed]`);
  return lines.join('\n');
}

/** The diagnostics of `path` (an absolute path), or of the workspace when undefined, as a context document. */
export async function problemsDoc(ctx: ResolveContext, confine: Confinement, path: string | undefined): Promise<ContextDoc | undefined> {
  const diags = await ctx.host.workspace.diagnostics(path);
  const items: (DiagnosticInfo & { display: string })[] = [];
  for (const d of diags) {
    const at = await confine.confineHostPath(d.path);
    if (at) items.push({ ...d, display: at.display });
  }
  if (items.length === 0) return undefined;
  const order = { error: 0, warning: 1, info: 2, hint: 3 };
  items.sort((a, b) => order[a.severity] - order[b.severity] || a.display.localeCompare(b.display) || a.line - b.line);
  const scope = path ? await labelOf(path, confine) : 'workspace';
  return { id: `problems:${path ?? '*'}`, label: `Problems: ${scope}`, text: formatProblems(items), kind: 'problems' };
}

async function problems(ctx: ResolveContext, confine: Confinement): Promise<ContextDoc> {
  const ed = await activeEditor(ctx);
  const doc = await problemsDoc(ctx, confine, ed?.path);
  return doc ?? fail(`@problems: no problems are reported ${ed ? `in ${await labelOf(ed.path, confine)}` : 'in the workspace'}.`);
}

async function symbol(name: string, ctx: ResolveContext, confine: Confinement): Promise<ContextDoc> {
  const hit = ctx.symbols.get(name) ?? (await ctx.host.symbols(name, 50)).find((s) => symbolName(s.name) === name);
  if (!hit) return fail(`@symbol:${name}: the workspace symbol search finds no symbol of that name.`);
  if (!(await confine.confineHostPath(hit.path))) return fail(`@symbol:${name}: it is defined outside the workspace.`);
  const body = await ctx.host.symbolBody(hit);
  if (!body) return fail(`@symbol:${name}: its source could not be read.`);
  const max = ctx.settings.maxFileBytes;
  const text = truncateUtf8(body.text, max);
  const label = await labelOf(body.path, confine);
  const doc = selectionDoc({ uri: ctx.host.uriOf(body.path), label, languageId: body.languageId, text }, { startLine: body.startLine, endLine: body.endLine });
  doc.label = `${rangeLabel(label, doc.range!)} (${name})`;
  return doc;
}
