// Connects the core ChatSession to the chat view: webview requests in, streaming events out.
import * as vscode from 'vscode';
import { ApiKeyService } from '../core/apiKey';
import { ChatSession } from '../core/chatSession';
import { toBlockView, toTurnView } from '../core/conversation';
import type { Logger } from '../core/ports';
import { assertNever, HostToWebview, ViewState, WebviewToHost } from '../shared/protocol';
import { CodeActions } from './codeActions';
import { readSettings, SECTION } from './config';

export interface ViewPort {
  post(message: HostToWebview): void;
}

export class ChatController implements vscode.Disposable {
  readonly session: ChatSession;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly codeActions = new CodeActions();

  constructor(private readonly view: ViewPort, private readonly keys: ApiKeyService, private readonly logger: Logger) {
    this.session = new ChatSession({
      apiKey: async () => (await keys.resolve()).key,
      settings: readSettings,
      logger,
      listener: {
        turnStart: (turn) => view.post({ type: 'turnStart', turn }),
        blockStart: (turnId, b) => view.post({ type: 'blockStart', turnId, block: toBlockView(b) }),
        blockDelta: (turnId, blockId, text) => view.post({ type: 'blockDelta', turnId, blockId, text }),
        blockStop: (turnId, blockId) => view.post({ type: 'blockStop', turnId, blockId }),
        turnEnd: (turn) => {
          const v = toTurnView(turn);
          view.post({ type: 'turnEnd', turnId: v.id, status: v.status as Exclude<typeof v.status, 'streaming'>, stopReason: v.stopReason, stopSequence: v.stopSequence, error: v.error, usage: v.usage, toolCapReached: v.toolCapReached });
          void this.updateBusyContext();
        },
        retryWait: (turnId, retry) => view.post({ type: 'retryWait', turnId, retry }),
        toolStatus: (turnId, toolId, status, detail) => view.post({ type: 'toolStatus', turnId, toolId, status, detail }),
        turnResume: (turnId) => {
          view.post({ type: 'turnResume', turnId });
          void this.updateBusyContext();
        },
      },
    });
    this.disposables.push(
      this.codeActions,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.model`)) view.post({ type: 'model', model: readSettings().model });
      }),
    );
  }

  async state(): Promise<ViewState> {
    const { key, source } = await this.keys.resolve();
    return { hasApiKey: !!key, keySource: source, model: readSettings().model, turns: this.session.views(), busy: this.session.busy };
  }

  async pushKeyStatus(): Promise<void> {
    const { key, source } = await this.keys.resolve();
    this.view.post({ type: 'keyStatus', hasApiKey: !!key, keySource: source });
  }

  async handle(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.view.post({ type: 'state', state: await this.state() });
        return;
      case 'send': {
        const text = m.text.trim();
        if (!text) return;
        const done = this.session.send(text);
        void this.updateBusyContext();
        await done;
        return;
      }
      case 'stop':
        this.session.stop();
        return;
      case 'retry':
        await this.session.retry();
        return;
      case 'continue':
        await this.session.continueReply();
        return;
      case 'continueTools':
        await this.session.resumeTools();
        return;
      case 'toolDecision':
        await vscode.commands.executeCommand(m.decision === 'reject' ? 'claudeChat.rejectEdit' : 'claudeChat.approveEdit', m.toolId, m.decision === 'always');
        return;
      case 'newChat':
        await this.newChat();
        return;
      case 'runCommand':
        if (m.command === 'setApiKey') await vscode.commands.executeCommand('claudeChat.setApiKey');
        else await vscode.commands.executeCommand('workbench.action.openSettings', SECTION);
        return;
      case 'openLink':
        await this.openLink(m.href);
        return;
      case 'codeAction':
        await this.codeActions.run(m.action, m.code, m.lang);
        return;
      default:
        assertNever(m);
    }
  }

  async newChat(): Promise<void> {
    await this.session.newChat();
    this.view.post({ type: 'state', state: await this.state() });
  }

  private async openLink(href: string): Promise<void> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(href, true);
    } catch {
      return;
    }
    if (uri.scheme !== 'http' && uri.scheme !== 'https' && uri.scheme !== 'mailto') {
      this.logger.warn(`refused to open a link with scheme "${uri.scheme}"`);
      void vscode.window.showWarningMessage(`Claude API Chat does not open "${uri.scheme}:" links from replies.`);
      return;
    }
    await vscode.env.openExternal(uri);
  }

  private updateBusyContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'claudeChat.busy', this.session.busy);
  }

  dispose(): void {
    this.session.stop();
    for (const d of this.disposables) d.dispose();
  }
}
