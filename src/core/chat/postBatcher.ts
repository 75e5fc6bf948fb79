// Messages to the chat page leave in batches: everything posted during one turn of the event loop (a stream chunk's
// blockStart and first deltas, a turn's end and its meter) goes as one postMessage. In code-server each postMessage
// crosses the extension host, the server, a WebSocket, the workbench and two frames; one crossing instead of several
// puts the first token on screen sooner and costs the page fewer tasks while a reply streams. Order is kept.
import type { HostPost, HostToWebview } from '../../shared/protocol';

/** Bound on one batch: a flood is split rather than sent as one huge message. */
export const MAX_BATCH = 500;

export class PostBatcher {
  private pending: HostToWebview[] = [];
  private scheduled = false;
  /** False from a turn's start until its first delta, which goes at once (with its blockStart). */
  private textShown = true;

  /**
   * `send` delivers one message or a batch; `schedule` runs a callback once the current turn of the event loop is
   * over (setImmediate in the host).
   */
  constructor(private readonly send: (m: HostPost) => void, private readonly schedule: (fn: () => void) => void) {}

  post(message: HostToWebview): void {
    this.pending.push(message);
    if (message.type === 'turnStart' || message.type === 'turnResume') this.textShown = false;
    // The first text of a turn is not held back by what the same turn of the event loop does next (a short reply
    // arrives whole: its end, usage and saving would run before the batch left).
    if (message.type === 'blockDelta' && !this.textShown) {
      this.textShown = true;
      return this.flush();
    }
    if (this.pending.length >= MAX_BATCH) return this.flush();
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Sends what waits now (also before the page goes away). */
  flush(): void {
    const messages = this.pending;
    if (messages.length === 0) return;
    this.pending = [];
    this.send(messages.length === 1 ? messages[0] : { type: 'batch', messages });
  }

  /** Drops what waits (the page went away). */
  clear(): void {
    this.pending = [];
  }
}
