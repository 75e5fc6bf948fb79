// Loads the Anthropic SDK lazily, on the first request, so that activate() stays cheap.
import type Anthropic from '@anthropic-ai/sdk';
import { parseEndpoint } from './endpoint';
import { rememberSecret } from './redact';

export type AnthropicClient = Anthropic;
type SdkModule = typeof import('@anthropic-ai/sdk');

let sdkPromise: Promise<SdkModule> | undefined;

export function loadSdk(): Promise<SdkModule> {
  // A plain require on first use: in the packaged extension it loads the separate dist/sdk.js bundle (esbuild.js),
  // so loading and activating the extension never parses the SDK.
  sdkPromise ??= Promise.resolve().then(() => require('@anthropic-ai/sdk') as SdkModule);
  return sdkPromise;
}

export interface ClientOptions {
  apiKey: string;
  baseURL: string;
}

/**
 * A client with SDK retries off: the engine owns retries so the user can see and cancel them.
 *
 * Low level: the extension reaches this only through KeyRoute (keyRoute.ts), which asks the user before a key
 * goes to a host other than the Anthropic API. Here, unconditionally: the base URL must pass parseEndpoint (https,
 * or http to loopback only; no credentials), it is always passed explicitly (so ANTHROPIC_BASE_URL in the
 * environment never redirects the key), and the SDK's own logging is off (ANTHROPIC_LOG cannot print responses
 * that echo the key to the console).
 */
export async function createClient(opts: ClientOptions): Promise<AnthropicClient> {
  const endpoint = parseEndpoint(opts.baseURL);
  rememberSecret(opts.apiKey);
  const { default: AnthropicCtor } = await loadSdk();
  return new AnthropicCtor({
    apiKey: opts.apiKey,
    authToken: null,
    baseURL: endpoint.baseURL,
    maxRetries: 0,
    logLevel: 'off',
  });
}
