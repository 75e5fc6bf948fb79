// "Refactor Selection": pick what to do, send a one-shot structured-output request with a cancellable progress
// notification, record its usage, and hand the proposal to the review (diff + Apply/Reject).
import * as vscode from 'vscode';
import { commandId } from '../commandIds';
import type { ApiKeyService } from '../../core/apiKey';
import { instructionFor, REFACTOR_PRESETS } from '../../core/editor/presets';
import { RefactorOutcome, runRefactor } from '../../core/editor/refactor';
import { describeError, isAbortError } from '../../core/errors';
import { effortToSend, jsonMode, type ModelCapabilities } from '../../core/capabilities';
import { SettingsError, thinkingParam } from '../../core/requestParams';
import type { Connect } from '../../core/keyRoute';
import type { Logger } from '../../core/ports';
import { usageFromApi } from '../../shared/usage';
import type { UsageSink } from '../../core/chat/ports';
import { readSettings } from '../config';
import { editorWithSelection, selectionLines } from './explain';
import { labelOf } from './files';
import { RefactorReview } from './refactorReview';

export interface RefactorDeps {
  keys: ApiKeyService;
  /** KeyRoute.client: the host is allowed before the key goes anywhere but the Anthropic API. */
  connect: Connect;
  usage?: UsageSink;
  logger: Logger;
  review: RefactorReview;
  /** The capability table: structured output where the model has it, a forced tool only where it is accepted. */
  models: { resolve(model: string): Promise<ModelCapabilities> };
}

const CUSTOM = 'custom';

/** The instruction: a preset id or custom text passed by the caller, else asked with a QuickPick. */
async function askInstruction(given?: unknown): Promise<string | undefined> {
  if (typeof given === 'string' && given.trim()) return instructionFor(given.trim());
  const items = [
    ...REFACTOR_PRESETS.map((p) => ({ label: p.label, detail: p.detail, id: p.id as string })),
    { label: 'Custom instruction…', detail: 'Say what to change', id: CUSTOM },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Refactor with Claude', placeHolder: 'What should Claude do with the selection?' });
  if (!pick) return undefined;
  if (pick.id !== CUSTOM) return instructionFor(pick.id);
  const text = await vscode.window.showInputBox({ title: 'Refactor with Claude', prompt: 'What should change in the selected code?', placeHolder: 'e.g. use async/await instead of callbacks' });
  return text?.trim() || undefined;
}

export async function refactorSelection(deps: RefactorDeps, given?: unknown): Promise<RefactorOutcome | undefined> {
  const editor = editorWithSelection('refactor it');
  if (!editor) return undefined;
  const doc = editor.document;
  const selection = editor.selection;
  const instruction = await askInstruction(given);
  if (!instruction) return undefined;
  const { key } = await deps.keys.resolve();
  if (!key) {
    const choice = await vscode.window.showErrorMessage('No API key is set. Run "Claude: Set API Key" to add one.', 'Set API Key');
    if (choice) await vscode.commands.executeCommand(commandId('setApiKey'));
    return undefined;
  }
  // The snapshot the proposal is made against; the review checks it again before writing anything.
  const snapshot = { version: doc.version, text: doc.getText(), start: doc.offsetAt(selection.start), end: doc.offsetAt(selection.end) };
  const label = labelOf(doc.uri);
  const s = readSettings();
  const lines = selectionLines(selection);
  let outcome: RefactorOutcome;
  try {
    const caps = await deps.models.resolve(s.model);
    const thinking = thinkingParam(s);
    const mode = jsonMode(caps, s.thinking);
    const effort = effortToSend(caps, s.effort);
    outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Claude is refactoring ${label}…`, cancellable: true },
      async (_progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          return await runRefactor(
            await deps.connect(key, s.baseURL),
            {
              model: s.model,
              maxTokens: s.maxTokens,
              cacheTtl: s.cacheTtl,
              file: { label, languageId: doc.languageId, text: snapshot.text },
              selection: { text: snapshot.text.slice(snapshot.start, snapshot.end), ...lines },
              instruction,
              mode,
              thinking,
              effort,
            },
            ac.signal,
          );
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (e) {
    if (isAbortError(e)) {
      vscode.window.setStatusBarMessage('Refactor cancelled', 3000);
      return undefined;
    }
    const message = e instanceof SettingsError ? e.message : describeError(e).message;
    deps.logger.warn(`refactor failed: ${message}`);
    void vscode.window.showErrorMessage(`Refactor failed: ${message}`);
    return undefined;
  }
  deps.usage?.record(usageFromApi(outcome.usage, { model: s.model, batch: false, at: Date.now(), kind: 'command' }));
  if (outcome.kind === 'noProposal') {
    void vscode.window.showErrorMessage(`Refactor of ${label}: ${outcome.message}`);
    return outcome;
  }
  await deps.review.open({ uri: doc.uri, label, ...snapshot, replacement: outcome.replacement, rationale: outcome.rationale });
  return outcome;
}
