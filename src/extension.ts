// Composition root: build the objects, register them, and hand every disposable to the extension context.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ApiKeyService } from './core/apiKey';
import { ConversationStore } from './core/conversationStore';
import type { ChatApp } from './core/chat/chatApp';
import { ChatController } from './host/chatController';
import { ChatViewProvider, CHAT_VIEW_ID } from './host/chatViewProvider';
import { keyCommands as createKeyCommands } from './host/keyCommands';
import { createKeyRoute, type TestHostApproval } from './host/hostApproval';
import type { KeyRoute } from './core/keyRoute';
import { ChannelLogger } from './host/logger';
import { VsCodeSecretStore } from './host/secretStore';
import { createWorkspaceTools } from './host/tools';
import { createComposerHost } from './host/composer';
import type { WorkspaceToolRunner } from './core/tools/runner';
import { UsageService } from './host/usageService';
import { ModelService } from './host/models';
import { capabilityOverrides } from './host/capabilitySettings';
import { spendGuard } from './host/spendGuard';
import { contextRefresher, RefactorReview, registerLightBulb } from './host/editor';
import { BatchService } from './host/batch';
import { createCommands, registerCommands } from './host/commands';
import { DiffProposals } from './host/diffProposals';
import { VsCodeRestorePort } from './host/checkpoints/restorePort';
import { createLm, type LmIntegration } from './host/lm';
import { createFindings } from './host/review';

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
  /** Where the key may go: every client comes from route.client (user-level baseURL, host allowed first). */
  readonly route: KeyRoute;
  /** The answer to "send the key to this host?" in the extension's own tests (the modal cannot be clicked there). */
  readonly hostApproval?: TestHostApproval;
  /** Answers to the checkpoint-restore questions in the extension's own tests (VS Code refuses modals there). */
  readonly restoreAnswers?: (string | undefined)[];
  /** Claude as a language model provider, and vscode.lm tools in the loop (lm.testConsent answers callers in tests). */
  readonly lm: LmIntegration;
}

/** The API (which can read the key) is returned only to the extension's own tests, never to other extensions. */
export function activate(context: vscode.ExtensionContext): ClaudeChatApi | undefined {
  const started = performance.now();
  const own = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const channel = own(vscode.window.createOutputChannel('Claude API Chat', { log: true }));
  const logger = new ChannelLogger(channel);
  // Every path that sends the key gets its client from the route (user-level baseURL, host allowed first).
  const keyRoute = createKeyRoute(context, logger);
  own(keyRoute.disposable);
  const connect = keyRoute.route.client;
  const keys = new ApiKeyService(new VsCodeSecretStore(context.secrets), connect);
  const usage = own(new UsageService(context, logger));
  const proposals = own(new DiffProposals());
  const tools = own(createWorkspaceTools(logger, proposals));
  const composer = own(createComposerHost({ port: tools.port, logger, tracker: usage.tracker }));
  const provider = own(new ChatViewProvider(context.extensionUri, logger));
  const models = new ModelService(keys, connect, capabilityOverrides(logger));
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const store = new ConversationStore(storageDir, logger, (m) => void vscode.window.showWarningMessage(`Claude API Chat: ${m}`));
  const restore = new VsCodeRestorePort(proposals, (p) => tools.port.uri(p), context.extensionMode === vscode.ExtensionMode.Test ? [] : undefined);
  const mayRequest = spendGuard(() => usage.tracker.cost().known);
  const controller = own(
    new ChatController(provider, proposals, {
      keys,
      connect,
      approvals: tools.approver,
      logger,
      store,
      models,
      usage,
      tools: tools.runner,
      mayRequest,
      refreshContext: contextRefresher(logger),
      checkpoints: { workspace: tools.port, restore },
      attachmentsDir: join(storageDir, 'attachments'),
      composer: composer.host,
    }),
  );
  const lm = own(createLm(context, { keys, connect, models, usage, mayRequest, runner: tools.runner, approver: tools.approver, logger }));
  const chat = controller.app;
  provider.setHandler(chat);
  const review = own(new RefactorReview(proposals));
  const { findings } = own(createFindings());
  const batches = own(new BatchService({ storageDir: context.globalStorageUri.fsPath, keys, connect, usage, logger, findings, models }));
  own(tools.runner.onDidChange(() => void chat.pushState()));
  own(vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider, { webviewOptions: { retainContextWhenHidden: false } }));
  own(
    context.secrets.onDidChange(() => {
      keys.invalidate();
      void chat.pushKeyStatus();
    }),
  );
  const keyCommands = createKeyCommands(keys, keyRoute.route, logger, () => void chat.pushKeyStatus());
  own(registerCommands(createCommands({ chat, view: provider, keys, connect, keyCommands, usage, approver: tools.approver, review, batches, models, findings, logger, lm })));
  own(registerLightBulb());
  void batches.resumeSoon(); // pending batches: read and polled after activation, never awaited here
  const activationMs = performance.now() - started;
  logger.info(`activated in ${activationMs.toFixed(2)} ms`);
  const api: ClaudeChatApi = { activationMs, chat, keys, usage, tools: tools.runner, route: keyRoute.route, hostApproval: keyRoute.testApproval, lm, restoreAnswers: restore.testAnswers };
  return context.extensionMode === vscode.ExtensionMode.Test ? api : undefined;
}

export function deactivate(): void {}
