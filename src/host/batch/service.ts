// Tracks submitted batches: a cancellable progress notification per batch that polls with backoff, then the
// Markdown report in a read-only editor (findings-mode answers also in the Problems panel), the usage at batch prices, and "Retry These" for what did not
// succeed. Pending batches live in global storage and are resumed after activation (lazily, off the
// activation path), so polling survives a window reload.
import * as vscode from 'vscode';
import { commandId } from '../commandIds';
import { describeCounts, FinishedBatch, pendingFor, planAndSubmit, runToEnd, SubmitOutcome } from '../../core/batch/job';
import { PendingStore } from '../../core/batch/pendingStore';
import type { PlanInput } from '../../core/batch/plan';
import type { PollSchedule } from '../../core/batch/schedule';
import type { PendingBatch } from '../../core/batch/types';
import { describeError, isAbortError } from '../../core/errors';
import type { Connect } from '../../core/keyRoute';
import { Clock, Logger, systemClock } from '../../core/ports';
import type { AnthropicClient } from '../../core/sdk';
import type { PriceBook } from '../../core/usage/priceBook';
import type { UsageRecord } from '../../shared/usage';
import { type ModelCapabilities, referenceCapabilities } from '../../core/capabilities';
import { jsonModeOf } from '../../core/batch/findings';
import { rereadFiles } from './files';
import { describePlaced, type FindingsSink, placeBatchFindings, type PlacedSummary } from './findings';
import { confirmPlan } from './prompts';
import { BatchReports } from './reportDocument';

export interface BatchServiceDeps {
  /** Where pending batches are kept (the extension's global storage). */
  storageDir: string;
  keys: { resolve(): Promise<{ key: string | undefined }> };
  /** KeyRoute.client: the host is allowed before the key goes anywhere but the Anthropic API. */
  connect: Connect;
  usage: { record(r: UsageRecord): void; readonly tracker: { readonly prices: PriceBook } };
  logger: Logger;
  clock?: Clock;
  /** Where findings-mode answers go (the Problems panel). */
  findings?: FindingsSink;
  /** The capability table (structured output or the tool fallback for findings). */
  models?: { resolve(model: string): Promise<ModelCapabilities> };
}

export interface TrackOptions {
  /** Poll schedule (default 2 s growing to 60 s). */
  schedule?: PollSchedule;
  /** Open the report when the batch ends (default true). */
  openReport?: boolean;
}

export type BatchRunResult =
  | { kind: 'finished'; finished: FinishedBatch; document?: vscode.TextDocument; placed?: PlacedSummary }
  /** Polling stopped (window closing, service disposed): the batch stays pending and resumes next time. */
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string };

interface Running {
  stop: AbortController;
  cancel: AbortController;
  done: Promise<BatchRunResult>;
}

/** Which workspace this window is (pending batches are resumed only by a window on the same workspace). */
export function workspaceKey(): string {
  return (vscode.workspace.workspaceFile ?? vscode.workspace.workspaceFolders?.[0]?.uri)?.toString() ?? '';
}

