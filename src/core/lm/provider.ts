// The engine of the "Claude (your API key)" language model provider, vscode-free: checks (provider on, the caller
// allowed, a key, the spend guard), builds the request, streams the reply back as parts, records usage marked with
// the calling extension, and turns failures into messages the caller can show. The key stays here: every client
// comes from KeyRoute.client (`connect`), and nothing returned or thrown carries it (describeError redacts).
import type { Connect } from '../keyRoute';
import { describeError, isAbortError } from '../errors';
import type { Clock, Logger, UsageRecorder } from '../ports';
import { usageFromApi } from '../../shared/usage';
import { estimateTokens } from '../tokens';
import type { Caller, CallerConsent } from './consent';
import { ReplyFolder, streamProviderReply, ToolInputError } from './fromStream';
import type { ModelCaps, ProviderThinking } from './modelCaps';
import type { LmMessage, LmResponsePart, LmTool } from './parts';
import { buildProviderRequest, ProviderRequestError, type ToolMode } from './request';
import { ThinkingMemory } from './thinkingMemory';

export const PROVIDER_NAME = 'Claude (your API key)';

export interface ProviderSettings {
  enabled: boolean;
  /** Upper bound on max_tokens (the model's own limit applies too). */
  maxOutputTokens: number;
  thinking: ProviderThinking;
  thinkingBudget: number;
  cacheTtl?: '5m' | '1h';
}

export interface ProviderModel {
  id: string;
  maxOutput?: number;
  caps?: ModelCaps;
}

export interface ProviderDeps {
  settings(): ProviderSettings;
  apiKey(): Promise<string | undefined>;
  connect: Connect;
  /** What /v1/models said about this model, if it was listed. */
  model(id: string): ProviderModel | undefined;
  consent: CallerConsent;
  /** The spend guard: false = do not send. */
  mayRequest(): Promise<boolean>;
  usage?: UsageRecorder;
  clock: Clock;
  logger: Logger;
}

/** A failure to show the caller. `code` picks a LanguageModelError kind in the host. */
export class ProviderError extends Error {
  constructor(message: string, readonly code?: 'NoPermissions' | 'Blocked' | 'NotFound') {
    super(`${PROVIDER_NAME}: ${message}`);
    this.name = 'ProviderError';
  }
}

const DEFAULT_MAX_OUTPUT = 8192;

export class ClaudeProviderEngine {
  readonly memory = new ThinkingMemory();

  constructor(private readonly deps: ProviderDeps) {}

  async respond(modelId: string, messages: readonly LmMessage[], tools: readonly LmTool[], toolMode: ToolMode, caller: Caller, report: (p: LmResponsePart) => void, signal: AbortSignal): Promise<void> {
    const s = this.deps.settings();
    if (!s.enabled) throw new ProviderError('turned off (setting claudeChat.languageModelProvider.enabled).', 'Blocked');
    if (!(await this.deps.consent.check(caller))) {
      throw new ProviderError(`${caller.label} may not use Claude with your API key. Run "Claude: Manage Extension Access to Claude" to change that.`, 'NoPermissions');
    }
    const key = await this.deps.apiKey();
    if (!key) throw new ProviderError('no API key is set. Run "Claude: Set API Key".', 'NoPermissions');
    if (!(await this.deps.mayRequest())) throw new ProviderError('not sent: this session passed your spend limit (claudeChat.maxSessionCost).', 'Blocked');
    if (signal.aborted) return;
    const model = this.deps.model(modelId);
    const maxTokens = Math.max(1, Math.min(model?.maxOutput ?? DEFAULT_MAX_OUTPUT, s.maxOutputTokens));
    let request;
    try {
      request = buildProviderRequest(messages, tools, toolMode, { model: modelId, caps: model?.caps, maxTokens, thinking: s.thinking, thinkingBudget: s.thinkingBudget, cacheTtl: s.cacheTtl }, this.memory);
    } catch (e) {
      if (e instanceof ProviderRequestError) throw new ProviderError(e.message);
      throw e;
    }
    for (const n of request.notes) this.deps.logger.info(`provider (${caller.id}): ${n}`);
    const folder = new ReplyFolder(request.names, report, this.memory);
    try {
      const client = await this.deps.connect(key);
      const reply = await streamProviderReply(client, request.params, folder, signal);
      this.record(modelId, caller, reply.apiUsage, true);
    } catch (e) {
      const partial = folder.reply;
      if (typeof partial.apiUsage.input_tokens === 'number') {
        const out = Math.max(Number(partial.apiUsage.output_tokens) || 0, estimateTokens('x'.repeat(partial.outputChars)));
        this.record(modelId, caller, { ...partial.apiUsage, output_tokens: out }, false);
      }
      if (signal.aborted || isAbortError(e)) return;
      if (e instanceof ToolInputError) throw new ProviderError(e.message);
      throw toProviderError(e, key);
    }
  }

  private record(model: string, caller: Caller, apiUsage: Record<string, unknown>, exact: boolean): void {
    const r = usageFromApi(apiUsage, { model, batch: false, at: this.deps.clock.now(), kind: 'provider', caller: caller.id });
    this.deps.usage?.record({ ...r, exact });
  }
}

interface ErrorWithHeaders {
  status?: number;
  headers?: { get?(name: string): string | null } | Record<string, string | undefined>;
}

function header(e: ErrorWithHeaders, name: string): string | undefined {
  const h = e.headers;
  if (!h) return undefined;
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null }).get(name) ?? undefined;
  return (h as Record<string, string | undefined>)[name];
}

/** Seconds the API asked the caller to wait (retry-after-ms, else retry-after in seconds or as a date). */
export function retryAfterSeconds(e: unknown, now = Date.now()): number | undefined {
  const err = (e ?? {}) as ErrorWithHeaders;
  const ms = Number.parseFloat(header(err, 'retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms / 1000);
  const after = header(err, 'retry-after');
  if (after === undefined) return undefined;
  const secs = Number.parseFloat(after);
  if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs);
  const date = Date.parse(after);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now) / 1000)) : undefined;
}

export function toProviderError(e: unknown, key?: string): ProviderError {
  const view = describeError(e, key);
  const status = (e as ErrorWithHeaders | undefined)?.status;
  if (status === 429) {
    const wait = retryAfterSeconds(e);
    return new ProviderError(wait === undefined ? view.message : `${view.message} The API asks to retry after ${wait} s.`);
  }
  if (status === 401 || status === 403) return new ProviderError(view.message, 'NoPermissions');
  if (status === 404) return new ProviderError(view.message.replace(/ Check the model in the claudeChat\.model setting or the model picker\./, ' Pick another Claude model.'), 'NotFound');
  return new ProviderError(view.message);
}
