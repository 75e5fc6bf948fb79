// The small interfaces through which core/ talks to its host. core/ never imports `vscode`.
import type { UsageRecord } from '../shared/usage';
import type { SessionSettings } from './session/settings';
import type { CacheReason, Effort, ToolChoiceMode } from '../shared/requestOptions';
import type { WebToolSettings } from './web/webTools';

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const nullLogger: Logger = { info() {}, warn() {}, error() {} };

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export function abortError(): Error {
  const e = new Error('aborted');
  e.name = 'AbortError';
  return e;
}

export type ThinkingMode = 'off' | 'adaptive' | 'enabled';

/** Settings read fresh for every request, so a change takes effect without a reload. */
export interface RequestSettings {
  model: string;
  maxTokens: number;
  /** Empty string = the SDK's default (https://api.anthropic.com). */
  baseURL: string;
  systemPrompt?: string;
  stopSequences?: string[];
  thinking?: ThinkingMode;
  /** For thinking 'enabled': >= 1024 and < maxTokens. */
  thinkingBudget?: number;
  /** Give up on a stream that sends no bytes for this long (ms). 0 = never. */
  stallTimeoutMs?: number;
  /** Total tries for a retryable failure, the first included. */
  maxAttempts?: number;
  /** Cap on tool rounds in one turn before asking "Continue?". */
  maxToolRounds?: number;
  /** TTL of the long-lived cache breakpoints (tools + system, attached context). */
  cacheTtl?: '5m' | '1h';
  /** Long-session settings (compaction, context editing, meter, cost guard, checkpoints): core/session/settings.ts. */
  session?: Partial<Record<keyof SessionSettings, unknown>>;
  /** output_config.effort (claudeChat.effort or the conversation's); sent only where the model accepts it. */
  effort?: Effort;
  /** tool_choice when tools are offered (default auto). */
  toolChoice?: ToolChoiceMode;
  /** The web server tools' settings; on for a request only when the conversation (or claudeChat.web.enabled) says so. */
  web?: WebToolSettings;
  /** claudeChat.web.enabled: the web tools' default for a conversation. */
  webDefault?: boolean;
  /** Ask the API why the cache missed (`diagnostics.previous_message_id`); claudeChat.cacheDiagnostics. */
  cacheDiagnostics?: boolean;
  /** More system blocks after the system prompt (project instruction files), in the stable cached prefix. */
  systemBlocks?: readonly string[];
}

/** A request whose prefix could have been read from the cache and was not (core/cacheDoctor.ts). */
export interface CacheMissRecord {
  model: string;
  reason: CacheReason;
  /** Tokens that were written or sent again instead of read. */
  missedTokens: number;
  at: number;
}

/** Where the usage of each API response goes (the status-bar counter and the stored usage history). */
export interface UsageRecorder {
  record(r: UsageRecord): void;
  /** Dollars for a response's usage at list prices, when the model has a price (for the turn footer). */
  costOf?(r: UsageRecord): number | undefined;
  /** A cache miss, for the session's tally by reason (status-bar tooltip). */
  cacheMiss?(m: CacheMissRecord): void;
}
