// The ports behind the workspace tools: how core/ reaches the editor's files, diagnostics and editors, and how it
// asks the user to approve an edit. Paths are absolute POSIX-style strings in the host's namespace (a workspace
// folder's URI path); the host maps them to URIs. core/ never imports `vscode`.

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface RootFolder {
  /** The folder's name, used as a path prefix in multi-root workspaces. */
  name: string;
  /** Absolute path of the folder as the host names it (not necessarily canonical). */
  path: string;
}

export interface FileStat {
  type: EntryType;
  size: number;
}

export interface DirEntry {
  name: string;
  /** The entry itself: a symlink is reported as 'symlink', not as what it points to. */
  type: EntryType;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface DiagnosticInfo {
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  severity: Severity;
  message: string;
  source?: string;
  code?: string;
}

export interface SelectionInfo {
  /** 1-based, inclusive start and exclusive end, as editors show them. */
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  text: string;
}

export interface EditorInfo {
  path: string;
  languageId: string;
  active: boolean;
  dirty: boolean;
  selections: SelectionInfo[];
  /** 1-based visible line range. */
  visible?: { startLine: number; endLine: number };
}

export interface WorkspacePort {
  folders(): readonly RootFolder[];
  /** Canonical path with every symlink resolved. Rejects when the path does not exist. */
  realpath(path: string): Promise<string>;
  /** Metadata of the path itself (symlinks not followed); undefined when it does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  /**
   * Current text of the file as bytes: the editor's buffer when the file is open with unsaved changes. `path` is
   * canonical (it passed the confinement check); on a local disk the port opens it by descriptor and rejects with
   * PathChangedError (verifiedFs.ts) unless the open file is still the one at that path.
   */
  readFile(path: string): Promise<Uint8Array>;
  readDir(path: string): Promise<DirEntry[]>;
  /**
   * Files under `folder` matching `glob` (relative to the folder), with files.exclude, search.exclude and
   * .gitignore applied. At most `maxResults`; order unspecified.
   */
  findFiles(folder: RootFolder, glob: string, maxResults: number, signal: AbortSignal): Promise<string[]>;
  /** How search_text runs. Optional: without it, the worker fallback with the default time bound. */
  searchEngine?(): SearchEngine;
  /** For ripgrep: where `folder` lies on the local disk and what to skip; undefined when not on disk (fallback). */
  searchScope?(folder: RootFolder, signal: AbortSignal): Promise<FolderSearchScope | undefined>;
  /** Diagnostics of one file, or of every file when `path` is undefined. */
  diagnostics(path?: string): Promise<DiagnosticInfo[]>;
  openEditors(): Promise<EditorInfo[]>;
  /**
   * Applies an approved edit as one undoable step; rejects if the file no longer holds `edit.before`, and (local
   * disk) with PathChangedError if `edit.target` no longer resolves to itself just before or after the write.
   */
  applyEdit(edit: ProposedEdit): Promise<void>;
}

export interface SearchEngine {
  /** Absolute path of the ripgrep binary the host vouches for (VS Code's own); undefined = the worker fallback. */
  rgPath: string | undefined;
  /** Hard bound on one search_text call, in ms. */
  timeoutMs: number;
  /** Hears warnings worth a log line (a .gitignore line ripgrep skipped, an unreadable file). */
  warn?(message: string): void;
}

export interface FolderSearchScope {
  /** The folder's path on the local disk, in the platform's own form (ripgrep's working directory). */
  fsPath: string;
  /** files.exclude and search.exclude globs (the keys set to true), relative to the folder. */
  excludeGlobs: readonly string[];
  /** search.useIgnoreFiles: honour .gitignore (and .ignore) files. */
  useIgnoreFiles: boolean;
}

export const DEFAULT_SEARCH_TIMEOUT_MS = 10_000;

export interface ProposedEdit {
  /** Stable id: the tool_use id, so a chat card can approve or reject it. */
  id: string;
  kind: 'modify' | 'create';
  /** Workspace-relative path as shown to the user and the model. */
  path: string;
  /** Canonical absolute path the edit writes. */
  target: string;
  /** Text the edit was computed against (undefined for create). */
  before: string | undefined;
  /** Whole text after the edit. */
  after: string;
  /** The minimal change: replace [start, end) of `before` (offsets in UTF-16 code units) with `text`. */
  change: { start: number; end: number; text: string };
  /** One line for the user, e.g. "Replace 2 lines with 3 in src/a.ts". */
  summary: string;
  /**
   * Set when the file runs or configures code (.vscode, workflows, git hooks, package.json scripts…): why. Such an
   * edit is always asked, even after "allow for this conversation", and the approval shows this reason.
   */
  protectedReason?: string;
}

/** A read-only call waiting for approval (only when read-only tools are not auto-approved). */
export interface ToolApprovalRequest {
  id: string;
  tool: string;
  summary: string;
  /**
   * Set for a tool of another extension or an MCP server: where it comes from. Such a call can also be allowed for
   * the whole workspace ('workspace'), and 'always' then means this tool in this conversation.
   */
  source?: string;
}

/**
 * 'always' = approve this one and every later one of the same kind in this conversation; 'workspace' (external
 * tools only) = approve this tool from now on in this workspace.
 */
export type ApprovalDecision = 'approve' | 'reject' | 'always' | 'workspace';

export interface Approver {
  /** Shows the edit (as a diff) and resolves with the user's choice. On `signal` abort, withdraw the request. */
  approve(edit: ProposedEdit, conversationId: string, signal?: AbortSignal): Promise<ApprovalDecision>;
  /** Asks before a read-only tool runs; without it such calls are denied when auto-approval is off. */
  approveTool?(request: ToolApprovalRequest, conversationId: string, signal?: AbortSignal): Promise<ApprovalDecision>;
}

export interface ToolSettings {
  /** Names of the enabled tools; undefined = all. */
  enabled?: readonly string[];
  autoApproveReadOnly: boolean;
  /** Cap on one tool result, in UTF-8 bytes. */
  maxOutputBytes: number;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 50_000;
export const DEFAULT_TOOL_SETTINGS: ToolSettings = { autoApproveReadOnly: true, maxOutputBytes: DEFAULT_MAX_OUTPUT_BYTES };
