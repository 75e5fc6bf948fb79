// ImagePreparer through the chat webview: posts `prepareImage`, waits for the matching `imagePrepared`. Without a
// loaded webview it fails at once with PrepareUnavailable, so the caller can fall back.
import type { HostToWebview, WebviewToHost } from '../../shared/protocol';
import type { ImagePreparer, PrepareRequest, PrepareResult } from './prepare';
import { PrepareUnavailable } from './prepare';

type Answer = Extract<WebviewToHost, { type: 'imagePrepared' }>;

export const PREPARE_TIMEOUT_MS = 20_000;
/** How long a request waits for a view that is loading (e.g. just revealed by "Add to Claude Context"). */
export const READY_WAIT_MS = 5_000;

export class WebviewPreparer implements ImagePreparer {
  private next = 0;
  private readonly waiting = new Map<string, { resolve(r: PrepareResult): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly post: (m: HostToWebview) => void,
    private readonly ready: () => boolean,
    private readonly timeoutMs = PREPARE_TIMEOUT_MS,
    private readonly readyWaitMs = READY_WAIT_MS,
  ) {}

  async prepare(req: PrepareRequest): Promise<PrepareResult> {
    for (let waited = 0; !this.ready() && waited < this.readyWaitMs; waited += 100) await new Promise((r) => setTimeout(r, 100));
    if (!this.ready()) throw new PrepareUnavailable('the chat view is not open');
    const requestId = `p${++this.next}`;
    return new Promise<PrepareResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new PrepareUnavailable('the chat view did not answer'));
      }, this.timeoutMs);
      this.waiting.set(requestId, { resolve, reject, timer });
      this.post({ type: 'prepareImage', requestId, ...req });
    });
  }

  /** The webview's answer; unknown or late ids are ignored. */
  answer(m: Answer): void {
    const w = this.waiting.get(m.requestId);
    if (!w) return;
    this.waiting.delete(m.requestId);
    clearTimeout(w.timer);
    if (m.error !== undefined || m.width === undefined || m.height === undefined) {
      w.reject(new Error(m.error ?? 'no size in the answer'));
      return;
    }
    w.resolve({ width: m.width, height: m.height, data: m.data, mediaType: m.mediaType, thumbnail: m.thumbnail });
  }

  /** The view went away: whoever waits falls back now. */
  reset(): void {
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new PrepareUnavailable('the chat view closed'));
    }
    this.waiting.clear();
  }
}
