// The claudeChat.tools.* settings, read fresh on every call.
import * as vscode from 'vscode';
import { clampInt, MAX_TOOL_TURNS } from '../../core/settingRanges';
import { DEFAULT_MAX_OUTPUT_BYTES, type ToolSettings } from '../../core/tools/workspace';

export const TOOLS_SECTION = 'claudeChat.tools';
export const DEFAULT_MAX_TURNS = MAX_TOOL_TURNS.fallback;

export function readToolSettings(): ToolSettings {
  const c = vscode.workspace.getConfiguration(TOOLS_SECTION);
  const enabled = c.get<unknown>('enabled');
  const max = c.get<number>('maxOutputBytes', DEFAULT_MAX_OUTPUT_BYTES);
  return {
    enabled: Array.isArray(enabled) ? enabled.filter((x): x is string => typeof x === 'string') : undefined,
    autoApproveReadOnly: c.get<boolean>('autoApproveReadOnly', true) !== false,
    maxOutputBytes: Number.isInteger(max) ? max : DEFAULT_MAX_OUTPUT_BYTES,
  };
}

/** claudeChat.tools.maxTurns: tool rounds in one turn before the loop asks "Continue?". */
export function readMaxToolTurns(): number {
  return clampInt(vscode.workspace.getConfiguration(TOOLS_SECTION).get<unknown>('maxTurns', DEFAULT_MAX_TURNS), MAX_TOOL_TURNS);
}
