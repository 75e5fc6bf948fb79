// Logger port on a LogOutputChannel ("Claude API Chat" in the Output view). Redacts anything key-shaped.
import type * as vscode from 'vscode';
import type { Logger } from '../core/ports';

const KEY_PATTERN = /sk-ant-[A-Za-z0-9_-]{6,}/g;

export function scrub(text: string): string {
  return text.replace(KEY_PATTERN, 'sk-ant-[redacted]');
}

export class ChannelLogger implements Logger {
  constructor(private readonly channel: vscode.LogOutputChannel) {}
  info(message: string): void {
    this.channel.info(scrub(message));
  }
  warn(message: string): void {
    this.channel.warn(scrub(message));
  }
  error(message: string): void {
    this.channel.error(scrub(message));
  }
}
