// The ToolRunner behind the agentic loop: definitions for the request, and one round of calls run with
// confinement, approval and cancellation. Consecutive read-only calls run in parallel; an edit is a barrier that
// runs alone, after approval. At most MAX_CALLS_PER_ROUND calls run per round (the rest are answered is_error), at
// most MAX_PARALLEL_CALLS at once. Exactly one result per call, in order; run() never rejects.
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { nullLogger, type Logger } from '../ports';
import { Emitter, type Event } from '../lifecycle';
import { abortPromise, Approvals } from './approvals';
import { changedMessage, Confinement } from './confine';
import type { HandlerContext, ReadHandler } from './context';
import { isToolName, READ_ONLY_TOOLS, TOOL_NAMES, toolDefinitions } from './definitions';
import { describeApplied, planCreate, planEdit } from './editTools';
import { diagnosticsTool, openEditorsTool } from './editorTools';
import { forEachLimited, MAX_CALLS_PER_ROUND, MAX_PARALLEL_CALLS, overLimitMessage } from './limits';
import { ToolError } from './paths';
import { findFilesTool, listDirectoryTool, readFileTool } from './readTools';
import { searchTextTool } from './searchTool';
import { capOutput } from './text';
import { PathChangedError } from './verifiedFs';
import type { ExtraToolSource, ToolCall, ToolResult, ToolRunContext, ToolRunner, ToolStatus } from './types';
import { ExtraSources } from './extraSources';
import { DEFAULT_TOOL_SETTINGS, type Approver, type ToolSettings, type WorkspacePort } from './workspace';

export const CANCELLED = 'cancelled by user';
export const RESTRICTED_REASON =
  'Workspace tools are off because this workspace is in Restricted Mode (not trusted). Trust the workspace (Manage Workspace Trust) to let Claude read and edit its files.';
const NO_FOLDER_REASON = 'Workspace tools are off because no folder is open.';
const ALL_DISABLED_REASON = 'Workspace tools are off: no tool is enabled in the setting claudeChat.tools.enabled.';
const MIN_OUTPUT_BYTES = 1000;
const MAX_OUTPUT_BYTES = 1_000_000;

const READERS: Record<string, ReadHandler> = {
  read_file: readFileTool,
  list_directory: listDirectoryTool,
  find_files: findFilesTool,
  search_text: searchTextTool,
  get_diagnostics: diagnosticsTool,
  get_open_editors_and_selection: openEditorsTool,
};

export interface WorkspaceToolRunnerOptions {
  workspace: WorkspacePort;
  approver: Approver;
  /** Read on every definitions()/run(), so a settings change applies to the next request. */
  settings?: () => ToolSettings;
  /** Workspace trust at construction; update with setTrusted(). Default false: tools stay off until told. */
  trusted?: boolean;
  logger?: Logger;
}

interface Round {
  ctx: ToolRunContext;
  handler: HandlerContext;
  settings: ToolSettings;
  enabled: ReadonlySet<string>;
}

export class WorkspaceToolRunner implements ToolRunner {
  private trusted: boolean;
  private readonly approvals: Approvals;
  private readonly logger: Logger;
  private readonly changes = new Emitter<void>({ onListenerError: (e) => this.logger.warn(`tools: change listener failed: ${String(e)}`) });
  private readonly extras = new ExtraSources();
  /** Fires when enabled()/definitions() may have changed (trust, folders, settings: the host calls changed()). */
  readonly onDidChange: Event<void> = this.changes.event;

  constructor(private readonly opts: WorkspaceToolRunnerOptions) {
    this.trusted = opts.trusted ?? false;
    this.approvals = new Approvals(opts.approver);
    this.logger = opts.logger ?? nullLogger;
  }

  setTrusted(trusted: boolean): void {
    if (trusted === this.trusted) return;
    this.trusted = trusted;
    if (!trusted) this.approvals.clear();
    this.changed();
  }

  /** Whether tools are offered to the model now; disabledReason() says why not, for the chat to show. */
  enabled(): boolean {
    return this.disabledReason() === undefined;
  }

  disabledReason(): string | undefined {
    if (!this.trusted) return RESTRICTED_REASON;
    if (this.opts.workspace.folders().length === 0) return NO_FOLDER_REASON;
    if (this.enabledTools(this.settings()).size === 0) return ALL_DISABLED_REASON;
    return undefined;
  }

  changed(): void {
    this.changes.fire();
  }

  /** Offers another source's tools after ours (vscode.lm tools, MCP); they are off in Restricted Mode too. */
  addSource(source: ExtraToolSource): { dispose(): void } {
    return this.extras.add(source, () => this.changed());
  }

  definitions(): Tool[] {
    const own = this.enabled() ? toolDefinitions(this.enabledTools(this.settings())) : [];
    return this.trusted ? [...own, ...this.extras.definitions()] : own;
  }

  sourceOf(name: string): string | undefined {
    return this.extras.sourceOf(name);
  }

