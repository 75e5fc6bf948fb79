// Guards for messages FROM the webview pages (untrusted input): the chat's WebviewToHost and the usage report's
// ReportToHost. Only the extension host bundles this file.
import { array, boolean, integer, maxLength, maxValue, minLength, minValue, number, optional, picklist, pipe, regex, strictObject, string } from 'valibot';
import { MAX_ATTACHMENT_BASE64, MAX_THUMBNAIL_CHARS } from '../attachments';
import { EFFORTS, TOOL_CHOICE_MODES } from '../requestOptions';
import type { WebviewToHost } from '../protocol';
import type { ReportToHost } from '../usageReport';
import { checker, GuardTable, message, Mismatched, text } from './common';

/** Longest text from the webview (a message, a draft, a code block). */
export const MAX_TEXT = 1_000_000;

const conversationId = pipe(string(), maxLength(64), regex(/^[a-zA-Z0-9_-]+$/));
const base64 = (max: number) => pipe(string(), maxLength(max), regex(/^[A-Za-z0-9+/]*={0,2}$/));
const pixels = pipe(number(), integer(), minValue(1), maxValue(1_000_000));
const imageType = picklist(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** The largest image the webview sends back after preparing it (the image size limit is at most 10 MB). */
const MAX_PREPARED_BASE64 = 11 * 1024 * 1024;

export const WEBVIEW_TO_HOST = {
  ready: message('ready', {}),
  // The host decides how many turns one answer holds (core/chat/turnPages.ts): the view names only where it is.
  loadOlder: message('loadOlder', { conversationId, before: text(100) }),
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
  toolDecision: message('toolDecision', { toolId: text(200), decision: picklist(['approve', 'reject', 'always', 'workspace']) }),
  runCommand: message('runCommand', { command: picklist(['setApiKey', 'openSettings']) }),
  openLink: message('openLink', { href: text(8192) }),
  codeBlockAction: message('codeBlockAction', { action: picklist(['copy', 'insert', 'apply']), code: text(MAX_TEXT), lang: text(100) }),
  compact: message('compact', {}),
  editResend: message('editResend', { turnId: text(100), text: text(MAX_TEXT) }),
  restoreCheckpoint: message('restoreCheckpoint', { turnId: text(100) }),
  attachFile: message('attachFile', {
    localId: text(100),
    name: text(1000),
    data: base64(MAX_ATTACHMENT_BASE64),
    thumbnail: optional(text(MAX_THUMBNAIL_CHARS)),
    resizedFrom: optional(strictObject({ width: pixels, height: pixels })),
  }),
  attachUris: message('attachUris', { uris: pipe(array(text(8192)), maxLength(100)) }),
  pickAttachments: message('pickAttachments', {}),
  removeAttachment: message('removeAttachment', { id: text(100) }),
  openAttachment: message('openAttachment', { id: text(100) }),
  openCitation: message('openCitation', { turnId: text(100), blockId: text(200), index: pipe(number(), integer(), minValue(0), maxValue(100_000)) }),
  imagePrepared: message('imagePrepared', {
    requestId: text(100),
    width: optional(pixels),
    height: optional(pixels),
    data: optional(base64(MAX_PREPARED_BASE64)),
    mediaType: optional(imageType),
    thumbnail: optional(text(MAX_THUMBNAIL_CHARS)),
    error: optional(text(1000)),
  }),
  setEffort: message('setEffort', { effort: picklist(['default', ...EFFORTS]) }),
  setToolChoice: message('setToolChoice', { choice: picklist(TOOL_CHOICE_MODES) }),
  setWebTools: message('setWebTools', { on: boolean() }),
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
