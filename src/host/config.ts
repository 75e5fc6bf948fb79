// Reads the claudeChat.* settings fresh on every call, so changes apply without a reload.
import * as vscode from 'vscode';
import { SettingInspection, userBaseURL } from '../core/endpoint';
import type { RequestSettings, ThinkingMode } from '../core/ports';
import { clampInt, IntRange, MAX_RETRIES, MAX_TOKENS, REQUEST_TIMEOUT_SECONDS } from '../core/settingRanges';
import { readSessionSettings } from './sessionSettings';
import { readRequestOptions } from './requestSettings';
import { readMaxToolTurns } from './tools/settings';
import { type AttachmentLimits, limitsFrom } from '../core/attachments/limits';

export const SECTION = 'claudeChat';
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

/** A numeric setting clamped to its schema range (VS Code does not enforce minimum/maximum). */
function int(c: vscode.WorkspaceConfiguration, key: string, range: IntRange): number {
  return clampInt(c.get<unknown>(key, range.fallback), range);
}

export function readSettings(): RequestSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const thinking = c.get<string>('thinking', 'off');
  return {
    model: (c.get<string>('model', DEFAULT_MODEL) || DEFAULT_MODEL).trim(),
    maxTokens: int(c, 'maxTokens', MAX_TOKENS),
    baseURL: userBaseURL(inspectBaseURL()),
    systemPrompt: c.get<string>('systemPrompt', '') ?? '',
    stopSequences: (c.get<unknown[]>('stopSequences', []) ?? []).filter((x): x is string => typeof x === 'string'),
    thinking: (['off', 'adaptive', 'enabled'].includes(thinking) ? thinking : 'off') as ThinkingMode,
    thinkingBudget: c.get<number>('thinkingBudget', 4096),
    stallTimeoutMs: int(c, 'requestTimeoutSeconds', REQUEST_TIMEOUT_SECONDS) * 1000,
    maxAttempts: int(c, 'maxRetries', MAX_RETRIES) + 1,
    cacheTtl: c.get<boolean>('cacheTtl1h', false) ? '1h' : '5m',
    maxToolRounds: readMaxToolTurns(),
    session: readSessionSettings(),
    ...readRequestOptions(),
  };
}

/**
 * claudeChat.baseURL decides where the API key goes, so only the user's own value counts: it is declared
 * application-scoped (package.json), and here workspace and folder values are ignored as well (userBaseURL).
 */
export function inspectBaseURL(): SettingInspection | undefined {
  return vscode.workspace.getConfiguration(SECTION).inspect<unknown>('baseURL');
}

/** claudeChat.attachments.*: the image size limit (UNCONFIRMED 5 vs 10 MB) and citations on PDFs. */
export function readAttachmentLimits(): AttachmentLimits {
  const c = vscode.workspace.getConfiguration(`${SECTION}.attachments`);
  return limitsFrom(c.get<unknown>('imageMaxMB'), c.get<unknown>('pdfCitations'));
}

export function maxSessionCost(): number {
  const v = vscode.workspace.getConfiguration(SECTION).get<number>('maxSessionCost', 0);
  return typeof v === 'number' && v > 0 ? v : 0;
}
