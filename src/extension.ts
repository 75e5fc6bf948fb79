// Composition root: build the objects, register them, push every disposable.
import * as vscode from 'vscode';
import { ApiKeyService } from './core/apiKey';
import { ConversationStore } from './core/conversationStore';
import { ChatController } from './host/chatController';
import { ChatViewProvider, CHAT_VIEW_ID } from './host/chatViewProvider';
import { registerKeyCommands } from './host/keyCommands';
import { createKeyRoute, type TestHostApproval } from './host/hostApproval';
import { ChannelLogger } from './host/logger';
import { VsCodeSecretStore } from './host/secretStore';
import { createWorkspaceTools } from './host/tools';
import type { WorkspaceToolRunner } from './core/tools/runner';
import type { KeyRoute } from './core/keyRoute';
import { SHOW_USAGE_COMMAND } from './host/statusBar';
import { UsageService } from './host/usageService';
import { ModelService } from './host/models';
import { spendGuard } from './host/spendGuard';
import { contextRefresher, registerEditorFeatures } from './host/editor';
import { BatchService, registerBatchCommand } from './host/batch';

export interface ClaudeChatApi {
  /** Milliseconds spent inside activate(), for the benchmark. */
  readonly activationMs: number;
  readonly controller: ChatController;
  readonly keys: ApiKeyService;
  /** Token and cost accounting: the engine reports each response's usage here (record/streaming/streamEnded/setContext). */
  readonly usage: UsageService;
  /** Workspace tools of the agentic loop (a ToolRunner); approvals via claudeChat.approveEdit/rejectEdit. */
  readonly tools: WorkspaceToolRunner;
  /** Where the key may go: every client comes from route.client (user-level baseURL, host allowed first). */
  readonly route: KeyRoute;
  /** The answer to "send the key to this host?" in the extension's own tests (the modal cannot be clicked there). */
  readonly hostApproval?: TestHostApproval;
}

/** The API (which can read the key) is returned only to the extension's own tests, never to other extensions. */
export function activate(context: vscode.ExtensionContext): ClaudeChatApi | undefined {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('Claude API Chat', { log: true });
  const logger = new ChannelLogger(channel);
  // Every path that sends the key gets its client from the route (user-level baseURL, host allowed first).
  const keyRoute = createKeyRoute(context, logger);
  const connect = keyRoute.route.client;
  const keys = new ApiKeyService(new VsCodeSecretStore(context.secrets), connect);
  const usage = new UsageService(context, logger);
  const tools = createWorkspaceTools(logger);
  const provider = new ChatViewProvider(context.extensionUri, logger);
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const store = new ConversationStore(storageDir, logger, (m) => void vscode.window.showWarningMessage(`Claude API Chat: ${m}`));
  const controller = new ChatController(provider, {
    keys,
    connect,
    logger,
    store,
    models: new ModelService(keys, connect),
    usage,
    tools: tools.runner,
    mayRequest: spendGuard(() => usage.tracker.cost().known),
    refreshContext: contextRefresher(logger),
  });
  provider.setHandler(controller);
  const batches = new BatchService({ storageDir: context.globalStorageUri.fsPath, keys, connect, usage, logger });

  context.subscriptions.push(
    channel,
    keyRoute.disposable,
    usage,
    ...tools.disposables,
    tools.runner.onDidChange(() => void controller.refresh()),
    vscode.commands.registerCommand(SHOW_USAGE_COMMAND, () => usage.showReport()),
    provider,
    controller,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: false } }),
    ...registerKeyCommands(keys, keyRoute.route, logger, () => void controller.pushKeyStatus()),
    context.secrets.onDidChange(() => {
      keys.invalidate();
      void controller.pushKeyStatus();
    }),
    vscode.commands.registerCommand('claudeChat.newChat', () => controller.newChat()),
    vscode.commands.registerCommand('claudeChat.stop', () => controller.session.stop()),
    vscode.commands.registerCommand('claudeChat.focus', () => provider.reveal()),
    vscode.commands.registerCommand('claudeChat.retry', () => controller.handle({ type: 'retry' })),
    vscode.commands.registerCommand('claudeChat.showHistory', async () => {
      await provider.reveal();
      await controller.handle({ type: 'showHistory' });
    }),
    vscode.commands.registerCommand('claudeChat.exportConversation', () => controller.history.exportOpen()),
    vscode.commands.registerCommand('claudeChat.setConversationSystemPrompt', () => controller.editSystemPrompt()),
    ...registerEditorFeatures({ controller, keys, connect, usage, logger }),
    batches,
    registerBatchCommand(batches),
  );
  void batches.resumeSoon(); // pending batches: read and polled after activation, never awaited here
  const activationMs = performance.now() - started;
  logger.info(`activated in ${activationMs.toFixed(2)} ms`);
  const api: ClaudeChatApi = { activationMs, controller, keys, usage, tools: tools.runner, route: keyRoute.route, hostApproval: keyRoute.testApproval };
  return context.extensionMode === vscode.ExtensionMode.Test ? api : undefined;
}

export function deactivate(): void {}
