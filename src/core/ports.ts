// The small interfaces through which core/ talks to its host. core/ never imports `vscode`.
import type { UsageRecord } from '../shared/usage';

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
  /** More system blocks after the system prompt (project instruction files), in the stable cached prefix. */
  systemBlocks?: readonly string[];
}

/** Where the usage of each API response goes (the status-bar counter and the stored usage history). */
export interface UsageRecorder {
  record(r: UsageRecord): void;
}
