// The chat in VS Code: builds the core ChatApp with ports made of the VS Code API. Nothing here decides anything;
// the behaviour lives in core/chat/ and is unit-tested there.
import * as vscode from 'vscode';
import type { ApiKeyService } from '../core/apiKey';
import { ChatApp } from '../core/chat/chatApp';
import type { ApprovalPort, ChatConfig, EditorPorts, InputRequest, LineRange, ToolsPort, UsageSink, ViewTransport } from '../core/chat/ports';
import type { ComposerHost } from '../core/composer/ports';
import type { ContextDoc } from '../core/conversation';
import type { ConversationStore } from '../core/conversationStore';
import type { Connect } from '../core/keyRoute';
import { Disposable, Emitter } from '../core/lifecycle';
import type { Logger } from '../core/ports';
import type { CheckpointPorts } from '../core/session/restore';
import { CodeBlockActions } from './codeBlockActions';
import { commandId, CONTEXT_KEYS } from './commandIds';
import type { DiffProposals } from './diffProposals';
import { readAttachmentLimits, readSettings } from './config';
import { vscodeAttachmentFiles } from './attachments/files';
import { CONTROL_SETTINGS, webBlocked } from './requestSettings';
import type { ModelService } from './models';

export interface ChatControllerDeps {
  keys: ApiKeyService;
  logger: Logger;
  store: ConversationStore;
  /** KeyRoute.client: every request that carries the key goes through it. */
  connect: Connect;
  models: ModelService;
  approvals: ApprovalPort;
  tools?: ToolsPort;
  usage?: UsageSink;
  mayRequest?: () => Promise<boolean>;
  refreshContext?: (docs: readonly ContextDoc[]) => Promise<ContextDoc[]>;
  checkpoints?: CheckpointPorts;
  /** Where attached images and PDFs are stored (one folder per conversation). */
  attachmentsDir?: string;
  composer?: ComposerHost;
}

export class ChatController extends Disposable {
  readonly app: ChatApp;

  constructor(view: ViewTransport, proposals: DiffProposals, deps: ChatControllerDeps) {
    super();
    const codeBlocks = this.register(new CodeBlockActions(proposals));
    this.app = this.register(
      new ChatApp({
        view,
        ports: editorPorts(codeBlocks, deps.approvals),
        config: this.config(),
        keys: deps.keys,
        connect: deps.connect,
        store: deps.store,
        models: deps.models,
        logger: deps.logger,
        tools: deps.tools,
        usage: deps.usage,
        mayRequest: deps.mayRequest,
        refreshContext: deps.refreshContext,
        checkpoints: deps.checkpoints,
        attachments: deps.attachmentsDir ? { dir: deps.attachmentsDir, files: vscodeAttachmentFiles(), limits: readAttachmentLimits } : undefined,
        webBlocked,
        composer: deps.composer,
      }),
    );
  }

  private config(): ChatConfig {
    const modelChanged = this.register(new Emitter<void>());
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (CONTROL_SETTINGS.some((k) => e.affectsConfiguration(k))) modelChanged.fire();
      }),
    );
    return { settings: readSettings, onDidChangeModel: modelChanged.event };
  }
}

function editorPorts(codeBlocks: CodeBlockActions, approvals: ApprovalPort): EditorPorts {
  return {
    notify: {
      info: (message, ...actions) => Promise.resolve(vscode.window.showInformationMessage(message, ...actions)),
      warn: (message, ...actions) => Promise.resolve(vscode.window.showWarningMessage(message, ...actions)),
      error: (message, ...actions) => Promise.resolve(vscode.window.showErrorMessage(message, ...actions)),
    },
    input: {
      ask: (r: InputRequest) =>
        Promise.resolve(vscode.window.showInputBox({ title: r.title, prompt: r.prompt, value: r.value, validateInput: r.validate, ignoreFocusOut: r.keepOpen })),
    },
    editor: {
      reveal,
      openMarkdown: async (content) => {
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content }));
      },
      openExternal: async (href) => {
        let uri: vscode.Uri;
        try {
          uri = vscode.Uri.parse(href, true);
        } catch {
          return;
        }
        await vscode.env.openExternal(uri);
      },
    },
    codeBlocks,
    approvals,
    commands: {
      setApiKey: async () => {
        await vscode.commands.executeCommand(commandId('setApiKey'));
      },
      openSettings: async (query) => {
        await vscode.commands.executeCommand('workbench.action.openSettings', query);
      },
      setBusy: async (busy) => {
        await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.busy, busy);
      },
    },
  };
}

async function reveal(uri: string, lines?: LineRange): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
  const editor = await vscode.window.showTextDocument(doc, { preview: true });
  if (lines) {
    const range = new vscode.Range(lines.startLine, 0, lines.endLine, Number.MAX_SAFE_INTEGER);
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
