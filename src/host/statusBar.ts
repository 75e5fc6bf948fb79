// The status-bar item: live output tokens while a reply streams, otherwise the session's cost, tokens and cache
// share; a Markdown table in the tooltip; warning colour near the context limit or past the spend guard.
import * as vscode from 'vscode';
import { commandId } from './commandIds';
import { statusText, tooltipMarkdown, warnings } from '../core/usage/summary';
import type { UsageTracker } from '../core/usage/tracker';
import { Disposable } from '../core/lifecycle';

const SHOW_USAGE_COMMAND = commandId('showUsage');

export class UsageStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly tracker: UsageTracker, private readonly maxSessionCost: () => number | undefined) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('claudeChat.usage', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Claude Usage';
    this.item.command = SHOW_USAGE_COMMAND;
    this.register(tracker.onDidChange((e) => this.render(e.live)));
    this.render(false);
    this.item.show();
  }

  /** Re-renders now. `liveOnly`: only the streaming estimate changed, so the tooltip and colour stay. */
  render(liveOnly = false): void {
    const text = statusText(this.tracker);
    this.item.text = text;
    this.item.accessibilityInformation = { label: `Claude usage: ${text.replace(/\$\([^)]*\)\s*/g, 'streaming, ')}`, role: 'button' };
    if (liveOnly && this.item.tooltip) return;
    const max = this.maxSessionCost();
    const tip = new vscode.MarkdownString(tooltipMarkdown(this.tracker, max), true);
    tip.isTrusted = { enabledCommands: [SHOW_USAGE_COMMAND] };
    this.item.tooltip = tip;
    this.item.backgroundColor = warnings(this.tracker, max).length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : t?.value ?? '';
  }

  get warning(): boolean {
    return this.item.backgroundColor !== undefined;
  }
}
