// Guards for messages from the host TO the chat webview. Only the chat page bundles this file.
import { array, boolean, type GenericSchema, nullish, optional, picklist, pipe, strictObject, maxLength } from 'valibot';
import type { HostToWebview } from '../protocol';
import { MAX_THUMBNAIL_CHARS } from '../attachments';
import { EFFORTS, TOOL_CHOICE_MODES } from '../requestOptions';
import { checker, count, GuardTable, MAX_HOST_TEXT, MAX_ITEMS, message, Mismatched, text } from './common';

const hostText = text(MAX_HOST_TEXT);
const list = <S extends GenericSchema>(item: S) => pipe(array(item), maxLength(MAX_ITEMS));
const toolStatus = picklist(['pending-approval', 'running', 'done', 'error', 'denied', 'cancelled']);
const errorView = strictObject({ message: hostText, action: optional(picklist(['setApiKey', 'retry', 'openSettings', 'continue', 'continueTools', 'trim'])) });
const usageView = strictObject({
  inputTokens: count, outputTokens: count, cacheReadTokens: count, cacheWriteTokens: count,
  webSearchRequests: optional(count), webFetchRequests: optional(count), costUsd: optional(count),
});
const effort = picklist(EFFORTS);
const toolChoiceMode = picklist(TOOL_CHOICE_MODES);
const source = strictObject({ url: hostText, title: hostText, pageAge: optional(hostText) });
const webCitation = strictObject({ url: hostText, title: optional(hostText), citedText: hostText });
const cacheView = strictObject({
  state: picklist(['read', 'partial', 'written', 'miss', 'uncached']),
  reason: optional(picklist(['expired', 'model', 'tools', 'system', 'context', 'settings', 'messages', 'compacted', 'short', 'unknown'])),
  detail: hostText,
  readTokens: count,
  missedTokens: optional(count),
});
const controlsView = strictObject({
  effort: strictObject({ options: list(effort), value: picklist(['default', ...EFFORTS]), modelDefault: optional(effort) }),
  toolChoice: strictObject({ options: list(toolChoiceMode), value: toolChoiceMode, available: boolean() }),
  web: strictObject({ on: boolean(), available: boolean(), note: optional(hostText) }),
});
const turnRef = strictObject({ label: hostText, uri: hostText, startLine: count, endLine: count });
const mediaType = picklist(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);
const attachmentView = strictObject({
  id: hostText,
  name: hostText,
  mediaType,
  bytes: count,
  tokens: count,
  width: optional(count),
  height: optional(count),
  pages: optional(count),
  thumbnail: optional(text(MAX_THUMBNAIL_CHARS)),
  note: optional(hostText),
});
const citationView = strictObject({ citedText: hostText, title: optional(hostText), startPage: optional(count), endPage: optional(count), attachmentId: optional(hostText) });
const turnCommand = strictObject({ name: hostText, args: hostText, model: optional(hostText) });
const errorAction = picklist(['setApiKey', 'retry', 'openSettings', 'continue', 'continueTools', 'trim']);
const completionItem = strictObject({
  kind: picklist(['file', 'folder', 'symbol', 'selection', 'problems', 'terminal', 'git', 'command', 'prefix']),
  label: hostText,
  detail: optional(hostText),
  description: optional(hostText),
  insert: hostText,
  again: optional(boolean()),
});
const composerInfo = strictObject({
  commands: list(strictObject({ name: hostText, description: hostText, argumentHint: optional(hostText), source: picklist(['builtin', 'prompt', 'claude']) })),
  instructions: list(strictObject({ label: hostText, tokens: count, truncated: optional(boolean()) })),
  note: optional(hostText),
});
const blockView = strictObject({
  id: hostText,
  kind: picklist(['text', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result']),
  text: hostText,
  toolName: optional(hostText),
  toolId: optional(hostText),
  isError: optional(boolean()),
  toolStatus: optional(toolStatus),
  protectedReason: optional(hostText),
  toolSource: optional(hostText),
  untrusted: optional(boolean()),
  attachments: optional(list(attachmentView)),
  citations: optional(list(citationView)),
  sources: optional(list(source)),
  errorCode: optional(hostText),
  webCitations: optional(list(webCitation)),
});
/** Dollars and shares: finite, not negative (count is not integer-only). */
const money = count;
const checkpointView = strictObject({ paths: list(hostText), available: boolean() });
const ending = {
  stopReason: nullish(hostText),
  stopSequence: nullish(hostText),
  error: optional(errorView),
  usage: optional(usageView),
  toolCapReached: optional(boolean()),
  rounds: optional(count),
  cost: optional(money),
  costPaused: optional(count),
  checkpoint: optional(checkpointView),
  cache: optional(cacheView),
};
const compactionView = strictObject({
  id: hostText,
  turnId: hostText,
  blockIndex: count,
  summary: hostText,
  turns: count,
  reason: picklist(['threshold', 'manual', 'overflow']),
  model: hostText,
  server: boolean(),
  cost: optional(money),
  at: count,
});
const meterView = strictObject({
  model: hostText,
  tokens: count,
  window: optional(count),
  exact: boolean(),
  parts: strictObject({ system: count, context: count, history: count, tools: count }),
  warnAt: money,
  compactAt: optional(money),
});
const turnView = strictObject({
  id: hostText,
  userText: hostText,
  blocks: list(blockView),
  status: picklist(['streaming', 'complete', 'stopped', 'error']),
  model: hostText,
  ...ending,
  ref: optional(turnRef),
  continues: optional(hostText),
  attachments: optional(list(attachmentView)),
  effort: optional(effort),
  command: optional(turnCommand),
});
const viewState = strictObject({
  hasApiKey: boolean(),
  keySource: picklist(['secret', 'env', 'none']),
  model: hostText,
  turns: list(turnView),
  olderTurns: optional(count),
  conversationId: optional(hostText),
  title: optional(hostText),
  toolsNote: optional(hostText),
  compactions: optional(list(compactionView)),
  meter: optional(meterView),
});

export const HOST_TO_WEBVIEW = {
  turnStart: message('turnStart', { turn: turnView }),
  blockStart: message('blockStart', { turnId: hostText, block: blockView }),
  blockDelta: message('blockDelta', { turnId: hostText, blockId: hostText, text: hostText }),
  blockStop: message('blockStop', { turnId: hostText, blockId: hostText }),
  turnEnd: message('turnEnd', { turnId: hostText, outcome: strictObject({ status: picklist(['complete', 'stopped', 'error']), ...ending }) }),
  retryWait: message('retryWait', { turnId: hostText, retry: strictObject({ attempt: count, maxAttempts: count, delayMs: count, until: count, reason: hostText }) }),
  toolStatus: message('toolStatus', { turnId: hostText, toolId: hostText, status: toolStatus, detail: optional(hostText), protectedReason: optional(hostText), source: optional(hostText) }),
  turnResume: message('turnResume', { turnId: hostText }),
  notice: message('notice', { message: hostText }),
  compacted: message('compacted', { compaction: compactionView }),
  meter: message('meter', { meter: meterView }),
  state: message('state', { state: viewState }),
  olderTurns: message('olderTurns', { conversationId: hostText, before: hostText, turns: list(turnView), olderTurns: count }),
  keyStatus: message('keyStatus', { hasApiKey: boolean(), keySource: picklist(['secret', 'env', 'none']) }),
  history: message('history', {
    items: list(strictObject({ id: hostText, title: hostText, updatedAt: count, turnCount: count, model: optional(hostText) })),
    openId: optional(hostText),
    show: boolean(),
  }),
  models: message('models', { models: list(strictObject({ id: hostText, displayName: hostText })), current: hostText, error: optional(hostText) }),
  estimate: message('estimate', { tokens: optional(count), contextWindow: optional(count), error: optional(hostText) }),
  context: message('context', { items: list(strictObject({ id: hostText, label: hostText, kind: picklist(['file', 'selection', 'problems', 'terminal', 'git']), tokens: count })) }),
  model: message('model', { model: hostText }),
  citation: message('citation', { turnId: hostText, blockId: hostText, citation: citationView }),
  attachments: message('attachments', { items: list(attachmentView), settled: optional(list(hostText)), maxBase64: optional(count) }),
  prepareImage: message('prepareImage', {
    requestId: hostText,
    mediaType: picklist(['image/png', 'image/jpeg', 'image/gif', 'image/webp']),
    data: hostText,
    maxEdge: count,
    maxBase64: count,
  }),
  sendRefused: message('sendRefused', { text: hostText, reason: hostText }),
  blockCitations: message('blockCitations', { turnId: hostText, blockId: hostText, citations: list(webCitation) }),
  controls: message('controls', { controls: controlsView }),
  completions: message('completions', { id: count, items: list(completionItem) }),
  composer: message('composer', { info: composerInfo }),
  composerError: message('composerError', { message: hostText, text: hostText, action: optional(errorAction) }),
} satisfies GuardTable<HostToWebview>;
const _hostToWebviewExact: [Mismatched<HostToWebview, typeof HOST_TO_WEBVIEW>] extends [never] ? true : Mismatched<HostToWebview, typeof HOST_TO_WEBVIEW> = true;

/** Messages from the host, checked by the chat webview before anything reads them. */
export const checkHostToWebview = checker<HostToWebview>(HOST_TO_WEBVIEW);
