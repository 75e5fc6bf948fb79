// The command table: every contributed command, by name, to its handler (as rust-analyzer's createCommands()).
// Its type has exactly one entry per name of host/commandIds.ts, which a unit test holds to package.json.
import * as vscode from 'vscode';
import type { ApiKeyService } from '../core/apiKey';
import type { ChatApp } from '../core/chat/chatApp';
import type { Connect } from '../core/keyRoute';
import type { UsageSink } from '../core/chat/ports';
import { DisposableStore, type IDisposable } from '../core/lifecycle';
import type { Logger } from '../core/ports';
import { reviewFilesInBatch, type BatchService } from './batch';
import type { ChatViewProvider } from './chatViewProvider';
import { COMMAND_NAMES, commandId, type CommandName } from './commandIds';
import { addFilesToContext, addSelectionToContext, explainSelection, refactorSelection, type RefactorReview } from './editor';
import type { KeyCommands } from './keyCommands';
import type { EditApprover, EditRef } from './tools/approver';
import { clearFindings, reviewFile, reviewFindingFix, type FindingsCollection } from './review';
import type { ModelService } from './models';

export interface CommandContext {
  chat: ChatApp;
  view: ChatViewProvider;
  keys: ApiKeyService;
  /** KeyRoute.client, for the requests commands make themselves (refactor). */
  connect: Connect;
  keyCommands: KeyCommands;
  usage: UsageSink & { showReport(): void };
  approver: EditApprover;
  review: RefactorReview;
  batches: BatchService;
  /** The capability table and the model list (structured output, forced tool choice, effort). */
  models: ModelService;
  findings: FindingsCollection;
  logger: Logger;
  /** The vscode.lm integration: the tool picker and the provider's caller access. */
  lm: { chooseTools(): Promise<void>; manageAccess(): Promise<void> };
}

type Handler = (...args: never[]) => unknown;

export function createCommands(c: CommandContext): Record<CommandName, Handler> {
  return {
    setApiKey: () => c.keyCommands.setKey(),
    clearApiKey: () => c.keyCommands.clearKey(),
    newChat: () => c.chat.newChat(),
    stop: () => c.chat.session.stop(),
    focus: () => c.view.reveal(),
    retry: () => c.chat.handle({ type: 'retry' }),
    showUsage: () => c.usage.showReport(),
    showHistory: async () => {
      await c.view.reveal();
      await c.chat.handle({ type: 'showHistory' });
    },
    exportConversation: () => c.chat.history.exportOpen(),
    compactConversation: () => c.chat.compact(),
    setConversationSystemPrompt: () => c.chat.editSystemPrompt(),
    // The editor-title buttons pass the diff's URI; the palette passes nothing (the active or newest proposal).
    approveEdit: (ref?: EditRef) => c.approver.decide(c.approver.idOf(ref), 'approve'),
    rejectEdit: (ref?: EditRef) => c.approver.decide(c.approver.idOf(ref), 'reject'),
    explainSelection: () => explainSelection(c.chat),
    refactorSelection: (instruction?: unknown) => refactorSelection(c, instruction),
    applyRefactor: () => c.review.apply(),
    rejectRefactor: () => c.review.reject(),
    addFileToContext: (uri?: unknown, uris?: unknown) => addFilesToContext(c.chat, uri, uris),
    addSelectionToContext: () => addSelectionToContext(c.chat),
    reviewFilesInBatch: (...args: unknown[]) => reviewFilesInBatch(c.batches, ...args),
    chooseTools: () => c.lm.chooseTools(),
    manageProviderAccess: () => c.lm.manageAccess(),
    reviewFile: (...args: unknown[]) => reviewFile(c, ...args),
    clearFindings: (...args: unknown[]) => clearFindings(c.findings, ...args),
    applyFinding: (uri?: unknown, id?: unknown) => reviewFindingFix(c.findings, c.review, uri, id),
  };
}

/** Registers every command of the table under its id. */
export function registerCommands(table: Record<CommandName, Handler>): IDisposable {
  const store = new DisposableStore();
  for (const name of COMMAND_NAMES) store.add(vscode.commands.registerCommand(commandId(name), table[name] as (...args: unknown[]) => unknown));
  return store;
}
