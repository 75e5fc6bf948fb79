// Where the API key may go. Turns the claudeChat.baseURL setting into a checked, normalised endpoint:
// https anywhere, plain http only to this machine (loopback), never with credentials in the URL. Also reads the
// setting from user (global) settings only: a repository's workspace or folder settings never choose the host.

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
const ANTHROPIC_ORIGIN = 'https://api.anthropic.com';

export interface Endpoint {
  /** Normalised base URL handed to the SDK (lower-case host, no trailing slash, default port dropped). */
  baseURL: string;
  /** scheme://host[:port]: what the user approves once. */
  origin: string;
  /** host:port, always with the port, as the user is asked about it (IDN hosts in their ASCII form). */
  hostPort: string;
  /** The Anthropic API itself: the key may go there without asking. */
  official: boolean;
  loopback: boolean;
}

/** A base URL the key must not go to. `action` tells the view to offer opening the settings. */
export class EndpointError extends Error {
  readonly action = 'openSettings' as const;
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

/** 127.0.0.0/8, ::1 (and IPv4-mapped 127/8), `localhost`. Takes a WHATWG URL hostname (already canonical). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h === '[::1]') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(h);
}

const SETTING = 'claudeChat.baseURL';

/**
 * Checks and normalises a base URL. Empty means the Anthropic API. Throws EndpointError (never echoing a
 * password that was in the URL) for anything the key must not be sent to.
 */
export function parseEndpoint(raw: string | undefined): Endpoint {
  const text = (raw ?? '').trim();
  if (!text) return parseEndpoint(ANTHROPIC_BASE_URL);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EndpointError(`The ${SETTING} setting is not a valid URL. Use an https:// address, or leave it empty for the Anthropic API.`);
  }
  if (url.username || url.password) {
    throw new EndpointError(`The ${SETTING} setting contains a user name or password. Remove it: the API key is the only credential sent, in a header.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EndpointError(`The ${SETTING} setting must start with https:// (it starts with ${url.protocol}//).`);
  }
  if (url.search || url.hash) {
    throw new EndpointError(`The ${SETTING} setting must not have a ?query or #fragment; request paths are added after it.`);
  }
  const loopback = isLoopbackHost(url.hostname);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const hostPort = `${url.hostname}:${port}`;
  if (url.protocol === 'http:' && !loopback) {
    throw new EndpointError(
      `Refused to send the API key over plain http to ${hostPort}: http is allowed only for this machine (localhost, 127.0.0.1, ::1). Use https:// in ${SETTING}.`,
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { baseURL: `${url.origin}${path}`, origin: url.origin, hostPort, official: url.origin === ANTHROPIC_ORIGIN, loopback };
}

/** The shape of vscode's WorkspaceConfiguration.inspect() result (only the parts read here). */
export interface SettingInspection {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The base URL from the user's own (global) settings, else the default. Workspace and folder values are ignored
 * even if VS Code handed them over (an old VS Code, or a setting declared without its application scope).
 */
export function userBaseURL(i: SettingInspection | undefined): string {
  const v = typeof i?.globalValue === 'string' ? i.globalValue : i?.defaultValue;
  return typeof v === 'string' ? v.trim() : '';
}
