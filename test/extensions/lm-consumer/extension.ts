// A test extension that uses a chat model the way any extension would: selectChatModels({vendor}), then
// sendRequest with a tool, reading the stream. The in-host tests run its command and look at what came back.
import * as vscode from 'vscode';

export interface AskArgs {
  vendor: string;
  /** A model id to select (default: the first model of the vendor). */
  id?: string;
  prompt: string;
  /** Offer the get_weather tool (toolMode auto). */
  withTool?: boolean;
  /** Continue a tool call: the assistant's text and call, then this result. */
  followUp?: { text: string; callId: string; name: string; input: object; result: string };
  /** Cancel the request after this many stream parts. */
  cancelAfterParts?: number;
  /** Count the tokens of the prompt too. */
  countTokens?: boolean;
}

export interface AskResult {
  models: { id: string; vendor: string; family: string; maxInputTokens: number }[];
  text: string;
  toolCalls: { callId: string; name: string; input: unknown }[];
  otherParts: number;
  tokens?: number;
  error?: { name: string; message: string; code?: string };
}

const WEATHER: vscode.LanguageModelChatTool = {
  name: 'get_weather',
  description: 'The current weather for a city.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

async function ask(args: AskArgs): Promise<AskResult> {
  const out: AskResult = { models: [], text: '', toolCalls: [], otherParts: 0 };
  const models = await vscode.lm.selectChatModels({ vendor: args.vendor });
  out.models = models.map((m) => ({ id: m.id, vendor: m.vendor, family: m.family, maxInputTokens: m.maxInputTokens }));
  const model = args.id ? models.find((m) => m.id === args.id) : models[0];
  if (!model) return out;
  const messages = [vscode.LanguageModelChatMessage.User(args.prompt)];
  if (args.followUp) {
    const f = args.followUp;
    messages.push(vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelTextPart(f.text), new vscode.LanguageModelToolCallPart(f.callId, f.name, f.input)]));
    messages.push(vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(f.callId, [new vscode.LanguageModelTextPart(f.result)])]));
  }
  const cts = new vscode.CancellationTokenSource();
  try {
    if (args.countTokens) out.tokens = await model.countTokens(args.prompt);
    const response = await model.sendRequest(messages, { justification: 'Testing the Claude provider.', tools: args.withTool ? [WEATHER] : undefined }, cts.token);
    let parts = 0;
    for await (const part of response.stream) {
      parts++;
      if (part instanceof vscode.LanguageModelTextPart) out.text += part.value;
      else if (part instanceof vscode.LanguageModelToolCallPart) out.toolCalls.push({ callId: part.callId, name: part.name, input: part.input });
      else out.otherParts++;
      if (args.cancelAfterParts !== undefined && parts >= args.cancelAfterParts) cts.cancel();
    }
  } catch (e) {
    const err = e as { name?: string; message?: string; code?: string };
    out.error = { name: String(err.name ?? 'Error'), message: String(err.message ?? e), code: err.code };
  } finally {
    cts.dispose();
  }
  return out;
}

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('claudeTest.consumer.ask', async (args?: AskArgs) => {
      // From the command palette (no arguments): ask once and show what came back.
      if (!args) {
        const r = await ask({ vendor: 'claude-api-chat', prompt: 'Hello from the test consumer.' });
        void vscode.window.showInformationMessage(`LM Consumer: ${r.error ? `error: ${r.error.message}` : r.models.length ? `answer: ${r.text}` : 'no model'}`);
        return r;
      }
      return ask(args);
    }),
  );
}

export function deactivate(): void {}
