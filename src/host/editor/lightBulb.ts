// The light bulb on a non-empty selection: "Explain with Claude" and "Refactor with Claude". (The chat's buttons on
// a code block in a reply are another thing: host/codeBlockActions.ts.)
import * as vscode from 'vscode';
import { commandId } from '../commandIds';

export const EXPLAIN_KIND = vscode.CodeActionKind.Empty;
export const REFACTOR_KIND = vscode.CodeActionKind.RefactorRewrite.append('claude');

export class LightBulbActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [EXPLAIN_KIND, REFACTOR_KIND] };

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (range.isEmpty || !document.getText(range).trim()) return [];
    const out: vscode.CodeAction[] = [];
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);
    if (wants(EXPLAIN_KIND)) {
      const explain = new vscode.CodeAction('Explain with Claude', EXPLAIN_KIND);
      explain.command = { command: commandId('explainSelection'), title: 'Explain with Claude' };
      out.push(explain);
    }
    if (wants(REFACTOR_KIND)) {
      const refactor = new vscode.CodeAction('Refactor with Claude', REFACTOR_KIND);
      refactor.command = { command: commandId('refactorSelection'), title: 'Refactor with Claude' };
      out.push(refactor);
    }
    return out;
  }
}
