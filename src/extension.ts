// Composition root: build the objects, register them, push every disposable.
import * as vscode from 'vscode';
import { ApiKeyService } from './core/apiKey';
import { ConversationStore } from './core/conversationStore';
import type { ChatApp } from './core/chat/chatApp';
import { ChatController } from './host/chatController';
import { ChatViewProvider, CHAT_VIEW_ID } from './host/chatViewProvider';
import { registerKeyCommands } from './host/keyCommands';
import { ChannelLogger } from './host/logger';
import { VsCodeSecretStore } from './host/secretStore';
import { createWorkspaceTools } from './host/tools';
import type { WorkspaceToolRunner } from './core/tools/runner';
import { SHOW_USAGE_COMMAND } from './host/statusBar';
import { UsageService } from './host/usageService';
import { ModelService } from './host/models';
import { spendGuard } from './host/spendGuard';
import { contextRefresher, registerEditorFeatures } from './host/editor';
import { BatchService, registerBatchCommand } from './host/batch';

export interface ClaudeChatApi {
  /** Milliseconds spent inside activate(), for the benchmark. */
  readonly activationMs: number;
  /** The chat behind the sidebar view: its session, its messages from the webview (handle), its history. */
  readonly chat: ChatApp;
  readonly keys: ApiKeyService;
  /** Token and cost accounting: the engine reports each response's usage here (record/streaming/streamEnded/setContext). */
  readonly usage: UsageService;
  /** Workspace tools of the agentic loop (a ToolRunner); approvals via claudeChat.approveEdit/rejectEdit. */
  readonly tools: WorkspaceToolRunner;
}

export function activate(context: vscode.ExtensionContext): ClaudeChatApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('Claude API Chat', { log: true });
  const logger = new ChannelLogger(channel);
  const keys = new ApiKeyService(new VsCodeSecretStore(context.secrets));
  const usage = new UsageService(context, logger);
  const tools = createWorkspaceTools(logger);
  const provider = new ChatViewProvider(context.extensionUri, logger);
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const store = new ConversationStore(storageDir, logger, (m) => void vscode.window.showWarningMessage(`Claude API Chat: ${m}`));
  const controller = new ChatController(provider, {
    keys,
    approvals: tools.approver,
    logger,
    store,
    models: new ModelService(keys),
    usage,
    tools: tools.runner,
    mayRequest: spendGuard(() => usage.tracker.cost().known),
    refreshContext: contextRefresher(logger),
  });
  const chat = controller.app;
  provider.setHandler(chat);
  const batches = new BatchService({ storageDir: context.globalStorageUri.fsPath, keys, usage, logger });

  context.subscriptions.push(
    channel,
    usage,
    ...tools.disposables,
    tools.runner.onDidChange(() => void chat.pushState()),
    vscode.commands.registerCommand(SHOW_USAGE_COMMAND, () => usage.showReport()),
    provider,
    controller,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: false } }),
    ...registerKeyCommands(keys, logger, () => void chat.pushKeyStatus()),
    context.secrets.onDidChange(() => {
      keys.invalidate();
      void chat.pushKeyStatus();
    }),
    vscode.commands.registerCommand('claudeChat.newChat', () => chat.newChat()),
    vscode.commands.registerCommand('claudeChat.stop', () => chat.session.stop()),
    vscode.commands.registerCommand('claudeChat.focus', () => provider.reveal()),
    vscode.commands.registerCommand('claudeChat.retry', () => chat.handle({ type: 'retry' })),
    vscode.commands.registerCommand('claudeChat.showHistory', async () => {
      await provider.reveal();
      await chat.handle({ type: 'showHistory' });
    }),
    vscode.commands.registerCommand('claudeChat.exportConversation', () => chat.history.exportOpen()),
    vscode.commands.registerCommand('claudeChat.setConversationSystemPrompt', () => chat.editSystemPrompt()),
    ...registerEditorFeatures({ chat, keys, usage, logger }),
    batches,
    registerBatchCommand(batches),
  );
  void batches.resumeSoon(); // pending batches: read and polled after activation, never awaited here
  const activationMs = performance.now() - started;
  logger.info(`activated in ${activationMs.toFixed(2)} ms`);
  return { activationMs, chat, keys, usage, tools: tools.runner };
}

export function deactivate(): void {}
