// The host side of the webview handshake (as vscode-pull-request-github's WebviewBase): a new webview page posts
// `ready` first, and the host holds its messages until then. The answer to `ready` is a full `state`, so the
// progress of a turn is not queued (the state already holds it); everything else is delivered after `ready`.
import type { HostToWebview } from '../../shared/protocol';
import type { ViewTransport } from './ports';

/** Per message type: true when the `state` sent in answer to `ready` already carries it. */
const SUPERSEDED_BY_STATE: Record<HostToWebview['type'], boolean> = {
  state: true,
  olderTurns: true, // an answer for a page that went away
  turnStart: true,
  blockStart: true,
  blockDelta: true,
  blockStop: true,
  turnEnd: true,
  retryWait: true,
  toolStatus: true,
  turnResume: true,
  compacted: true,
  meter: true,
  blockCitations: true,
  notice: false,
  keyStatus: false,
  history: false,
  models: false,
  estimate: false,
  context: false,
  model: false,
  citation: true,
  attachments: false,
  // Asked only of a ready page (core/attachments/webviewPreparer.ts); never worth queueing.
  prepareImage: true,
  sendRefused: false,
  controls: false,
  completions: true, // an answer for a page that went away
  composer: true, // sent again with every state (ChatApp.pushState)
  composerError: false,
};

/** Bound on what waits for a page that never loads: the oldest are dropped first. */
export const MAX_QUEUED = 200;

export class ViewLink {
  private ready = false;
  private queue: HostToWebview[] = [];

  constructor(private readonly transport: ViewTransport) {}

  get isReady(): boolean {
    return this.ready;
  }

  /** A new page is loading, or the page went away: hold messages until it says `ready`. */
  reset(): void {
    this.ready = false;
  }

  /** The page said `ready`: deliver what waited, in order. The caller then sends the full state. */
  markReady(): void {
    this.ready = true;
    const queued = this.queue;
    this.queue = [];
    for (const m of queued) this.transport.post(m);
  }

  post(message: HostToWebview): void {
    if (this.ready) {
      this.transport.post(message);
      return;
    }
    if (SUPERSEDED_BY_STATE[message.type]) return;
    this.queue.push(message);
    if (this.queue.length > MAX_QUEUED) this.queue.splice(0, this.queue.length - MAX_QUEUED);
  }
}
