// get_diagnostics and get_open_editors_and_selection: what the editor knows, limited to workspace files.
import type { HandlerContext } from './context';
import { objectInput, oneOf } from './input';
import { plural } from './text';
import type { DiagnosticInfo, Severity } from './workspace';

const MAX_DIAGNOSTICS = 300;
const MAX_SELECTION_CHARS = 4000;
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export async function diagnosticsTool(raw: unknown, ctx: HandlerContext): Promise<string> {
  const input = objectInput('get_diagnostics', raw, ['path', 'severity']);
  const level = oneOf(input, 'severity', ['error', 'warning', 'all'] as const) ?? 'warning';
  const worst = level === 'error' ? 0 : level === 'warning' ? 1 : 3;
  let scope = 'the workspace';
  let found: { display: string; d: DiagnosticInfo }[];
  if (input.path !== undefined) {
    const r = await ctx.conf.resolve(input.path, { mustExist: true });
    scope = r.display;
    found = (await ctx.port.diagnostics(r.lexical)).map((d) => ({ display: r.display, d }));
  } else {
    found = [];
    const displays = new Map<string, string | undefined>();
    for (const d of await ctx.port.diagnostics()) {
      if (!displays.has(d.path)) displays.set(d.path, (await ctx.conf.confineHostPath(d.path))?.display);
      const display = displays.get(d.path);
      if (display !== undefined) found.push({ display, d }); // files outside the workspace are not reported
    }
  }
  const kept = found
    .filter((x) => RANK[x.d.severity] <= worst)
    .sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : a.d.line - b.d.line || a.d.column - b.d.column));
  if (kept.length === 0) return `No ${level === 'all' ? 'problems' : level === 'error' ? 'errors' : 'errors or warnings'} reported for ${scope}.`;
  const counts = (['error', 'warning', 'info', 'hint'] as const)
    .map((s) => [s, kept.filter((x) => x.d.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => plural(n, s === 'info' ? 'info' : s, s === 'info' ? 'infos' : undefined))
    .join(', ');
  const lines = kept.slice(0, MAX_DIAGNOSTICS).map(({ display, d }) => {
    const code = d.code ? ` ${d.code}` : '';
    const source = d.source ? ` (${d.source})` : '';
    return `${display}:${d.line}:${d.column} ${d.severity}${code}: ${d.message.replace(/\s*\n\s*/g, ' ')}${source}`;
  });
  const more = kept.length > MAX_DIAGNOSTICS ? `\n[${kept.length - MAX_DIAGNOSTICS} more not shown; ask for one file]` : '';
  return `${counts} in ${scope}:\n${lines.join('\n')}${more}`;
}

export async function openEditorsTool(raw: unknown, ctx: HandlerContext): Promise<string> {
  objectInput('get_open_editors_and_selection', raw, []);
  const editors = await ctx.port.openEditors();
  if (editors.length === 0) return 'No editors are open.';
  const out: string[] = [];
  for (const e of [...editors].sort((a, b) => Number(b.active) - Number(a.active))) {
    const r = await ctx.conf.confineHostPath(e.path);
    const flags = [e.languageId, e.dirty ? 'unsaved changes' : ''].filter(Boolean).join(', ');
    if (!r) {
      out.push(`${e.active ? 'Active editor' : 'Editor'}: a file outside the workspace (${flags}); its content is not shared.`);
      continue;
    }
    out.push(`${e.active ? 'Active editor' : 'Editor'}: ${r.display} (${flags})`);
    if (e.visible) out.push(`  visible lines ${e.visible.startLine}-${e.visible.endLine}`);
    for (const s of e.selections) {
      const range = `${s.startLine}:${s.startColumn}-${s.endLine}:${s.endColumn}`;
      if (s.text === '') {
        out.push(`  cursor at ${s.startLine}:${s.startColumn}`);
        continue;
      }
      const text = s.text.length > MAX_SELECTION_CHARS ? `${s.text.slice(0, MAX_SELECTION_CHARS)}\n[selection cut at ${MAX_SELECTION_CHARS} characters]` : s.text;
      out.push(`  selection ${range}:`, '  ```', ...text.split(/\r?\n/).map((l) => `  ${l}`), '  ```');
    }
  }
  return out.join('\n');
}
