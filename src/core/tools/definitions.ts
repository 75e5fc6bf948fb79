// The tool definitions sent with every request. They head the cached prefix (tools -> system -> messages), so
// their order and bytes never change between requests: plain literals, no timestamps, no settings in the text.
import type { Tool } from '@anthropic-ai/sdk/resources/messages';

export const TOOL_NAMES = [
  'read_file',
  'list_directory',
  'find_files',
  'search_text',
  'get_diagnostics',
  'get_open_editors_and_selection',
  'propose_edit',
  'create_file',
] as const;

export type ToolName = (typeof TOOL_NAMES)[number];

export const READ_ONLY_TOOLS: ReadonlySet<string> = new Set<ToolName>([
  'read_file',
  'list_directory',
  'find_files',
  'search_text',
  'get_diagnostics',
  'get_open_editors_and_selection',
]);

export function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(name);
}

const PATH_NOTE =
  'Paths are relative to the workspace root (in a multi-root workspace, start with the folder name), use forward slashes, and must stay inside the workspace.';

const path = (what: string) => ({ type: 'string', description: `${what} ${PATH_NOTE}` });

const DEFINITIONS: Record<ToolName, Tool> = {
  read_file: {
    name: 'read_file',
    description:
      'Read a UTF-8 text file from the workspace. Each output line starts with its 1-based line number and a tab; that prefix is not part of the file. Long files are truncated with a note saying how to read the rest (use start_line/end_line). Binary files are refused. Unsaved editor changes are included.',
    input_schema: {
      type: 'object',
      properties: {
        path: path('File to read.'),
        start_line: { type: 'integer', minimum: 1, description: 'First line to return (1-based, default 1).' },
        end_line: { type: 'integer', minimum: 1, description: 'Last line to return, inclusive (default: end of file).' },
      },
      required: ['path'],
      additionalProperties: false,
    },
  },
  list_directory: {
    name: 'list_directory',
    description:
      'List the entries of a workspace directory, sorted by name. Directories end with "/", symbolic links with "@". Use "." for the workspace root.',
    input_schema: {
      type: 'object',
      properties: { path: path('Directory to list (default ".").') },
      additionalProperties: false,
    },
  },
  find_files: {
    name: 'find_files',
    description:
      'Find workspace files whose path matches a glob such as "**/*.ts" or "src/**/test_*.py". Files excluded by .gitignore, files.exclude and search.exclude are skipped. Returns workspace-relative paths, sorted.',
    input_schema: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Glob relative to the workspace root: * within a name, ** across folders, ? one character, {a,b} alternatives.' },
        max_results: { type: 'integer', minimum: 1, maximum: 1000, description: 'Most paths to return (default 200).' },
      },
      required: ['pattern'],
      additionalProperties: false,
    },
  },
  search_text: {
    name: 'search_text',
    description:
      'Search the text of workspace files for a literal string or a regular expression (Rust regex syntax as in ripgrep: no look-around or back-references), line by line. Files excluded by .gitignore, files.exclude and search.exclude, secrets such as .env, binary files and files over 1 MB are skipped; symbolic links are not followed. Returns "path:line: text" lines, bounded by max_results and a time limit.',
    input_schema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Text to find (or a regular expression when is_regex is true). Matches within one line.' },
        is_regex: { type: 'boolean', description: 'Treat query as a regular expression, Rust/ripgrep syntax (default false).' },
        case_sensitive: { type: 'boolean', description: 'Match case exactly (default false).' },
        include: { type: 'string', description: 'Only search files matching this glob, e.g. "src/**/*.ts" (default: all files).' },
        max_results: { type: 'integer', minimum: 1, maximum: 500, description: 'Most matching lines to return (default 100).' },
      },
      required: ['query'],
      additionalProperties: false,
    },
  },
  get_diagnostics: {
    name: 'get_diagnostics',
    description:
      'Get the errors and warnings the editor currently reports (compiler, linter, language server) for one file, or for the whole workspace when path is omitted.',
    input_schema: {
      type: 'object',
      properties: {
        path: path('File to check (default: all workspace files).'),
        severity: { type: 'string', enum: ['error', 'warning', 'all'], description: 'Lowest severity to include: "error", "warning" (errors and warnings, the default) or "all".' },
      },
      additionalProperties: false,
    },
  },
  get_open_editors_and_selection: {
    name: 'get_open_editors_and_selection',
    description:
      "List the files visible in the user's editors, which one is active, whether they have unsaved changes, and the selected text with its line and column range. Use it to find out what \"this code\" or \"the selection\" refers to.",
    input_schema: { type: 'object', properties: {}, additionalProperties: false },
  },
  propose_edit: {
    name: 'propose_edit',
    description:
      'Propose a change to an existing workspace file. The user sees it as a diff and approves or rejects it; the result says which. Either give old_string and new_string (old_string must match the current file text exactly once, including whitespace and indentation, without read_file line-number prefixes; include enough surrounding lines to make it unique), or give content to replace the whole file. Read the file first.',
    input_schema: {
      type: 'object',
      properties: {
        path: path('File to change.'),
        old_string: { type: 'string', description: 'Exact text to replace; must occur exactly once in the file.' },
        new_string: { type: 'string', description: 'Replacement text (may be empty to delete old_string).' },
        content: { type: 'string', description: 'The complete new file text, instead of old_string/new_string.' },
      },
      required: ['path'],
      additionalProperties: false,
    },
  },
  create_file: {
    name: 'create_file',
    description:
      'Propose a new workspace file with the given content (missing parent folders are created). The user approves or rejects it; the result says which. Fails if the file exists: use propose_edit for existing files.',
    input_schema: {
      type: 'object',
      properties: {
        path: path('File to create.'),
        content: { type: 'string', description: 'The complete text of the new file.' },
      },
      required: ['path', 'content'],
      additionalProperties: false,
    },
  },
};

/** Fresh copies (callers may add cache_control) of the named definitions, always in TOOL_NAMES order. */
export function toolDefinitions(enabled: ReadonlySet<string>): Tool[] {
  return TOOL_NAMES.filter((n) => enabled.has(n)).map((n) => structuredClone(DEFINITIONS[n]));
}
