// Runtime guards for the webview protocols, held to the TypeScript types by the compiler. Each protocol has a table
// with one valibot schema per message type: the table `satisfies` a type with one entry per type (a new message
// without a schema does not compile), and a second check requires each schema's output to be exactly its message
// type (a field added to a message but not to its schema does not compile either).
//
// Why valibot and not hand-written checks: it is already a dependency (schema-validated stores), its strict
// objects reject unknown keys (including an own `__proto__`), it returns a fresh copy holding only the known
// fields, and its inferred output types are what lets the compiler compare schema and protocol. Functions are
// imported one by one so the webview bundles only what it uses.
import {
  array, boolean, finite, type GenericSchema, type InferOutput, literal, maxLength, minLength, minValue, nullish, number, type ObjectEntries,
  optional, picklist, pipe, regex, safeParse, strictObject, string, undefinedable,
} from 'valibot';
import type { HostToWebview, WebviewToHost } from './protocol';
import type { HostToReport, ReportToHost } from './usageReport';

type Msg<M, K> = Extract<M, { type: K }>;

/** One schema per message type, whose output is (at least) that message. */
export type GuardTable<M extends { type: string }> = { [K in M['type']]: GenericSchema<unknown, Msg<M, K>> };

/** A type with intersections flattened, deeply, so two spellings of one shape compare equal. */
type Plain<T> = T extends readonly (infer U)[] ? Plain<U>[] : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;
/** Identical types (optional fields, readonly-ness and all), not merely assignable. */
type Same<A, B> = (<T>() => T extends Plain<A> ? 1 : 2) extends <T>() => T extends Plain<B> ? 1 : 2 ? true : false;
/** The message types whose schema's output is not exactly the message type; `never` when all match. */
type Mismatched<M extends { type: string }, T extends GuardTable<M>> = { [K in keyof T & string]: Same<InferOutput<T[K]>, Msg<M, K>> extends true ? never : K }[keyof T & string];

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Longest text from the webview (a message, a draft, a code block). */
export const MAX_TEXT = 1_000_000;
/** Longest text from the host (a whole reply or tool result) and longest list (turns, blocks, items). */
export const MAX_HOST_TEXT = 16_000_000;
export const MAX_ITEMS = 100_000;

const text = (max: number) => pipe(string(), maxLength(max));
const count = pipe(number(), finite(), minValue(0));
const message = <T extends string, E extends ObjectEntries>(type: T, entries: E) => strictObject({ type: literal(type), ...entries });
const conversationId = pipe(string(), maxLength(64), regex(/^[a-zA-Z0-9_-]+$/));

export const WEBVIEW_TO_HOST = {
  ready: message('ready', {}),
  send: message('send', { text: text(MAX_TEXT) }),
  stop: message('stop', {}),
  newChat: message('newChat', {}),
  retry: message('retry', {}),
  continue: message('continue', {}),
  continueTools: message('continueTools', {}),
  trim: message('trim', {}),
  showHistory: message('showHistory', {}),
  openConversation: message('openConversation', { id: conversationId }),
  renameConversation: message('renameConversation', { id: conversationId }),
  deleteConversation: message('deleteConversation', { id: conversationId }),
  exportConversation: message('exportConversation', {}),
  setModel: message('setModel', { model: pipe(string(), minLength(1), maxLength(256)) }),
  refreshModels: message('refreshModels', {}),
  draft: message('draft', { text: text(MAX_TEXT) }),
  removeContext: message('removeContext', { id: text(1000) }),
  revealContext: message('revealContext', { id: text(1000) }),
  revealRef: message('revealRef', { turnId: text(100) }),
  toolDecision: message('toolDecision', { toolId: text(200), decision: picklist(['approve', 'reject', 'always']) }),
  runCommand: message('runCommand', { command: picklist(['setApiKey', 'openSettings']) }),
  openLink: message('openLink', { href: text(8192) }),
  codeBlockAction: message('codeBlockAction', { action: picklist(['copy', 'insert', 'apply']), code: text(MAX_TEXT), lang: text(100) }),
} satisfies GuardTable<WebviewToHost>;
const _webviewToHostExact: [Mismatched<WebviewToHost, typeof WEBVIEW_TO_HOST>] extends [never] ? true : Mismatched<WebviewToHost, typeof WEBVIEW_TO_HOST> = true;

