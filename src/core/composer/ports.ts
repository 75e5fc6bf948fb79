// What the composer (core/composer/service.ts) needs from the editor, beyond the workspace port of the tools. The
// host implements these with the VS Code API (host/composer/); the unit tests with fakes.
import type { Event } from '../lifecycle';
import type { Logger } from '../ports';
import type { WorkspacePort } from '../tools/workspace';
import type { CommandFileSettings } from './commandFiles';
import type { InstructionSettings } from './instructions';

/** A symbol's name without the "()" some providers add to functions (TypeScript: "greet()"). */
export function symbolName(name: string): string {
  return name.replace(/\s*\(.*\)$/, '');
}

/** A workspace symbol, as the completion list offers it. */
export interface SymbolHit {
  name: string;
  /** "function", "class"… */
  kind: string;
  container?: string;
  /** Absolute path (the port's namespace) and 0-based line of the symbol. */
  path: string;
  line: number;
}

/** A symbol's whole range and text, read for a mention. */
export interface SymbolBody {
  /** Absolute path (the port's namespace). */
  path: string;
  languageId?: string;
  /** 0-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

export interface TerminalOutput {
  /** The terminal's name. */
  name: string;
  /** The command line that produced the output, when known. */
  command?: string;
  exitCode?: number;
  output: string;
}

export interface GitChanges {
  /** Name of the repository (its folder). */
  repo: string;
  /** Root path of the repository (the port's namespace), for the document id. */
  root: string;
  diff: string;
}

export interface ComposerSettings {
  instructions: InstructionSettings;
  commands: CommandFileSettings;
  /** claudeChat.context.maxFileKB, in bytes: larger files are not attached. */
  maxFileBytes: number;
  /** claudeChat.context.confirmTokens: ask before attaching more than this many tokens (0 = never ask). */
  confirmTokens: number;
}

export interface ComposerHost {
  workspace: WorkspacePort;
  logger: Logger;
  /** Workspace trust: false in Restricted Mode. */
  trusted(): boolean;
  settings(): ComposerSettings;
  /** Instruction or prompt files, trust, or the composer settings changed: re-read them. */
  onDidChangeRepoFiles: Event<void>;
  /** Files were created or deleted, or the folders or excludes changed: the file list is stale. */
  onDidChangeFiles: Event<void>;
  /** The URI string of an absolute path of the port's namespace (for reveal and for re-reading before a send). */
  uriOf(path: string): string;
  symbols(query: string, limit: number): Promise<SymbolHit[]>;
  /** The whole body of the symbol at `hit` (its innermost enclosing document symbol). */
  symbolBody(hit: SymbolHit): Promise<SymbolBody | undefined>;
  terminal(): Promise<Outcome<TerminalOutput>>;
  git(): Promise<Outcome<GitChanges>>;
  /** A modal question with one action; true when the user chose it. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** Runs "Refactor Selection" with this instruction (or asks for one); the diff review takes it from there. */
  refactor(instruction: string): Promise<void>;
  /** One line about this session's tokens and cost (for /cost). */
  costSummary(): string;
  /**
   * CAPABILITY HOOK for /compact: the conversation-compaction engine (built separately) sets this; without it
   * /compact is not offered. It runs the compaction of the open conversation and resolves when it is done.
   */
  compact?: () => Promise<void>;
}
