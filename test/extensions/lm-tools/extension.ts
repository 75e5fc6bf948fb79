// A test extension that registers a language model tool (vscode.lm.registerTool), so the chat can call it through
// vscode.lm.invokeTool. Its command reports the calls it received.
import * as vscode from 'vscode';

interface NoteInput {
  id: string;
}

const calls: { input: unknown; cancelled: boolean }[] = [];

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.lm.registerTool<NoteInput>('fixture_readNote', {
      invoke: async (options, token) => {
        const entry = { input: options.input, cancelled: false };
        calls.push(entry);
        if (options.input.id === 'slow') {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 20_000);
            token.onCancellationRequested(() => {
              entry.cancelled = true;
              clearTimeout(t);
              resolve();
            });
          });
        }
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(`note ${options.input.id}: buy milk`)]);
      },
      prepareInvocation: (options) => ({ invocationMessage: `Reading note ${options.input.id}` }),
    }),
    vscode.commands.registerCommand('claudeTest.tools.calls', () => calls),
  );
}

export function deactivate(): void {}
