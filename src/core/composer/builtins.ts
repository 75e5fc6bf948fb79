// The built-in slash commands: what each offers and what it does. Commands that ask Claude build a message and the
// context it needs (the whole active file as a cached block, its problems); the others act on the chat directly.
import type { ErrorAction, ModelOption, TurnRef } from '../../shared/protocol';
import { explainMessage, fileDoc, type FileInfo, type LineRange, rangeLabel, turnRef } from '../context/docs';
import type { ContextDoc } from '../conversation';
import type { Confinement } from '../tools/confine';
import { utf8Length } from '../tools/text';
import type { EditorInfo } from '../tools/workspace';
import type { ComposerHost } from './ports';
import { problemsDoc, type ResolveContext } from './resolve';

export interface BuiltinCommand {
  name: string;
  description: string;
  argumentHint?: string;
  /** Offered only when this holds (e.g. /compact once compaction exists). */
  available?(host: ComposerHost): boolean;
  run(c: RunContext): Promise<CommandResult>;
}

/** What the chat lets a command do. */
export interface ChatActions {
  newChat(): Promise<void>;
  models(): Promise<ModelOption[]>;
  model(): string;
  setModel(id: string): Promise<void>;
  notice(message: string): void;
}

export interface RunContext {
  args: string;
  host: ComposerHost;
  chat: ChatActions;
  resolve: ResolveContext;
  confine: Confinement;
}

export type CommandResult =
  /** Send `text` as the user's message, with `docs` attached first. */
  | { kind: 'send'; text: string; docs: ContextDoc[]; ref?: TurnRef }
  | { kind: 'done' }
  | { kind: 'error'; message: string; action?: ErrorAction };

const error = (message: string): CommandResult => ({ kind: 'error', message });
const withArgs = (text: string, args: string) => (args ? `${text}\n\n${args}` : text);

interface Active {
  editor: EditorInfo;
  file: FileInfo;
  /** The whole file fits the attach limit. */
  fits: boolean;
  selection?: { text: string; lines: LineRange };
}

/** The active editor's file and selection, read as the user sees them (unsaved edits included). */
async function active(c: RunContext): Promise<Active | undefined> {
  const editor = (await c.host.workspace.openEditors()).find((e) => e.active);
  if (!editor) return undefined;
  const text = new TextDecoder().decode(await c.host.workspace.readFile(editor.path));
  const label = (await c.confine.confineHostPath(editor.path))?.display ?? editor.path.split('/').pop() ?? editor.path;
  const file: FileInfo = { uri: c.host.uriOf(editor.path), label, languageId: editor.languageId, text };
  const sel = editor.selections.find((s) => s.text.length > 0);
  const a: Active = { editor, file, fits: utf8Length(text) <= c.resolve.settings.maxFileBytes };
  if (sel) a.selection = { text: sel.text, lines: { startLine: sel.startLine - 1, endLine: sel.endColumn === 1 && sel.endLine > sel.startLine ? sel.endLine - 2 : sel.endLine - 1 } };
  return a;
}

const what = (a: Active) => (a.selection ? rangeLabel(a.file.label, a.selection.lines) : a.file.label);
const fileDocs = (a: Active) => (a.fits ? [fileDoc(a.file)] : []);
const ref = (a: Active) => (a.selection ? turnRef(a.file, a.selection.lines) : undefined);

export const BUILTINS: readonly BuiltinCommand[] = [
  {
    name: 'explain',
    description: 'Explain the selected code, the active file, or what you mention',
    argumentHint: '[what to focus on]',
    async run(c) {
      const a = await active(c);
      if (a?.selection) {
        const { lines, text } = a.selection;
        return { kind: 'send', text: withArgs(explainMessage(a.file.label, lines, a.file.languageId, text), c.args), docs: fileDocs(a), ref: ref(a) };
      }
      if (c.args) return { kind: 'send', text: `Explain ${c.args}`, docs: [] };
      if (a) return { kind: 'send', text: `Explain ${a.file.label}: what it does and how.`, docs: fileDocs(a) };
      return error('Nothing to explain: select code in an editor, or mention it (e.g. /explain @file:src/app.ts).');
    },
  },
  {
    name: 'fix',
    description: 'Fix the problems reported in the active file (@problems)',
    argumentHint: '[what is wrong]',
    async run(c) {
      const a = await active(c);
      if (!a) return c.args ? { kind: 'send', text: `Fix this: ${c.args}`, docs: [] } : error('Open the file to fix in an editor first (or say what to fix: /fix @file:src/app.ts the build fails).');
      const problems = await problemsDoc(c.resolve, c.confine, a.editor.path);
      if (!problems && !c.args) return error(`No problems are reported in ${a.file.label}. Say what to fix: /fix <what is wrong>`);
      const listed = problems ? ', listed in the attached problems' : '';
      const text = `Fix the problems in ${what(a)}${listed}. Explain each fix in a sentence and show the corrected code.`;
      return { kind: 'send', text: withArgs(text, c.args), docs: [...fileDocs(a), ...(problems ? [problems] : [])], ref: ref(a) };
    },
  },
  {
    name: 'tests',
    description: 'Write tests for the selected code or the active file',
    argumentHint: '[what to cover]',
    async run(c) {
      const a = await active(c);
      if (!a) return c.args ? { kind: 'send', text: `Write unit tests for ${c.args}`, docs: [] } : error('Open the code to test in an editor first, or mention it: /tests @file:src/app.ts');
      const text = `Write unit tests for ${what(a)} in the test framework and style this project already uses. Cover the normal cases, the edge cases and the errors.`;
      return { kind: 'send', text: withArgs(text, c.args), docs: fileDocs(a), ref: ref(a) };
    },
  },
  {
    name: 'refactor',
    description: 'Refactor the selection: the change opens as a diff to apply or reject',
    argumentHint: '[instruction]',
    async run(c) {
      await c.host.refactor(c.args);
      return { kind: 'done' };
    },
  },
  {
    name: 'compact',
    description: 'Summarize the conversation so far, to free room in the context window',
    available: (host) => typeof host.compact === 'function',
    async run(c) {
      if (!c.host.compact) return error('Compaction is not available in this version.');
      await c.host.compact();
      return { kind: 'done' };
    },
  },
  {
    name: 'clear',
    description: 'Start a new chat',
    async run(c) {
      await c.chat.newChat();
      return { kind: 'done' };
    },
  },
  {
    name: 'model',
    description: 'Show or switch the model of this chat',
    argumentHint: '[model id]',
    async run(c) {
      const models = await c.chat.models();
      const list = models.map((m) => m.id).join(', ');
      if (!c.args) {
        c.chat.notice(`This chat uses ${c.chat.model()}.${list ? ` Available: ${list}. Switch with /model <id>.` : ''}`);
        return { kind: 'done' };
      }
      const want = c.args.toLowerCase();
      const hit = models.find((m) => m.id.toLowerCase() === want || m.displayName.toLowerCase() === want);
      if (!hit) return error(`Unknown model "${c.args}".${list ? ` Available: ${list}.` : ' The model list could not be loaded.'}`);
      await c.chat.setModel(hit.id);
      c.chat.notice(`This chat now uses ${hit.id}.`);
      return { kind: 'done' };
    },
  },
  {
    name: 'cost',
    description: "Show this session's tokens and cost",
    async run(c) {
      c.chat.notice(c.host.costSummary());
      return { kind: 'done' };
    },
  },
];

export const BUILTIN_NAMES: ReadonlySet<string> = new Set(BUILTINS.map((b) => b.name));
