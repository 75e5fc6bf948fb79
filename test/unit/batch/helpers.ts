// Shared wiring for the batch tests: one fake API per file (frozen clock), the real SDK through createClient
// (retries off, as the extension builds it), a Clock whose sleeps move the fake API's clock, temp folders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abortError, Clock } from '../../../src/core/ports';
import { AnthropicClient, createClient } from '../../../src/core/sdk';
import type { ReadFile } from '../../../src/core/batch/plan';
import { DEFAULT_TEST_KEY, FakeApi, RecordedRequest, startFakeApi } from '../../fake-api/server';

export const MODEL = 'claude-sonnet-5-5';

/** One fake per describe(); reset with a frozen clock before every test. */
export function useFakeApi(): () => FakeApi {
  let api: FakeApi | undefined;
  before(async () => {
    api = await startFakeApi();
  });
  beforeEach(() => {
    api!.reset();
    api!.clock.freeze();
  });
  after(async () => {
    await api?.close();
  });
  return () => api!;
}

export function client(api: FakeApi): Promise<AnthropicClient> {
  return createClient({ apiKey: DEFAULT_TEST_KEY, baseURL: api.url });
}

/**
 * Sleeping advances the fake API's clock by the same amount (then yields), so the batch's progress follows
 * the poll schedule exactly. `onSleep` runs after each advance (e.g. to request a cancel at some point).
 */
export class ApiClock implements Clock {
  readonly sleeps: number[] = [];
  onSleep?: (elapsedMs: number) => void;
  private readonly start: number;

  constructor(private readonly api: FakeApi) {
    this.start = api.clock.now();
  }

  now(): number {
    return this.api.clock.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortError();
    this.sleeps.push(ms);
    this.api.clock.advance(ms);
    this.onSleep?.(this.api.clock.now() - this.start);
    await new Promise((r) => setImmediate(r));
    if (signal?.aborted) throw abortError();
  }
}

export function tempDir(prefix: string): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

/** Files as the host reads them: label = workspace-relative path, a file: URI under /ws. */
export function files(spec: Record<string, string>): ReadFile[] {
  return Object.entries(spec).map(([label, text]) => ({ label, uri: `file:///ws/${label}`, text }));
}

export const batchCreates = (api: FakeApi): RecordedRequest[] => api.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches');
