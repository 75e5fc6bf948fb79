// Composition root: build the objects, register them, push every disposable.
import * as vscode from 'vscode';
import { ApiKeyService } from './core/apiKey';
import { ChatController } from './host/chatController';
import { ChatViewProvider, CHAT_VIEW_ID } from './host/chatViewProvider';
import { registerKeyCommands } from './host/keyCommands';
import { ChannelLogger } from './host/logger';
import { VsCodeSecretStore } from './host/secretStore';
import { SHOW_USAGE_COMMAND } from './host/statusBar';
import { UsageService } from './host/usageService';

export interface ClaudeChatApi {
  /** Milliseconds spent inside activate(), for the benchmark. */
  readonly activationMs: number;
  readonly controller: ChatController;
  readonly keys: ApiKeyService;
  /** Token and cost accounting: the engine reports each response's usage here (record/streaming/streamEnded/setContext). */
  readonly usage: UsageService;
}

export function activate(context: vscode.ExtensionContext): ClaudeChatApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('Claude API Chat', { log: true });
  const logger = new ChannelLogger(channel);
  const keys = new ApiKeyService(new VsCodeSecretStore(context.secrets));
  const usage = new UsageService(context, logger);
  const provider = new ChatViewProvider(context.extensionUri, logger);
  const controller = new ChatController(provider, keys, logger);
  provider.setHandler(controller);

  context.subscriptions.push(
    channel,
    usage,
    vscode.commands.registerCommand(SHOW_USAGE_COMMAND, () => usage.showReport()),
    provider,
    controller,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: false } }),
    ...registerKeyCommands(keys, logger, () => void controller.pushKeyStatus()),
    context.secrets.onDidChange(() => void controller.pushKeyStatus()),
    vscode.commands.registerCommand('claudeChat.newChat', () => controller.newChat()),
    vscode.commands.registerCommand('claudeChat.stop', () => controller.session.stop()),
    vscode.commands.registerCommand('claudeChat.focus', () => provider.reveal()),
  );
  const activationMs = performance.now() - started;
  logger.info(`activated in ${activationMs.toFixed(2)} ms`);
  return { activationMs, controller, keys, usage };
}

export function deactivate(): void {}