const hostText = text(MAX_HOST_TEXT);
const list = <S extends GenericSchema>(item: S) => pipe(array(item), maxLength(MAX_ITEMS));
const toolStatus = picklist(['pending-approval', 'running', 'done', 'error', 'denied', 'cancelled']);
const errorView = strictObject({ message: hostText, action: optional(picklist(['setApiKey', 'retry', 'openSettings', 'continue', 'continueTools', 'trim'])) });
const usageView = strictObject({ inputTokens: count, outputTokens: count, cacheReadTokens: count, cacheWriteTokens: count });
const turnRef = strictObject({ label: hostText, uri: hostText, startLine: count, endLine: count });
const blockView = strictObject({
  id: hostText,
  kind: picklist(['text', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result']),
  text: hostText,
  toolName: optional(hostText),
  toolId: optional(hostText),
  isError: optional(boolean()),
  toolStatus: optional(toolStatus),
});
const ending = {
  stopReason: nullish(hostText),
  stopSequence: nullish(hostText),
  error: optional(errorView),
  usage: optional(usageView),
  toolCapReached: optional(boolean()),
};
const turnView = strictObject({
  id: hostText,
  userText: hostText,
  blocks: list(blockView),
  status: picklist(['streaming', 'complete', 'stopped', 'error']),
  model: hostText,
  ...ending,
  ref: optional(turnRef),
});
const viewState = strictObject({
  hasApiKey: boolean(),
  keySource: picklist(['secret', 'env', 'none']),
  model: hostText,
  turns: list(turnView),
  conversationId: optional(hostText),
  title: optional(hostText),
  toolsNote: optional(hostText),
});

export const HOST_TO_WEBVIEW = {
  turnStart: message('turnStart', { turn: turnView }),
  blockStart: message('blockStart', { turnId: hostText, block: blockView }),
  blockDelta: message('blockDelta', { turnId: hostText, blockId: hostText, text: hostText }),
  blockStop: message('blockStop', { turnId: hostText, blockId: hostText }),
  turnEnd: message('turnEnd', { turnId: hostText, outcome: strictObject({ status: picklist(['complete', 'stopped', 'error']), ...ending }) }),
  retryWait: message('retryWait', { turnId: hostText, retry: strictObject({ attempt: count, maxAttempts: count, delayMs: count, until: count, reason: hostText }) }),
  toolStatus: message('toolStatus', { turnId: hostText, toolId: hostText, status: toolStatus, detail: optional(hostText) }),
  turnResume: message('turnResume', { turnId: hostText }),
  notice: message('notice', { message: hostText }),
  state: message('state', { state: viewState }),
  keyStatus: message('keyStatus', { hasApiKey: boolean(), keySource: picklist(['secret', 'env', 'none']) }),
  history: message('history', {
    items: list(strictObject({ id: hostText, title: hostText, updatedAt: count, turnCount: count, model: optional(hostText) })),
    openId: optional(hostText),
    show: boolean(),
  }),
  models: message('models', { models: list(strictObject({ id: hostText, displayName: hostText })), current: hostText, error: optional(hostText) }),
  estimate: message('estimate', { tokens: optional(count), contextWindow: optional(count), error: optional(hostText) }),
  context: message('context', { items: list(strictObject({ id: hostText, label: hostText, kind: picklist(['file', 'selection']), tokens: count })) }),
  model: message('model', { model: hostText }),
} satisfies GuardTable<HostToWebview>;
const _hostToWebviewExact: [Mismatched<HostToWebview, typeof HOST_TO_WEBVIEW>] extends [never] ? true : Mismatched<HostToWebview, typeof HOST_TO_WEBVIEW> = true;

export const REPORT_TO_HOST = {
  ready: message('ready', {}),
  refresh: message('refresh', {}),
  openSettings: message('openSettings', {}),
} satisfies GuardTable<ReportToHost>;
const _reportToHostExact: [Mismatched<ReportToHost, typeof REPORT_TO_HOST>] extends [never] ? true : Mismatched<ReportToHost, typeof REPORT_TO_HOST> = true;

const tokens = strictObject({ inputTokens: count, outputTokens: count, cacheReadTokens: count, cacheWrite5mTokens: count, cacheWrite1hTokens: count });
const costSum = strictObject({ known: pipe(number(), finite()), unknownTokens: count, unknownModels: list(hostText) });
const money = pipe(number(), finite());
export const HOST_TO_REPORT = {
  data: message('data', {
    data: strictObject({
      generatedAt: count,
      days: list(strictObject({ day: hostText, input: money, cache: money, output: money, total: money, tokens: count, unknownTokens: count })),
      models: list(strictObject({ model: hostText, requests: count, tokens, cost: undefinedable(money), savings: undefinedable(money) })),
      workspaces: list(strictObject({ workspace: hostText, requests: count, tokens: count, cost: costSum })),
      currentWorkspace: hostText,
      period: strictObject({ cost: costSum, tokens: count, requests: count }),
      session: strictObject({ responses: count, tokens, cost: costSum, hitShare: optional(money), savings: money }),
      problems: list(hostText),
      empty: boolean(),
    }),
  }),
} satisfies GuardTable<HostToReport>;
const _hostToReportExact: [Mismatched<HostToReport, typeof HOST_TO_REPORT>] extends [never] ? true : Mismatched<HostToReport, typeof HOST_TO_REPORT> = true;

/** Keeps a reason short: it may quote what an attacker sent. */
function short(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

function checker<M extends { type: string }>(table: GuardTable<M>): (value: unknown) => Checked<M> {
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: `not a message object (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})` };
    const type: unknown = (value as { type?: unknown }).type;
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) {
      return { ok: false, reason: short(`unknown message type ${typeof type === 'string' ? JSON.stringify(type) : typeof type}`) };
    }
    const r = safeParse(table[type as M['type']], value, { abortEarly: true });
    // The output is a fresh object with only the schema's fields: nothing else the sender put in goes further.
    return r.success ? { ok: true, value: r.output as M } : { ok: false, reason: short(`${type}: ${r.issues[0].message}`) };
  };
}

/** Messages from a chat webview: untrusted input. */
export const checkWebviewToHost = checker<WebviewToHost>(WEBVIEW_TO_HOST);
/** Messages from the host, checked by the chat webview before anything reads them. */
export const checkHostToWebview = checker<HostToWebview>(HOST_TO_WEBVIEW);
/** Messages from the usage report webview: untrusted input. */
export const checkReportToHost = checker<ReportToHost>(REPORT_TO_HOST);
/** Messages from the host, checked by the usage report webview. */
export const checkHostToReport = checker<HostToReport>(HOST_TO_REPORT);
