// Composition root: build the objects, register them, and hand every disposable to the extension context.
import * as vscode from 'vscode';
import { ApiKeyService } from './core/apiKey';
import { ConversationStore } from './core/conversationStore';
import type { ChatApp } from './core/chat/chatApp';
import { ChatController } from './host/chatController';
import { ChatViewProvider, CHAT_VIEW_ID } from './host/chatViewProvider';
import { keyCommands as createKeyCommands } from './host/keyCommands';
import { ChannelLogger } from './host/logger';
import { VsCodeSecretStore } from './host/secretStore';
import { createWorkspaceTools } from './host/tools';
import type { WorkspaceToolRunner } from './core/tools/runner';
import { UsageService } from './host/usageService';
import { ModelService } from './host/models';
import { spendGuard } from './host/spendGuard';
import { contextRefresher, RefactorReview, registerLightBulb } from './host/editor';
import { BatchService } from './host/batch';
import { createCommands, registerCommands } from './host/commands';
import { DiffProposals } from './host/diffProposals';

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
  const own = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const channel = own(vscode.window.createOutputChannel('Claude API Chat', { log: true }));
  const logger = new ChannelLogger(channel);
  const keys = new ApiKeyService(new VsCodeSecretStore(context.secrets));
  const usage = own(new UsageService(context, logger));
  const proposals = own(new DiffProposals());
  const tools = own(createWorkspaceTools(logger, proposals));
  const provider = own(new ChatViewProvider(context.extensionUri, logger));
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const store = new ConversationStore(storageDir, logger, (m) => void vscode.window.showWarningMessage(`Claude API Chat: ${m}`));
  const controller = own(
    new ChatController(provider, proposals, {
      keys,
      approvals: tools.approver,
      logger,
      store,
      models: new ModelService(keys),
      usage,
      tools: tools.runner,
      mayRequest: spendGuard(() => usage.tracker.cost().known),
      refreshContext: contextRefresher(logger),
    }),
  );
  const chat = controller.app;
  provider.setHandler(chat);
  const batches = own(new BatchService({ storageDir: context.globalStorageUri.fsPath, keys, usage, logger }));
  const review = own(new RefactorReview(proposals));
  own(tools.runner.onDidChange(() => void chat.pushState()));
  own(vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: false } }));
  own(
    context.secrets.onDidChange(() => {
      keys.invalidate();
      void chat.pushKeyStatus();
    }),
  );
  const keyCommands = createKeyCommands(keys, logger, () => void chat.pushKeyStatus());
  own(registerCommands(createCommands({ chat, view: provider, keys, keyCommands, usage, approver: tools.approver, review, batches, logger })));
  own(registerLightBulb());
  void batches.resumeSoon(); // pending batches: read and polled after activation, never awaited here
  const activationMs = performance.now() - started;
  logger.info(`activated in ${activationMs.toFixed(2)} ms`);
  return { activationMs, chat, keys, usage, tools: tools.runner };
}

export function deactivate(): void {}
