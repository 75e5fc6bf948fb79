// Bench page: the real renderer bundle and the naive baseline, timed delta by delta in the page.
import { MessageRenderer } from '../../src/webview/chat/render';
import { NaiveRenderer } from './naive';
import { registerAllLanguages } from '../../test/support/hljsLanguages';

// Languages load on first use in the webview; here they are all present from the start.
registerAllLanguages();

export interface RunResult {
  /** append()+flush() per delta, ms. */
  handle: number[];
  /** The same plus a forced layout (what the next frame would pay), ms. */
  withLayout: number[];
  finishMs: number;
  chars: number;
  nodes: number;
  stats?: unknown;
}

interface Renderer {
  append(d: string): void;
  flush(): void;
  finish(): void;
}

function make(kind: string, container: HTMLElement): Renderer {
  if (kind === 'naive') return new NaiveRenderer(container);
  if (kind === 'incremental') return new MessageRenderer(container);
  throw new Error(`unknown renderer ${kind}`);
}

const pause = () => new Promise<void>((res) => setTimeout(res, 0));

async function stream(kind: string, deltas: string[]): Promise<RunResult> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const r = make(kind, container);
  const handle: number[] = [];
  const withLayout: number[] = [];
  for (let i = 0; i < deltas.length; i++) {
    const t0 = performance.now();
    r.append(deltas[i]);
    r.flush();
    const t1 = performance.now();
    void container.offsetHeight; // force style + layout now
    const t2 = performance.now();
    handle.push(t1 - t0);
    withLayout.push(t2 - t0);
    if (i % 100 === 99) await pause(); // let the page breathe (GC, tasks); not timed
  }
  const f0 = performance.now();
  r.finish();
  void container.offsetHeight;
  const finishMs = performance.now() - f0;
  const stats = (r as { stats?: unknown }).stats;
  const result = { handle, withLayout, finishMs, chars: deltas.join('').length, nodes: container.querySelectorAll('*').length, stats: stats && { ...stats } };
  container.remove();
  return result;
}

(window as unknown as { __bench: unknown }).__bench = {
  async run(kind: string, deltas: string[], warmup: string[]): Promise<RunResult> {
    await stream(kind, warmup); // JIT warm-up, not reported
    return stream(kind, deltas);
  },
  crossOriginIsolated: () => self.crossOriginIsolated,
};
