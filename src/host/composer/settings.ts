// The composer's settings: which instruction and command files are read, and the context limits.
import * as vscode from 'vscode';
import type { ComposerSettings } from '../../core/composer/ports';
import { clampInt } from '../../core/settingRanges';
import { readContextSettings } from '../editor/files';

export const INSTRUCTIONS_SECTION = 'claudeChat.instructions';
export const COMMANDS_SECTION = 'claudeChat.commands';
const MAX_FILE_KB = { min: 1, max: 256, fallback: 32 };

export function readComposerSettings(): ComposerSettings {
  const c = vscode.workspace.getConfiguration('claudeChat');
  const on = (key: string) => c.get<unknown>(key, true) !== false;
  const ctx = readContextSettings();
  return {
    instructions: {
      agentsMd: on('instructions.agentsMd'),
      claudeMd: on('instructions.claudeMd'),
      claudeLocalMd: on('instructions.claudeLocalMd'),
      copilotInstructions: on('instructions.copilotInstructions'),
      nested: on('instructions.nested'),
      maxFileBytes: clampInt(c.get<unknown>('instructions.maxFileKB', MAX_FILE_KB.fallback), MAX_FILE_KB) * 1024,
    },
    commands: { promptFiles: on('commands.promptFiles'), claudeCommands: on('commands.claudeCommands') },
    maxFileBytes: ctx.maxFileKB * 1024,
    confirmTokens: ctx.confirmTokens,
  };
}
