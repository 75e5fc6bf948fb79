// The usage feature's front door: the chat engine reports each response's usage (and the live estimate while
// streaming) here; it feeds the session tracker, the stored history, the status bar and the usage report.
import * as vscode from 'vscode';
import { Disposable } from '../core/lifecycle';
import type { CacheMissRecord, Logger } from '../core/ports';
import { recordCost } from '../core/usage/cost';
import { PriceBook } from '../core/usage/priceBook';
import { buildReport, ReportData } from '../core/usage/reportData';
import { UsageStore } from '../core/usage/store';
import { ContextInfo, UsageTracker } from '../core/usage/tracker';
import type { Tokens, UsageRecord } from '../shared/usage';
import { costOf } from '../core/usage/cost';
import { UsageStatusBar } from './statusBar';
import { UsageReportPanel } from './usageReport';

const SECTION = 'claudeChat';
const COUNT_FIELDS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWrite5mTokens', 'cacheWrite1hTokens'] as const;

export class UsageService extends Disposable {
  readonly tracker: UsageTracker;
  readonly store: UsageStore;
  private readonly statusBar: UsageStatusBar;
  private readonly report: UsageReportPanel;
  private priceProblems: string[] = [];
  private readonly warned = new Set<string>();
  private writes: Promise<void> = Promise.resolve();

  constructor(ctx: { globalStorageUri: vscode.Uri; extensionUri: vscode.Uri }, private readonly logger: Logger) {
    super();
    this.tracker = new UsageTracker(this.loadPrices());
    this.store = new UsageStore(ctx.globalStorageUri.fsPath, { onProblem: (m) => this.warn(m) });
    this.statusBar = this.register(new UsageStatusBar(this.tracker, () => this.maxSessionCost()));
    this.report = this.register(new UsageReportPanel(ctx.extensionUri, () => this.reportData(), logger));
    this.register(
      this.tracker.onDidChange((e) => {
        if (!e.live && this.report.isOpen) void this.report.refresh();
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.prices`)) this.tracker.setPrices(this.loadPrices());
        else if (e.affectsConfiguration(`${SECTION}.maxSessionCost`)) this.statusBar.render();
      }),
    );
  }

  /** Exact usage of one API response. */
  record(r: UsageRecord): void {
    const bad = COUNT_FIELDS.filter((f) => !(Number.isFinite(r[f]) && r[f] >= 0));
    if (bad.length || typeof r.model !== 'string' || !Number.isFinite(r.at)) {
      this.logger.warn(`usage: ignored a malformed record (${bad.join(', ') || 'model/at'}): ${JSON.stringify(r).slice(0, 300)}`);
      return;
    }
    this.tracker.record(r);
    this.writes = this.store.add(r, workspaceLabel());
  }

  /** Dollars for one response at list prices (tokens and web searches), or undefined without a price. */
  costOf(r: UsageRecord): number | undefined {
    return recordCost(r, this.tracker.prices)?.total;
  }

  /** A cache miss the cache doctor found: summed by reason in the status-bar tooltip. */
  cacheMiss(m: CacheMissRecord): void {
    this.tracker.cacheMiss(m);
  }

  /** Live estimate of the output tokens of the reply streaming now. */
  streaming(conversationId: string, estimatedOutputTokens: number): void {
    this.tracker.streaming(conversationId, estimatedOutputTokens);
  }

  streamEnded(): void {
    this.tracker.streamEnded();
  }

  /** Context-window use of the current conversation and the pre-send estimate. */
  setContext(info: { model: string; promptTokens: number; contextWindow?: number; estimate?: number }): void {
    const c: ContextInfo = { model: info.model, promptTokens: info.promptTokens };
    if (info.contextWindow !== undefined) c.contextWindow = info.contextWindow;
    if (info.estimate !== undefined) c.estimate = info.estimate;
    this.tracker.setContext(c);
  }

  /** USD for tokens sent to `model`, with the user's claudeChat.prices; undefined when the model has no price. */
  price(model: string, t: Tokens): number | undefined {
    return costOf(model, t, false, this.tracker.prices)?.total;
  }

  showReport(): void {
    this.report.show();
  }

  /** The status-bar item's current text. */
  statusText(): string {
    this.statusBar.flush();
    return this.statusBar.text;
  }

  /** The status-bar item's tooltip Markdown. */
  tooltipMarkdown(): string {
    return this.statusBar.tooltip;
  }

  /** True while the item has the warning background. */
  statusWarning(): boolean {
    return this.statusBar.warning;
  }

  /** Problems found in `claudeChat.prices` (entries that were ignored). */
  get pricesProblems(): readonly string[] {
    return this.priceProblems;
  }

  /** Resolves when every record so far is on disk. */
  flushed(): Promise<void> {
    return this.writes.then(() => this.store.flush());
  }

  /** Forgets this session's counts (the stored history stays). */
  resetSession(): void {
    this.tracker.reset();
  }

  async reportData(): Promise<ReportData> {
    return buildReport(await this.store.rows(), this.tracker, { now: Date.now(), workspace: workspaceLabel(), problems: this.priceProblems });
  }

  private loadPrices(): PriceBook {
    const raw = vscode.workspace.getConfiguration(SECTION).get<unknown>('prices');
    const { book, problems } = PriceBook.withOverrides(raw);
    this.priceProblems = problems;
    for (const p of problems) this.warn(p);
    return book;
  }

  private maxSessionCost(): number | undefined {
    const v = vscode.workspace.getConfiguration(SECTION).get<unknown>('maxSessionCost');
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
  }

  /** Logs every problem; shows each distinct one to the user once per session. */
  private warn(message: string): void {
    this.logger.warn(`usage: ${message}`);
    if (this.warned.has(message)) return;
    this.warned.add(message);
    void vscode.window.showWarningMessage(`Claude API Chat: ${message}`);
  }
}

function workspaceLabel(): string {
  return vscode.workspace.name ?? '(no folder)';
}
