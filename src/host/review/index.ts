// Review into the Problems panel: the findings collection, its Quick Fixes, and the commands.
import * as vscode from 'vscode';
import { DisposableStore, type IDisposable } from '../../core/lifecycle';
import { FindingsCollection } from './findings';
import { FindingQuickFixes } from './quickFix';

export { FindingsCollection, FINDINGS_SOURCE } from './findings';
export { reviewFindingFix } from './quickFix';
export { clearFindings, reviewFile } from './reviewCommand';
export type { ReviewDeps, ReviewFileOptions, ReviewFileResult } from './reviewCommand';

/** The collection and its Quick Fix provider on every document. */
export function createFindings(): { findings: FindingsCollection } & IDisposable {
  const store = new DisposableStore();
  const findings = store.add(new FindingsCollection());
  store.add(vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new FindingQuickFixes(findings), FindingQuickFixes.metadata));
  return { findings, dispose: () => store.dispose() };
}