  async run(calls: ToolCall[], ctx: ToolRunContext): Promise<ToolResult[]> {
    const results: (ToolResult | undefined)[] = new Array(calls.length).fill(undefined);
    const finish = (i: number, content: string, isError: boolean, status: ToolStatus, max: number, media?: ToolResult['media']) => {
      results[i] = { toolUseId: calls[i].id, content: capOutput(content, max), isError, ...(media?.length ? { media } : {}) };
      this.status(ctx, calls[i].id, status, firstLine(content));
    };
    try {
      const reason = this.disabledReason();
      if (reason !== undefined && !this.trusted) {
        calls.forEach((_, i) => finish(i, reason, true, 'error', Number.MAX_SAFE_INTEGER));
        return results as ToolResult[];
      }
      const settings = this.settings();
      const round: Round = {
        ctx,
        settings,
        enabled: this.enabledTools(settings),
        handler: { conf: new Confinement(this.opts.workspace), port: this.opts.workspace, signal: ctx.signal, maxOutputBytes: settings.maxOutputBytes },
      };
      const done = (i: number, r: Outcome) => finish(i, r.content, r.isError, r.status, settings.maxOutputBytes, r.media);
      const runnable = Math.min(calls.length, MAX_CALLS_PER_ROUND);
      for (let k = runnable; k < calls.length; k++) finish(k, overLimitMessage(k + 1, calls.length), true, 'error', settings.maxOutputBytes);
      if (calls.length > runnable) this.logger.warn(`tools: a reply asked for ${calls.length} calls; ran the first ${runnable}`);
      let i = 0;
      while (i < runnable) {
        if (ctx.signal.aborted) break;
        const extra = this.extras.find(calls[i].name);
        if (extra) {
          // Another extension's or an MCP server's tool: asked about and run one at a time.
          const id = calls[i].id;
          results[i] = await this.extras.run(extra, calls[i], ctx, settings.maxOutputBytes, (s, d) => this.status(ctx, id, s, d));
          i++;
          continue;
        }
        if (this.isWrite(calls[i], round)) {
          done(i, await this.runWrite(calls[i], round));
          i++;
          continue;
        }
        let j = i;
        while (j < runnable && !this.isWrite(calls[j], round) && !this.extras.find(calls[j].name)) j++;
        await this.runReadBatch(calls.slice(i, j), round, (k, r) => done(i + k, r));
        i = j;
      }
    } catch (e) {
      this.logger.error(`tools: round failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
    return results.map((r, i) => {
      if (r) return r;
      const cancelled = ctx.signal.aborted;
      this.status(ctx, calls[i].id, cancelled ? 'cancelled' : 'error');
      return { toolUseId: calls[i].id, content: cancelled ? CANCELLED : 'The tool failed unexpectedly; see the Claude API Chat output.', isError: true };
    });
  }

  private isWrite(call: ToolCall, round: Round): boolean {
    return round.enabled.has(call.name) && !READ_ONLY_TOOLS.has(call.name);
  }

  /** Read-only (and unknown/disabled) calls: approvals asked one by one if needed, then run MAX_PARALLEL_CALLS at a time. */
  private async runReadBatch(calls: ToolCall[], round: Round, done: (k: number, r: Outcome) => void): Promise<void> {
    const { ctx, settings } = round;
    const approved: number[] = [];
    for (let k = 0; k < calls.length; k++) {
      const refusal = this.refusal(calls[k], round);
      if (refusal) {
        done(k, refusal);
        continue;
      }
      if (settings.autoApproveReadOnly || this.approvals.readPreApproved(ctx.conversationId)) {
        approved.push(k);
        continue;
      }
      const summary = describeCall(calls[k]);
      this.status(ctx, calls[k].id, 'pending-approval', summary);
      const a = await this.approvals.askRead({ id: calls[k].id, tool: calls[k].name, summary }, ctx.conversationId, ctx.signal);
      if (a === 'cancelled') return;
      if (a === 'approved') approved.push(k);
      else done(k, denied(a === 'unavailable' ? `${calls[k].name} needs approval (claudeChat.tools.autoApproveReadOnly is off), and none can be asked.` : `The user declined ${summary}.`));
    }
    const stop = abortPromise(ctx.signal);
    try {
      await forEachLimited(approved, MAX_PARALLEL_CALLS, async (k) => {
        if (ctx.signal.aborted) return;
        this.status(ctx, calls[k].id, 'running', describeCall(calls[k]));
        const r = await Promise.race([this.execRead(calls[k], round), stop.promise]);
        if (r !== 'cancelled') done(k, r);
      });
    } finally {
      stop.dispose();
    }
  }

  private async execRead(call: ToolCall, round: Round): Promise<Outcome> {
    try {
      const out = await READERS[call.name](call.input, round.handler);
      return typeof out === 'string' ? { content: out, isError: false, status: 'done' } : { content: out.text, media: out.media, isError: false, status: 'done' };
    } catch (e) {
      return failure(call, e, round.ctx.signal);
    }
  }

  private async runWrite(call: ToolCall, round: Round): Promise<Outcome> {
    const { ctx, handler } = round;
    let edit;
    try {
      edit = call.name === 'create_file' ? await planCreate(call.id, call.input, handler) : await planEdit(call.id, call.input, handler);
    } catch (e) {
      return failure(call, e, ctx.signal);
    }
    if (!this.approvals.editPreApproved(edit, ctx.conversationId)) {
      this.status(ctx, call.id, 'pending-approval', edit.summary, edit.protectedReason);
      let answer;
      try {
        answer = await this.approvals.askEdit(edit, ctx.conversationId, ctx.signal);
      } catch (e) {
        return { content: `Could not ask the user to approve the edit: ${errorMessage(e)}. The file was not changed.`, isError: true, status: 'error' };
      }
      if (answer === 'cancelled') return { content: CANCELLED, isError: true, status: 'cancelled' };
      if (answer === 'rejected') return denied(`The user rejected this change (${edit.summary}); the file was not changed.`);
    }
    this.status(ctx, call.id, 'running', edit.summary);
    try {
      await this.opts.workspace.applyEdit(edit); // not raced with Stop: once applying starts, report what happened
    } catch (e) {
      if (e instanceof PathChangedError) {
        this.logger.error(`tools: ${e.message}`);
        const content = e.afterWrite ? `The change to ${edit.path} was written, but the path no longer resolves to where it was checked (a folder on the way was replaced during the write). Tell the user to check ${edit.path}.` : changedMessage(edit.path, 'written');
        return { content, isError: true, status: 'error' };
      }
      return { content: `The change was approved but could not be applied: ${errorMessage(e)}. Read the file again and propose the change anew.`, isError: true, status: 'error' };
    }
    try {
      ctx.onApplied?.({ path: edit.path, before: edit.before, after: edit.after });
    } catch (e) {
      this.logger.warn(`tools: onApplied listener failed: ${errorMessage(e)}`);
    }
    return { content: describeApplied(edit), isError: false, status: 'done' };
  }

  /** Unknown or disabled tools: an is_error the model can recover from. */
  private refusal(call: ToolCall, round: Round): Outcome | undefined {
    if (!isToolName(call.name)) {
      const names = TOOL_NAMES.filter((n) => round.enabled.has(n)).join(', ');
      return { content: `Unknown tool "${call.name}". Available tools: ${names || 'none'}.`, isError: true, status: 'error' };
    }
    if (!round.enabled.has(call.name)) return { content: `The tool "${call.name}" is turned off in the settings (claudeChat.tools.enabled).`, isError: true, status: 'error' };
    if (this.opts.workspace.folders().length === 0) return { content: NO_FOLDER_REASON, isError: true, status: 'error' };
    return undefined;
  }

  private settings(): ToolSettings {
    let s: ToolSettings;
    try {
      s = this.opts.settings?.() ?? DEFAULT_TOOL_SETTINGS;
    } catch {
      s = DEFAULT_TOOL_SETTINGS;
    }
    const max = Number.isInteger(s.maxOutputBytes) ? Math.min(Math.max(s.maxOutputBytes, MIN_OUTPUT_BYTES), MAX_OUTPUT_BYTES) : DEFAULT_TOOL_SETTINGS.maxOutputBytes;
    return { enabled: s.enabled, autoApproveReadOnly: s.autoApproveReadOnly !== false, maxOutputBytes: max };
  }

  private enabledTools(s: ToolSettings): ReadonlySet<string> {
    return new Set(s.enabled === undefined ? TOOL_NAMES : s.enabled.filter(isToolName));
  }

  private status(ctx: ToolRunContext, id: string, status: ToolStatus, detail?: string, protectedReason?: string): void {
    try {
      ctx.onStatus(id, status, detail, protectedReason);
    } catch (e) {
      this.logger.warn(`tools: onStatus listener failed: ${String(e)}`);
    }
  }
}

interface Outcome {
  content: string;
  isError: boolean;
  status: ToolStatus;
  media?: ToolResult['media'];
}

function denied(content: string): Outcome {
  return { content, isError: true, status: 'denied' };
}

function failure(call: ToolCall, e: unknown, signal: AbortSignal): Outcome {
  if (signal.aborted || (e instanceof Error && e.name === 'AbortError')) return { content: CANCELLED, isError: true, status: 'cancelled' };
  if (e instanceof ToolError) return { content: e.message, isError: true, status: 'error' };
  return { content: `${call.name} failed: ${errorMessage(e)}`, isError: true, status: 'error' };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0];
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** A short description of a call for the chat card and approval prompts, e.g. read_file "src/a.ts". */
export function describeCall(call: ToolCall): string {
  const input = (typeof call.input === 'object' && call.input !== null ? call.input : {}) as Record<string, unknown>;
  const arg = [input.path, input.pattern, input.query].find((v) => typeof v === 'string') as string | undefined;
  return arg === undefined ? call.name : `${call.name} ${JSON.stringify(arg.length > 80 ? `${arg.slice(0, 79)}…` : arg)}`;
}
