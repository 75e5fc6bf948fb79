// Shared set-up for the fake API's own tests: one server per file, reset after each test, and SDK clients
// pointed at it. The fake is driven only through the real SDK.
import Anthropic, { ClientOptions } from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { DEFAULT_TEST_KEY, FakeApi, FakeApiOptions, startFakeApi } from '../../fake-api/server';

export const MODEL = 'claude-sonnet-5-5';

/** Starts one fake for the enclosing describe(); resets it after every test. */
export function useFakeApi(opts: FakeApiOptions = {}): () => FakeApi {
  let api: FakeApi | undefined;
  before(async () => {
    api = await startFakeApi(opts);
  });
  afterEach(() => api?.reset());
  after(async () => {
    await api?.close();
  });
  return () => {
    if (!api) throw new Error('fake api not started');
    return api;
  };
}

/** An SDK 1.x client (Bearer auth, anthropic-version 2026-10-21), no retries unless asked. */
export function sdk(api: FakeApi, opts: Partial<ClientOptions> = {}): Anthropic {
  return new Anthropic({ baseURL: api.url, apiKey: DEFAULT_TEST_KEY, maxRetries: 0, logLevel: 'off', ...opts });
}

/** The same SDK speaking like 0.x: x-api-key and anthropic-version 2023-06-01. */
export function sdk0(api: FakeApi, opts: Partial<ClientOptions> = {}): Anthropic {
  return sdk(api, {
    ...opts,
    defaultHeaders: { 'anthropic-version': '2023-06-01', 'x-api-key': DEFAULT_TEST_KEY, authorization: null, ...(opts.defaultHeaders ?? {}) },
  });
}

/** Awaits a rejection and checks its class; returns the error for further assertions. */
export async function rejectsWith<T extends Error>(p: Promise<unknown> | (() => Promise<unknown>), cls: abstract new (...a: never[]) => T): Promise<T> {
  let caught: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `expected a rejection with ${cls.name}, but it resolved`);
  assert.ok(caught instanceof cls, `expected ${cls.name}, got ${(caught as Error)?.constructor?.name}: ${(caught as Error)?.message}`);
  return caught as T;
}

export const user = (content: Anthropic.MessageParam['content']): Anthropic.MessageParam => ({ role: 'user', content });
export const assistant = (content: Anthropic.MessageParam['content']): Anthropic.MessageParam => ({ role: 'assistant', content });
