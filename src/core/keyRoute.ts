// The one way the extension turns settings into an API client. Before the key first goes to a host other than
// api.anthropic.com the user confirms that host (host and port named, modal); the answer "yes" is remembered per
// host, "no" for this session. Nothing is sent, and no client exists, until the route says yes.
import { Endpoint, EndpointError, parseEndpoint, SettingInspection, userBaseURL } from './endpoint';
import type { Logger } from './ports';
import { nullLogger } from './ports';
import { AnthropicClient, createClient } from './sdk';

/** Asks the user whether the key may go to this endpoint (the host shows a modal naming `hostPort`). */
export interface HostApproval {
  confirm(endpoint: Endpoint): Promise<boolean>;
}

/** Hosts (origins) the user allowed, kept across sessions on this machine (globalState in the extension). */
export interface ApprovedHosts {
  has(origin: string): boolean;
  add(origin: string): Promise<void>;
}

export class HostDeclinedError extends Error {
  readonly action = 'openSettings' as const;
  constructor(readonly endpoint: Endpoint) {
    super(
      `Nothing was sent: your API key may not go to ${endpoint.hostPort} (the claudeChat.baseURL setting), because you did not allow it. ` +
        'Clear claudeChat.baseURL in your User settings to use the Anthropic API, or set another address; you are asked again after the setting changes or when you run "Claude: Set API Key".',
    );
    this.name = 'HostDeclinedError';
  }
}

export type Connect = (apiKey: string, baseURL?: string) => Promise<AnthropicClient>;

export interface KeyRouteDeps {
  approval: HostApproval;
  approved: ApprovedHosts;
  /** claudeChat.baseURL as vscode's inspect() reports it; only the user (global) value or the default is used. */
  setting: () => SettingInspection | undefined;
  logger?: Logger;
  /** The client maker (tests can count calls); default createClient. */
  clientFactory?: (opts: { apiKey: string; baseURL: string }) => Promise<AnthropicClient>;
}

export class KeyRoute {
  private readonly declined = new Set<string>();
  /** Allowed this session (also when remembering it failed). */
  private readonly allowed = new Set<string>();
  private readonly asking = new Map<string, Promise<boolean>>();
  private readonly logger: Logger;

  constructor(private readonly deps: KeyRouteDeps) {
    this.logger = deps.logger ?? nullLogger;
  }

  /** The base URL the settings choose (user settings or default only). */
  currentBaseURL(): string {
    return userBaseURL(this.deps.setting());
  }

  /**
   * The checked endpoint for `baseURL` (default: the setting), once the user has allowed its host.
   * Throws EndpointError (refused URL) or HostDeclinedError (the user said no); in both cases nothing was sent.
   */
  async endpoint(baseURL: string = this.currentBaseURL()): Promise<Endpoint> {
    const ep = parseEndpoint(baseURL);
    if (ep.official || this.allowed.has(ep.origin) || this.deps.approved.has(ep.origin)) return ep;
    if (this.declined.has(ep.origin)) throw new HostDeclinedError(ep);
    let pending = this.asking.get(ep.origin);
    if (!pending) {
      pending = this.ask(ep).finally(() => this.asking.delete(ep.origin));
      this.asking.set(ep.origin, pending);
    }
    if (!(await pending)) throw new HostDeclinedError(ep);
    return ep;
  }

  /** A client for `apiKey` at `baseURL` (default: the setting), after endpoint() said yes. */
  readonly client: Connect = async (apiKey, baseURL) => {
    const ep = await this.endpoint(baseURL);
    return (this.deps.clientFactory ?? createClient)({ apiKey, baseURL: ep.baseURL });
  };

  /** Forget this session's "no" answers (the setting changed, or the user asked to set the key again). */
  resetDeclined(): void {
    this.declined.clear();
  }

  private async ask(ep: Endpoint): Promise<boolean> {
    let ok = false;
    try {
      ok = await this.deps.approval.confirm(ep);
    } catch (e) {
      this.logger.warn(`could not ask about ${ep.hostPort}: ${String(e)}`);
    }
    if (!ok) {
      this.declined.add(ep.origin);
      this.logger.warn(`the API key was not sent to ${ep.hostPort}: not allowed by the user`);
      return false;
    }
    this.allowed.add(ep.origin);
    await this.deps.approved.add(ep.origin).catch((e: unknown) => this.logger.warn(`could not remember that ${ep.hostPort} is allowed: ${String(e)}`));
    this.logger.info(`the user allowed the API key to go to ${ep.hostPort}`);
    return true;
  }
}

export { EndpointError };
