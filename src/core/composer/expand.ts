// Filling in a command file's body: `$ARGUMENTS` and `$1`…`$9` in .claude/commands/*.md (Claude Code), and
// `${input:…}`, `${selection}`, `${file}`… in .github/prompts/*.prompt.md (VS Code). Each body is scanned once and
// replaced text is never scanned again, so arguments that contain `$ARGUMENTS` or `${file}` stay as typed.
// Nothing here runs anything: Claude Code's "!`cmd`" lines and `@path` includes stay plain text.

/** Words of an argument string; "double" or 'single' quotes keep spaces inside one word. */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(args)) !== null && out.length < 100) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** A .claude/commands body: `$ARGUMENTS` is the whole argument text, `$1`… the words. */
export function expandClaudeCommand(body: string, args: string): string {
  const words = splitArgs(args);
  let usedAll = false;
  const out = body.replace(/\$(ARGUMENTS\b|[1-9])/g, (_m, name: string) => {
    if (name === 'ARGUMENTS') {
      usedAll = true;
      return args;
    }
    return words[Number(name) - 1] ?? '';
  });
  // As Claude Code does: arguments the body does not place are appended.
  return !usedAll && args && !/\$[1-9]/.test(body) ? `${out.trimEnd()}\n\nARGUMENTS: ${args}` : out;
}

/** What a prompt file's `${…}` variables read (from the active editor and the workspace). */
export interface PromptVariables {
  selection?: string;
  /** Workspace-relative path of the active file. */
  file?: string;
  workspaceFolder?: string;
  workspaceFolderBasename?: string;
}

/** A .prompt.md body: `${input:name[:placeholder]}` takes the argument text (the first input; others their placeholder). */
export function expandPromptFile(body: string, args: string, vars: PromptVariables): string {
  let firstInput: string | undefined;
  let usedArgs = false;
  const file = vars.file;
  const base = file?.split('/').pop();
  const values: Record<string, string | undefined> = {
    selection: vars.selection,
    selectedText: vars.selection,
    file,
    fileBasename: base,
    fileDirname: file === undefined ? undefined : file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.',
    fileBasenameNoExtension: base?.replace(/\.[^.]*$/, ''),
    workspaceFolder: vars.workspaceFolder,
    workspaceFolderBasename: vars.workspaceFolderBasename,
  };
  const out = body.replace(/\$\{([A-Za-z]+)(?::([\w.-]{1,64})(?::([^}\n]{0,200}))?)?\}/g, (whole, name: string, input?: string, placeholder?: string) => {
    if (name === 'input' && input) {
      firstInput ??= input;
      if (input === firstInput && args) {
        usedArgs = true;
        return args;
      }
      return placeholder ?? `<${input}>`;
    }
    if (input !== undefined) return whole;
    return Object.prototype.hasOwnProperty.call(values, name) ? (values[name] ?? '') : whole;
  });
  return !usedArgs && args ? `${out.trimEnd()}\n\n${args}` : out;
}
