// Logger port on a LogOutputChannel ("Claude API Chat" in the Output view). Every line passes through redact():
// the session's keys, anything key-shaped and key-carrying header values never reach the log.
import type * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { redact } from '../core/redact';

export class ChannelLogger implements Logger {
  constructor(private readonly channel: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>) {}
  info(message: string): void {
    this.channel.info(redact(message));
  }
  warn(message: string): void {
    this.channel.warn(redact(message));
  }
  error(message: string): void {
    this.channel.error(redact(message));
  }
}
