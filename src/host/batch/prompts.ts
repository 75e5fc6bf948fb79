// The questions "Review Files in Batch" asks: which files (from the palette), which instruction, and the
// confirmation with the file count, estimated tokens and the estimated cost at the batch price.
import * as vscode from 'vscode';
import { describeEstimate, describeOutputPrice } from '../../core/batch/estimate';
import type { BatchPlan } from '../../core/batch/plan';
import { BATCH_PRESETS, batchInstructionFor, batchPresetFor } from '../../core/batch/presets';

const TITLE = 'Review Files in Batch';
const CUSTOM = 'custom';

export async function pickUris(): Promise<vscode.Uri[]> {
  const picked = await vscode.window.showOpenDialog({
    title: `${TITLE}: choose files or folders`,
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: true,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: 'Review in Batch',
  });
  return picked ?? [];
}

export interface PickedInstruction {
  instruction: string;
  /** The preset answers with findings for the Problems panel. */
  findings: boolean;
}

const picked = (choice: string): PickedInstruction | undefined => {
  const instruction = batchInstructionFor(choice);
  return instruction === undefined ? undefined : { instruction, findings: batchPresetFor(choice)?.findings === true };
};

/** The instruction: given (preset id, label or custom text), else asked with a QuickPick (+ input box for custom). */
export async function pickInstruction(given?: string): Promise<PickedInstruction | undefined> {
  if (given !== undefined) return picked(given);
  const items = [
    ...BATCH_PRESETS.map((p) => ({ label: p.label, detail: p.detail, id: p.id as string })),
    { label: 'Custom instruction…', detail: 'Say what Claude should do with each file', id: CUSTOM },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: 'What should Claude do with each file? (billed at 50%, answers within 24 hours)' });
  if (!pick) return undefined;
  if (pick.id !== CUSTOM) return picked(pick.id);
  const text = await vscode.window.showInputBox({ title: TITLE, prompt: 'The instruction sent after each file', placeHolder: 'e.g. list the public API of this module' });
  return text?.trim() ? { instruction: text.trim(), findings: false } : undefined;
}

const SUBMIT = 'Submit Batch';

export async function confirmPlan(plan: BatchPlan, model: string, maxTokens: number): Promise<boolean> {
  const detail = [
    describeEstimate(plan.estimate) + '.',
    describeOutputPrice(plan.estimate, maxTokens),
    `Model: ${model}. Results usually arrive within an hour (at most 24 hours); progress shows in a notification and survives a reload.`,
    plan.notes ? `Note: ${plan.notes}.` : '',
  ].filter(Boolean).join('\n\n');
  const n = plan.requests.length;
  const choice = await vscode.window.showWarningMessage(`Send ${n === 1 ? '1 file' : `${n.toLocaleString('en-US')} files`} to Claude as a batch?`, { modal: true, detail }, SUBMIT);
  return choice === SUBMIT;
}
