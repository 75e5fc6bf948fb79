// "Claude: Review File": the active editor's file (or the one clicked in the explorer) reviewed in one request; the
// findings come back as schema-checked JSON and go to the Problems panel under "Claude", placed on the lines they were
// made for (dropped, and counted, where those lines changed meanwhile). Tests can pass an options object instead of
// answering prompts: executeCommand('claudeChat.reviewFile', uri, { instruction: 'security only', reveal: false }).
import * as vscode from 'vscode';
import { effortToSend, jsonMode, type ModelCapabilities } from '../../core/capabilities';
import type { UsageSink } from '../../core/chat/ports';
import { describeError, isAbortError } from '../../core/errors';
import type { Connect } from '../../core/keyRoute';
import type { Logger } from '../../core/ports';
import { describeDropped, droppedCount, type Dropped, placeFindings } from '../../core/review/reconcile';
import { runReview } from '../../core/review/request';
import { SettingsError, thinkingParam } from '../../core/requestParams';
import { usageFromApi } from '../../shared/usage';
import { commandId } from '../commandIds';
import { readSettings } from '../config';
import { labelOf } from '../editor/files';
import type { FindingsCollection } from './findings';

export interface ReviewDeps {
  keys: { resolve(): Promise<{ key: string | undefined }> };
  connect: Connect;
  models: { resolve(model: string): Promise<ModelCapabilities> };
  findings: FindingsCollection;
  usage?: UsageSink;
  logger: Logger;
}

export interface ReviewFileOptions {
  instruction?: string;
  /** Show the Problems panel afterwards (default true). */
  reveal?: boolean;
}

export interface ReviewFileResult {
  uri: vscode.Uri;
  shown: number;
  dropped: Dropped;
  /** Set when there were no usable findings: why. */
  error?: string;
}

function target(args: readonly unknown[]): { uri?: vscode.Uri; options: ReviewFileOptions } {
  const uri = args.find((a): a is vscode.Uri => a instanceof vscode.Uri) ?? vscode.window.activeTextEditor?.document.uri;
  const options = (args.find((a) => a && typeof a === 'object' && !(a instanceof vscode.Uri) && !Array.isArray(a)) ?? {}) as ReviewFileOptions;
  return { uri, options };
}

export async function reviewFile(deps: ReviewDeps, ...args: unknown[]): Promise<ReviewFileResult | undefined> {
  const { uri, options } = target(args);
  if (!uri) {
    void vscode.window.showInformationMessage('Open a file (or pick one in the Explorer) to review it with Claude.');
    return undefined;
  }
  const { key } = await deps.keys.resolve();
  if (!key) {
    const choice = await vscode.window.showErrorMessage('No API key is set. Run "Claude: Set API Key" to add one.', 'Set API Key');
    if (choice) await vscode.commands.executeCommand(commandId('setApiKey'));
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const label = labelOf(uri);
  const reviewed = doc.getText();
  if (!reviewed.trim()) {
    void vscode.window.showInformationMessage(`${label} is empty: nothing to review.`);
    return undefined;
  }
  const s = readSettings();
  let outcome;
  try {
    const caps = await deps.models.resolve(s.model);
    const thinking = thinkingParam(s);
    outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Claude is reviewing ${label}…`, cancellable: true },
      async (_p, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          return await runReview(
            await deps.connect(key, s.baseURL),
            { label, languageId: doc.languageId, text: reviewed },
            { model: s.model, maxTokens: s.maxTokens, mode: jsonMode(caps, s.thinking), instruction: options.instruction, cacheTtl: s.cacheTtl, thinking, effort: effortToSend(caps, s.effort) },
            ac.signal,
          );
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (e) {
    if (isAbortError(e)) return undefined;
    const message = e instanceof SettingsError ? e.message : describeError(e).message;
    deps.logger.warn(`review failed: ${message}`);
    void vscode.window.showErrorMessage(`Review of ${label} failed: ${message}`);
    return { uri, shown: 0, dropped: { changed: 0, outOfRange: 0, otherFile: 0, malformed: 0 }, error: message };
  }
  deps.usage?.record(usageFromApi(outcome.usage, { model: s.model, batch: false, at: Date.now(), kind: 'command' }));
  if (outcome.kind === 'invalid') {
    void vscode.window.showErrorMessage(`Review of ${label}: ${outcome.message}`);
    return { uri, shown: 0, dropped: { changed: 0, outOfRange: 0, otherFile: 0, malformed: 0 }, error: outcome.message };
  }
  // The document may have been edited while Claude was reviewing it: place each finding on its lines now.
  const current = await vscode.workspace.openTextDocument(uri);
  const { placed, dropped } = placeFindings(outcome.findings, label, reviewed, current.getText(), outcome.malformed);
  deps.findings.set(uri, placed, current);
  const note = describeDropped(dropped);
  const found = placed.length === 0 ? `Claude found no problems in ${label}` : `Claude found ${placed.length} problem${placed.length === 1 ? '' : 's'} in ${label}`;
  const message = `${found}${note ? ` (${note})` : ''}.`;
  if (droppedCount(dropped)) void vscode.window.showWarningMessage(message);
  else vscode.window.setStatusBarMessage(`$(check) ${message}`, 6000);
  if (placed.length && options.reveal !== false) await vscode.commands.executeCommand('workbench.actions.view.problems');
  return { uri, shown: placed.length, dropped };
}

/** "Claude: Clear Claude Findings": the given or active file's findings, or (with neither) all of them. */
export function clearFindings(findings: FindingsCollection, ...args: unknown[]): number {
  const uri = args.find((a): a is vscode.Uri => a instanceof vscode.Uri) ?? vscode.window.activeTextEditor?.document.uri;
  if (uri && findings.get(uri).length) {
    const n = findings.get(uri).length;
    findings.clear(uri);
    vscode.window.setStatusBarMessage(`Cleared Claude's findings for ${labelOf(uri)}`, 3000);
    return n;
  }
  const files = findings.clearAll();
  vscode.window.setStatusBarMessage(files ? `Cleared Claude's findings in ${files} file${files === 1 ? '' : 's'}` : 'There are no Claude findings to clear', 3000);
  return files;
}
