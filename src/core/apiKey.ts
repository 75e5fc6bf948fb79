// Where the API key lives (SecretStorage, else the ANTHROPIC_API_KEY environment variable) and how it is checked.
import type { KeySource } from '../shared/protocol';
import { describeError } from './errors';
import type { Connect } from './keyRoute';
import type { SecretStore } from './ports';
import { rememberSecret } from './redact';

export const SECRET_KEY_NAME = 'claudeChat.apiKey';

export interface ResolvedKey {
  key: string | undefined;
  source: KeySource;
}

export type KeyCheck = { ok: true } | { ok: false; message: string };

export class ApiKeyService {
  /** The last resolved key: reading SecretStorage can cost a round trip (remote and web hosts), not per request. */
  private cached: Promise<ResolvedKey> | undefined;

  /**
   * @param connect how the check call gets its client: in the extension, KeyRoute.client (the user allows the host
   *   before the key goes anywhere but the Anthropic API).
   */
  constructor(
    private readonly secrets: SecretStore,
    private readonly connect: Connect,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  /** Forget the cached key; call when SecretStorage reports a change. */
  invalidate(): void {
    this.cached = undefined;
  }

  resolve(): Promise<ResolvedKey> {
    this.cached ??= this.read().catch((e: unknown) => {
      this.cached = undefined;
      throw e;
    });
    return this.cached;
  }

  private async read(): Promise<ResolvedKey> {
    const stored = await this.secrets.get(SECRET_KEY_NAME);
    rememberSecret(stored);
    if (stored) return { key: stored, source: 'secret' };
    const fromEnv = this.env.ANTHROPIC_API_KEY?.trim();
    rememberSecret(fromEnv);
    if (fromEnv) return { key: fromEnv, source: 'env' };
    return { key: undefined, source: 'none' };
  }

  /** Shape check done while the user types, before any network call. */
  static checkFormat(key: string): string | undefined {
    const k = key.trim();
    if (!k) return 'Enter your Anthropic API key (it starts with "sk-ant-").';
    if (/\s/.test(k)) return 'An API key has no spaces or line breaks.';
    if (k.length < 20) return 'That is too short to be an API key.';
    return undefined;
  }

  /** One cheap authenticated call (GET /v1/models?limit=1) to `baseURL` (default: the claudeChat.baseURL setting). */
  async validate(key: string, baseURL?: string): Promise<KeyCheck> {
    const format = ApiKeyService.checkFormat(key);
    if (format) return { ok: false, message: format };
    rememberSecret(key); // before anything is sent: an error that echoes it is redacted
    try {
      const client = await this.connect(key.trim(), baseURL);
      await client.models.list({ limit: 1 });
      return { ok: true };
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 401) return { ok: false, message: 'The API rejected this key (401). It was not saved.' };
      return { ok: false, message: `${describeError(err).message} The key was not saved.` };
    }
  }

  /** Validates, then stores. Returns the check so the caller can show why a key was refused. */
  async set(key: string, baseURL?: string): Promise<KeyCheck> {
    const check = await this.validate(key, baseURL);
    if (check.ok) {
      await this.secrets.store(SECRET_KEY_NAME, key.trim());
      this.invalidate();
    }
    return check;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY_NAME);
    this.invalidate();
  }
}
