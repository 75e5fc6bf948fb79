// The status-bar item: live output tokens while a reply streams, otherwise the session's cost, tokens and cache
// share; a Markdown table in the tooltip; warning colour near the context limit or past the spend guard.
import * as vscode from 'vscode';
import { commandId } from './commandIds';
import { statusText, tooltipMarkdown, warnings } from '../core/usage/summary';
import type { UsageTracker } from '../core/usage/tracker';
import { Disposable } from '../core/lifecycle';
import { Throttle } from '../core/usage/throttle';

const SHOW_USAGE_COMMAND = commandId('showUsage');
/**
 * The live token count while a reply streams is repainted at most this often. Every change of a status-bar item is
 * a message to the workbench, the same thread that relays the reply to the chat view: per delta it competed with
 * the reply itself for the first token and for every frame after it.
 */
export const LIVE_REFRESH_MS = 250;

export class UsageStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  /**
   * A new streaming estimate is painted at most every LIVE_REFRESH_MS, the latest value last. The first one of a
   * reply waits a little too, so the first words reach the chat view before the status bar changes.
   */
  private readonly live = this.register(new Throttle(() => this.render(true), LIVE_REFRESH_MS, 50));

  constructor(private readonly tracker: UsageTracker, private readonly maxSessionCost: () => number | undefined) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('claudeChat.usage', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Claude Usage';
    this.item.command = SHOW_USAGE_COMMAND;
    this.register(tracker.onDidChange((e) => (e.live ? this.live.run() : this.render(false))));
    this.render(false);
    this.item.show();
  }

  /** Paints a pending live estimate now (readers of `text` see what the tracker holds). */
  flush(): void {
    this.live.flush();
  }

  /** Re-renders now. `liveOnly`: only the streaming estimate changed, so the tooltip and colour stay. */
  render(liveOnly = false): void {
    if (!liveOnly) this.live.cancel();
    const text = statusText(this.tracker);
    const label = `Claude usage: ${text.replace(/\$\([^)]*\)\s*/g, 'streaming, ')}`;
    // Unchanged properties are not set again: each set is a message to the workbench.
    if (this.item.text !== text) this.item.text = text;
    if (this.item.accessibilityInformation?.label !== label) this.item.accessibilityInformation = { label, role: 'button' };
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
