// User-defined slash commands from the repository: .github/prompts/*.prompt.md (VS Code prompt files) and
// .claude/commands/**/*.md (Claude Code commands). Of the front matter only `name` (prompt files), `description`,
// `argument-hint` and `model` are honoured; keys that would widen what the model may do (`tools`,
// `allowed-tools`, `agent`, `mode`) are ignored and listed as ignored. Not read at all in Restricted Mode.
import { isCommandName } from '../../shared/mentions';
import { Confinement } from '../tools/confine';
import { parseFrontMatter } from './frontMatter';
import type { RepoFiles } from './repoFiles';

export type CommandSource = 'prompt' | 'claude';

export interface UserCommand {
  name: string;
  description: string;
  source: CommandSource;
  /** Workspace-relative path of the file. */
  path: string;
  argumentHint?: string;
  /** The model the file asks for (a well-formed id), used for that request only. */
  model?: string;
  body: string;
  /** Front matter keys present but not honoured. */
  ignored: string[];
}

export interface CommandFileSettings {
  promptFiles: boolean;
  claudeCommands: boolean;
}

export const MAX_COMMAND_FILE_BYTES = 64 * 1024;
export const MAX_COMMAND_FILES = 200;
const MAX_DEPTH = 3;
const HONOURED = new Set(['name', 'description', 'argument-hint', 'model']);
const MODEL_ID = /^[A-Za-z0-9][\w.:@/-]{0,127}$/;

/** One command from a file's text; undefined when its name is not usable. */
export function commandFromFile(source: CommandSource, path: string, text: string): UserCommand | undefined {
  const fm = parseFrontMatter(text);
  const file = path.split('/').pop() ?? path;
  const stem = source === 'prompt' ? file.replace(/\.prompt\.md$/i, '') : file.replace(/\.md$/i, '');
  const asked = source === 'prompt' ? fm.attrs.get('name')?.trim() : undefined;
  const name = asked && isCommandName(asked) ? asked : stem;
  if (!isCommandName(name)) return undefined;
  const oneLine = (s: string | undefined) => s?.replace(/\s+/g, ' ').trim().slice(0, 200) || undefined;
  const model = fm.attrs.get('model')?.trim();
  const cmd: UserCommand = {
    name,
    description: oneLine(fm.attrs.get('description')) ?? `${source === 'prompt' ? 'Prompt file' : 'Claude command'} ${path}`,
    source,
    path,
    body: fm.body,
    ignored: [...fm.attrs.keys()].filter((k) => !HONOURED.has(k)),
  };
  const hint = oneLine(fm.attrs.get('argument-hint'));
  if (hint) cmd.argumentHint = hint;
  if (model && MODEL_ID.test(model)) cmd.model = model;
  else if (model) cmd.ignored.push('model');
  if (fm.warning) cmd.description = `${cmd.description} (${fm.warning})`;
  return cmd;
}

export interface LoadedCommands {
  commands: UserCommand[];
  /** Files not offered, and why (bad name, too large, duplicate). */
  skipped: { path: string; reason: string }[];
}

/**
 * Every command file of every workspace folder; the first of a name wins (prompt files before Claude commands,
 * folders in order), and names in `reserved` (the built-in commands) are never taken.
 */
export async function loadCommandFiles(repo: RepoFiles, s: CommandFileSettings, reserved: ReadonlySet<string>, trusted: boolean): Promise<LoadedCommands> {
  const out: LoadedCommands = { commands: [], skipped: [] };
  if (!trusted) return out;
  const confine = new Confinement(repo.port);
  const folders = repo.folders();
  const taken = new Set<string>();
  const files: { folder: number; rel: string; source: CommandSource }[] = [];
  for (let i = 0; i < folders.length; i++) {
    if (s.promptFiles) {
      for (const e of await repo.list(folders[i], '.github/prompts', confine)) {
        if (e.type === 'file' && /\.prompt\.md$/i.test(e.name)) files.push({ folder: i, rel: `.github/prompts/${e.name}`, source: 'prompt' });
      }
    }
    if (s.claudeCommands) {
      const walk = async (rel: string, depth: number) => {
        for (const e of await repo.list(folders[i], rel, confine)) {
          if (files.length >= MAX_COMMAND_FILES) return;
          if (e.type === 'directory' && depth < MAX_DEPTH) await walk(`${rel}/${e.name}`, depth + 1);
          else if (e.type === 'file' && /\.md$/i.test(e.name)) files.push({ folder: i, rel: `${rel}/${e.name}`, source: 'claude' });
        }
      };
      await walk('.claude/commands', 1);
    }
  }
  files.sort((a, b) => a.folder - b.folder || (a.source === b.source ? a.rel.localeCompare(b.rel) : a.source === 'prompt' ? -1 : 1));
  for (const f of files.slice(0, MAX_COMMAND_FILES)) {
    const r = await repo.read(folders[f.folder], f.rel, MAX_COMMAND_FILE_BYTES, confine);
    if (!r.ok) {
      if (!r.missing) out.skipped.push({ path: r.display, reason: r.reason });
      continue;
    }
    if (r.truncated) {
      out.skipped.push({ path: r.display, reason: `larger than ${MAX_COMMAND_FILE_BYTES / 1024} KB` });
      continue;
    }
    const cmd = commandFromFile(f.source, r.display, r.text);
    if (!cmd) out.skipped.push({ path: r.display, reason: 'its name is not a valid command name (letters, digits, ".", "_", "-")' });
    else if (reserved.has(cmd.name)) out.skipped.push({ path: r.display, reason: `/${cmd.name} is a built-in command` });
    else if (taken.has(cmd.name)) out.skipped.push({ path: r.display, reason: `/${cmd.name} is already defined by another file` });
    else {
      taken.add(cmd.name);
      out.commands.push(cmd);
    }
  }
  return out;
}
