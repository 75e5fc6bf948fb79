// Guards for messages FROM the webview pages (untrusted input): the chat's WebviewToHost and the usage report's
// ReportToHost. Only the extension host bundles this file.
import { integer, maxLength, minLength, minValue, number, picklist, pipe, regex, string } from 'valibot';
import type { WebviewToHost } from '../protocol';
import type { ReportToHost } from '../usageReport';
import { checker, GuardTable, message, Mismatched, text } from './common';

/** Longest text from the webview (a message, a draft, a code block). */
export const MAX_TEXT = 1_000_000;

const conversationId = pipe(string(), maxLength(64), regex(/^[a-zA-Z0-9_-]+$/));

export const WEBVIEW_TO_HOST = {
  ready: message('ready', {}),
  send: message('send', { text: text(MAX_TEXT) }),
  complete: message('complete', { id: pipe(number(), integer(), minValue(0)), trigger: picklist(['@', '/']), query: text(1024) }),
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

export const REPORT_TO_HOST = {
  ready: message('ready', {}),
  refresh: message('refresh', {}),
  openSettings: message('openSettings', {}),
} satisfies GuardTable<ReportToHost>;
const _reportToHostExact: [Mismatched<ReportToHost, typeof REPORT_TO_HOST>] extends [never] ? true : Mismatched<ReportToHost, typeof REPORT_TO_HOST> = true;

/** Messages from a chat webview: untrusted input. */
export const checkWebviewToHost = checker<WebviewToHost>(WEBVIEW_TO_HOST);
/** Messages from the usage report webview: untrusted input. */
export const checkReportToHost = checker<ReportToHost>(REPORT_TO_HOST);