export class BatchService implements vscode.Disposable {
  readonly store: PendingStore;
  private readonly reports = new BatchReports();
  private readonly running = new Map<string, Running>();
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly deps: BatchServiceDeps) {
    this.store = new PendingStore(deps.storageDir, (m) => {
      deps.logger.warn(`batch: ${m}`);
      void vscode.window.showWarningMessage(`Claude API Chat: ${m}`);
    });
  }

  /** Prices with the claudeChat.prices overrides, for the estimate and the report. */
  get prices(): PriceBook {
    return this.deps.usage.tracker.prices;
  }

  /** What `model` accepts (reference data when no table was given). */
  async capabilities(model: string): Promise<ModelCapabilities> {
    return this.deps.models ? this.deps.models.resolve(model) : referenceCapabilities(model);
  }

  /** The API client for a batch's base URL, or undefined (and a message) without a key. */
  async client(baseURL: string, quiet = false): Promise<{ client: AnthropicClient; key: string } | undefined> {
    const { key } = await this.deps.keys.resolve();
    if (!key) {
      if (!quiet) {
        void vscode.window.showErrorMessage('No API key is set. Run "Claude: Set API Key" to add one.', 'Set API Key').then((c) => {
          if (c) void vscode.commands.executeCommand(commandId('setApiKey'));
        });
      }
      return undefined;
    }
    return { client: await this.deps.connect(key, baseURL), key };
  }

  /** Plan (refusing bad input), confirm unless `confirmed`, submit, persist, and start tracking. */
  async submit(input: PlanInput, baseURL: string, opts: TrackOptions & { confirmed?: boolean } = {}): Promise<{ outcome: SubmitOutcome; done?: Promise<BatchRunResult> }> {
    let c;
    try {
      c = await this.client(baseURL);
    } catch (e) {
      const message = `Could not submit the batch: ${describeError(e).message}`;
      void vscode.window.showErrorMessage(message);
      return { outcome: { kind: 'refused', message } };
    }
    if (!c) return { outcome: { kind: 'refused', message: 'No API key is set.' } };
    let outcome: SubmitOutcome;
    let submitted!: () => void;
    const uploading = new Promise<void>((r) => (submitted = r));
    try {
      outcome = await planAndSubmit(c.client.messages.batches, input, { baseURL, workspace: workspaceKey() }, {
        store: this.store,
        now: () => (this.deps.clock ?? systemClock).now(),
        confirm: async (plan) => {
          const ok = opts.confirmed || (await confirmPlan(plan, input.model, input.maxTokens));
          if (ok) vscode.window.setStatusBarMessage(`$(sync~spin) Submitting ${plan.requests.length} files to Claude as a batch…`, uploading);
          return ok;
        },
        onPersistError: (e) => this.deps.logger.warn(`batch: could not save the pending batch: ${(e as Error).message}`),
      });
    } catch (e) {
      const message = `Could not submit the batch: ${describeError(e).message}`;
      void vscode.window.showErrorMessage(message);
      return { outcome: { kind: 'refused', message } };
    } finally {
      submitted();
    }
    if (outcome.kind === 'refused') void vscode.window.showWarningMessage(outcome.message);
    if (outcome.kind !== 'submitted') return { outcome };
    this.deps.logger.info(`batch: submitted ${outcome.pending.id} (${outcome.plan.requests.length} files, ${input.model})`);
    return { outcome, done: this.track(outcome.pending, opts) };
  }

  /** Follows a batch to its end (once per batch id; a second call returns the same promise). */
  track(pending: PendingBatch, opts: TrackOptions = {}): Promise<BatchRunResult> {
    const existing = this.running.get(pending.id);
    if (existing) return existing.done;
    const run: Running = { stop: new AbortController(), cancel: new AbortController(), done: undefined! };
    run.done = this.follow(pending, run, opts).finally(() => this.running.delete(pending.id));
    this.running.set(pending.id, run);
    return run.done;
  }

  /** Asks the API to cancel a tracked batch; its report still comes (with the canceled files listed). */
  cancel(id: string): boolean {
    const run = this.running.get(id);
    if (!run || run.cancel.signal.aborted) return false;
    run.cancel.abort();
    vscode.window.setStatusBarMessage('$(sync~spin) Canceling the Claude batch…', run.done);
    return true;
  }

  /** Ids of the batches being followed now. */
  get tracking(): string[] {
    return [...this.running.keys()];
  }

  /** After activation: resume this workspace's pending batches once `delayMs` has passed (never blocks activate). */
  resumeSoon(opts: TrackOptions & { delayMs?: number } = {}): Promise<Promise<BatchRunResult>[]> {
    clearTimeout(this.resumeTimer);
    return new Promise((resolve) => {
      this.resumeTimer = setTimeout(() => {
        this.resumeTimer = undefined;
        this.resumeAll(opts).then(resolve, (e: unknown) => {
          this.deps.logger.warn(`batch: could not resume pending batches: ${(e as Error).message}`);
          resolve([]);
        });
      }, opts.delayMs ?? 1500);
    });
  }

  private async resumeAll(opts: TrackOptions): Promise<Promise<BatchRunResult>[]> {
    if (this.disposed) return [];
    const pending = await pendingFor(this.store, workspaceKey());
    if (pending.length) this.deps.logger.info(`batch: resuming ${pending.map((p) => p.id).join(', ')}`);
    return pending.map((p) => this.track(p, opts));
  }

  private async follow(pending: PendingBatch, run: Running, opts: TrackOptions): Promise<BatchRunResult> {
    const n = Object.keys(pending.files).length;
    try {
      const c = await this.client(pending.baseURL);
      if (!c) return { kind: 'failed', message: 'No API key is set; the batch stays pending.' };
      const finished = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Claude batch review of ${n === 1 ? '1 file' : `${n} files`}`, cancellable: true },
        async (progress, token) => {
          const sub = token.onCancellationRequested(() => this.cancel(pending.id));
          try {
            progress.report({ message: 'waiting for the first status…' });
            return await runToEnd(c.client.messages.batches, pending, {
              clock: this.deps.clock ?? systemClock,
              book: this.prices,
              schedule: opts.schedule,
              signal: run.stop.signal,
              cancel: run.cancel.signal,
              onStatus: (b) => progress.report({ message: describeCounts(b) }),
              onRetry: (e, ms) => this.deps.logger.warn(`batch ${pending.id}: poll failed (${describeError(e).message}); again in ${Math.round(ms / 1000)} s`),
            });
          } finally {
            sub.dispose();
          }
        },
      );
      try {
        return await this.report(finished, opts);
      } catch (e) {
        const message = `Claude batch ${pending.id} ended, but its report could not be shown: ${(e as Error).message}`;
        this.deps.logger.error(message);
        void vscode.window.showErrorMessage(message);
        return { kind: 'failed', message };
      }
    } catch (e) {
      if (isAbortError(e) || run.stop.signal.aborted) return { kind: 'stopped' };
      const status = (e as { status?: number }).status;
      const message = `Claude batch ${pending.id}: ${describeError(e).message}`;
      this.deps.logger.error(message);
      if (status === 404) {
        // The batch does not exist for this key / base URL (deleted, or another account): stop tracking it.
        await this.store.remove(pending.id).catch(() => undefined);
        void vscode.window.showErrorMessage(`${message} It is no longer tracked.`);
      } else {
        void vscode.window.showErrorMessage(`${message} It stays pending and is checked again after a reload.`);
      }
      return { kind: 'failed', message };
    }
  }

  private async report(finished: FinishedBatch, opts: TrackOptions): Promise<BatchRunResult> {
    const { pending, results } = finished;
    await this.store.remove(pending.id).catch((e: unknown) => this.deps.logger.warn(`batch: could not drop ${pending.id} from pending: ${(e as Error).message}`));
    for (const u of results.usage) this.deps.usage.record(u);
    // A read-only document: nothing to save, no "Save changes?" on close.
    const document = opts.openReport !== false ? await this.reports.open(pending.id, finished.markdown) : undefined;
    const placed = this.deps.findings ? await placeBatchFindings(finished, this.deps.findings) : undefined;
    const findings = placed ? ` ${describePlaced(placed)}.` : '';
    if (placed?.shown) await vscode.commands.executeCommand('workbench.actions.view.problems');
    const failed = Object.values(results.retry);
    const total = results.results.length;
    if (failed.length === 0) {
      void vscode.window.showInformationMessage(`Claude batch review done: ${total === 1 ? '1 file' : `${total} files`} reviewed.${findings}`);
    } else {
      const c = results.counts;
      const why = (['errored', 'canceled', 'expired', 'missing'] as const).filter((k) => c[k]).map((k) => `${c[k]} ${k === 'missing' ? 'without a result' : k}`).join(', ');
      void vscode.window.showWarningMessage(`Claude batch review done: ${failed.length} of ${total} files did not complete (${why}).`, 'Retry These').then((choice) => {
        if (choice) void this.retry(finished);
      });
    }
    return { kind: 'finished', finished, document, placed };
  }

  /** Submits a new batch with just the files that did not succeed (their current text), same model and instruction. */
  async retry(finished: FinishedBatch, opts: TrackOptions & { confirmed?: boolean } = {}): Promise<{ outcome: SubmitOutcome; done?: Promise<BatchRunResult> }> {
    const { pending, results } = finished;
    const read = await rereadFiles(Object.values(results.retry));
    return this.submit(
      { ...read, instruction: pending.instruction, model: pending.model, maxTokens: pending.maxTokens, book: this.prices, findings: pending.findings ? jsonModeOf(pending.findings.mode) : undefined },
      pending.baseURL,
      opts,
    );
  }

  dispose(): void {
    this.disposed = true;
    this.reports.dispose();
    clearTimeout(this.resumeTimer);
    for (const run of this.running.values()) run.stop.abort();
    this.running.clear();
  }
}
