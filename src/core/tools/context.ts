// What every tool handler gets, and checks shared by the glob-taking tools.
import type { Confinement } from './confine';
import { ToolError } from './paths';
import type { WorkspacePort } from './workspace';
import type { IncomingFile } from '../attachments/types';

export interface HandlerContext {
  conf: Confinement;
  port: WorkspacePort;
  signal: AbortSignal;
  /** Cap on the result text, in UTF-8 bytes (the runner caps again as a backstop). */
  maxOutputBytes: number;
}

/** A result with an image or PDF besides its text (read_file on one). */
export interface ToolOutput {
  text: string;
  media: IncomingFile[];
}

/** A read-only tool: input in, result text out; throws ToolError for failures the model should see. */
export type ReadHandler = (input: unknown, ctx: HandlerContext) => Promise<string | ToolOutput>;

/** A glob from the model must stay relative to the workspace, like a path. */
export function checkGlob(glob: string, field: string): string {
  if (/[\u0000-\u001f]/.test(glob)) throw new ToolError(`"${field}" contains control characters.`);
  if (glob.startsWith('/') || glob.startsWith('~') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(glob)) {
    throw new ToolError(`"${field}" must be relative to the workspace root, e.g. "src/**/*.ts".`);
  }
  if (glob.split('/').includes('..')) throw new ToolError(`"${field}" must not contain "..": globs stay inside the workspace.`);
  if (glob.includes('\\')) throw new ToolError(`"${field}" must use forward slashes.`);
  return glob.replace(/^\.\//, '');
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    const e = new Error('cancelled');
    e.name = 'AbortError';
    throw e;
  }
}
