// Loads the Anthropic SDK lazily, on the first request, so that activate() stays cheap.
import type Anthropic from '@anthropic-ai/sdk';

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

/** A client with SDK retries off: the engine owns retries so the user can see and cancel them. */
export async function createClient(opts: ClientOptions): Promise<AnthropicClient> {
  const { default: AnthropicCtor } = await loadSdk();
  return new AnthropicCtor({
    apiKey: opts.apiKey,
    authToken: null,
    baseURL: opts.baseURL.trim() || 'https://api.anthropic.com',
    maxRetries: 0,
  });
}
