// "Claude: Review Files in Batch": from the explorer (clicked uri, selected uris[]) or the palette (an open
// dialog). Reads the files, asks for the instruction, shows the estimate and asks to confirm, then submits.
// Tests and other callers can pass options instead of answering prompts:
//   executeCommand('claudeChat.reviewFilesInBatch', uris, { instruction: 'code review', confirm: true, pollMs: 50 })
import * as vscode from 'vscode';
import { pollSchedule } from '../../core/batch/schedule';
import type { BatchFileRef } from '../../core/batch/types';
import { isAbortError } from '../../core/errors';
import { jsonMode } from '../../core/capabilities';
import { readSettings } from '../config';
import { readBatchFiles } from './files';
import { pickInstruction, pickUris } from './prompts';
import type { BatchRunResult, BatchService } from './service';

export interface ReviewOptions {
  /** Preset id or label ("review", "code review", "explain", "bugs", "docstrings") or a custom instruction. */
  instruction?: string;
  /** true: submit without the confirmation dialog. */
  confirm?: boolean;
  /** Poll every this many ms instead of the 2 s -> 60 s backoff. */
  pollMs?: number;
  /** false: do not open the report (default true). */
  openReport?: boolean;
  /** Findings for the Problems panel (true) or Markdown (false); default: what the preset does (review, bugs: findings). */
  findings?: boolean;
}

export interface ReviewStarted {
  batchId: string;
  /** custom_id -> file. */
  files: Record<string, BatchFileRef>;
  /** Settles when the batch has ended and the report is open (or tracking stopped/failed). */
  done: Promise<BatchRunResult>;
}

/** Explorer: (clicked, selected[]); tests: (uris[], options); palette: nothing. */
export function parseArgs(args: readonly unknown[]): { uris: vscode.Uri[]; options: ReviewOptions } {
  let single: vscode.Uri[] = [];
  let many: vscode.Uri[] | undefined;
  let options: ReviewOptions = {};
  for (const a of args) {
    if (a instanceof vscode.Uri) single = [...single, a];
    else if (Array.isArray(a) && a.length > 0 && a.every((u) => u instanceof vscode.Uri)) many = a as vscode.Uri[];
    else if (a && typeof a === 'object' && !Array.isArray(a)) options = { ...options, ...(a as ReviewOptions) };
  }
  return { uris: many ?? single, options };
}

export async function reviewFilesInBatch(service: BatchService, ...args: unknown[]): Promise<ReviewStarted | undefined> {
  const { uris: given, options } = parseArgs(args);
  const uris = given.length ? given : await pickUris();
  if (uris.length === 0) return undefined;
  const chosen = await pickInstruction(options.instruction);
  if (!chosen) return undefined;
  const instruction = chosen.instruction;
  const settings = readSettings();
  // Batch requests carry no thinking, so a forced tool is fine wherever the model accepts one.
  const findings = (options.findings ?? chosen.findings) ? jsonMode(await service.capabilities(settings.model), 'off') : undefined;
  let read;
  try {
    read = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Reading files for the batch', cancellable: true },
      (progress, token) => readBatchFiles(uris, token, progress),
    );
  } catch (e) {
    if (!isAbortError(e)) void vscode.window.showErrorMessage(`Could not read the files: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const track = { openReport: options.openReport, schedule: options.pollMs && options.pollMs > 0 ? pollSchedule({ everyMs: options.pollMs }) : undefined };
  const { outcome, done } = await service.submit(
    { ...read, instruction, model: settings.model, maxTokens: settings.maxTokens, book: service.prices, findings },
    settings.baseURL,
    { ...track, confirmed: options.confirm === true },
  );
  if (outcome.kind !== 'submitted' || !done) return undefined;
  return { batchId: outcome.pending.id, files: outcome.pending.files, done };
}
