// The long-session settings as core reads them (core/session/settings.ts clamps every value).
import * as vscode from 'vscode';
import type { SessionSettings } from '../core/session/settings';

export function readSessionSettings(): Partial<Record<keyof SessionSettings, unknown>> {
  const c = vscode.workspace.getConfiguration('claudeChat');
  return {
    autoCompact: c.get('compaction.auto'),
    threshold: c.get('compaction.threshold'),
    summaryModel: c.get('compaction.model'),
    serverCompaction: c.get('compaction.serverSide'),
    editing: c.get('contextEditing.mode'),
    keepRounds: c.get('contextEditing.keepRounds'),
    minClearTokens: c.get('contextEditing.minTokens'),
    clearAtLeast: c.get('contextEditing.clearAtLeast'),
    clearTools: c.get('contextEditing.tools'),
    meterWarnAt: c.get('contextMeter.warnAt'),
    maxRequestTokens: c.get('tools.maxRequestTokens'),
    checkpoints: c.get('checkpoints.enabled'),
    checkpointKB: c.get('checkpoints.maxKB'),
  };
}
