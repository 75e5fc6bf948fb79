// Every command the extension contributes, by name, and the context keys it sets for `when` clauses. No `vscode`
// import: the unit tests hold this list to package.json. The handlers are the table in host/commands.ts, whose
// type has one entry per name, so a command cannot be contributed without a handler or registered without an id.

export const COMMAND_PREFIX = 'claudeChat';

export const COMMAND_NAMES = [
  'setApiKey',
  'clearApiKey',
  'newChat',
  'stop',
  'focus',
  'retry',
  'showUsage',
  'showHistory',
  'exportConversation',
  'compactConversation',
  'setConversationSystemPrompt',
  'approveEdit',
  'rejectEdit',
  'explainSelection',
  'refactorSelection',
  'applyRefactor',
  'rejectRefactor',
  'addFileToContext',
  'addSelectionToContext',
  'reviewFilesInBatch',
  'chooseTools',
  'manageProviderAccess',
  'reviewFile',
  'clearFindings',
  'applyFinding',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];
export type CommandId = `${typeof COMMAND_PREFIX}.${CommandName}`;

export function commandId(name: CommandName): CommandId {
  return `${COMMAND_PREFIX}.${name}`;
}

/** Context keys the extension sets; package.json's `when` clauses read them. */
export const CONTEXT_KEYS = {
  /** A reply is streaming (Stop is offered in the palette). */
  busy: 'claudeChat.busy',
  /** A tool's proposed edit waits for approval. */
  pendingEdit: 'claudeChat.pendingEdit',
  /** A refactor proposal waits for Apply or Reject. */
  pendingRefactor: 'claudeChat.pendingRefactor',
} as const;
