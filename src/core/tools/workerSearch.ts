// The search fallback, only where ripgrep is absent (no VS Code ripgrep found, or a folder not on the local disk):
// files are listed and read here, through the port, and matched in a worker thread (searchWorker.ts) that is
// terminated at the time bound or on Stop. A JavaScript pattern that backtracks for ever costs that worker only.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { abortError } from '../ports';
import type { HandlerContext } from './context';
import { decodeUtf8, looksBinary } from './text';

export const MAX_SEARCH_FILE_BYTES = 1024 * 1024;

export interface WorkerInit {
  query: string;
  isRegex: boolean;
  caseSensitive: boolean;
  maxPerFile: number;
}

export interface WorkerHit {
  line: number;
  /** The line trimmed, cut to a little over what is shown. */
  text: string;
}

export interface WorkerReply {
  id: number;
  hits: WorkerHit[];
}

export interface WorkerSearchResult {
  end: 'done' | 'capped' | 'timeout';
  searched: number;
  skipped: number;
}

/** Where the worker script lies: next to this module (tests), or next to the bundle (dist/searchWorker.js). */
const workerScript = join(__dirname, 'searchWorker.js');

/**
 * Searches `files` in order; `onHits` takes each file's hits and answers false once it wants no more.
 * Rejects with an AbortError on Stop. The worker is always terminated before this settles.
 */
export async function searchWithWorker(
  ctx: HandlerContext,
  files: readonly { display: string; real: string }[],
  init: WorkerInit,
  deadline: number,
  onHits: (display: string, hits: WorkerHit[]) => boolean,
): Promise<WorkerSearchResult> {
  const worker = new Worker(workerScript, { workerData: init, resourceLimits: { maxOldGenerationSizeMb: 256 } });
  const ask = askOf(worker, ctx.signal);
  let searched = 0;
  let skipped = 0;
  try {
    for (const f of files) {
      if (ctx.signal.aborted) throw abortError();
      if (Date.now() >= deadline) return { end: 'timeout', searched, skipped };
      const text = await readSearchable(ctx, f.real);
      if (text === undefined) {
        skipped++;
        continue;
      }
      const reply = await ask(text, deadline);
      if (reply === 'timeout') return { end: 'timeout', searched, skipped };
      searched++;
      if (reply.hits.length > 0 && !onHits(f.display, reply.hits)) return { end: 'capped', searched, skipped };
    }
    return { end: 'done', searched, skipped };
  } finally {
    void worker.terminate();
  }
}

async function readSearchable(ctx: HandlerContext, real: string): Promise<string | undefined> {
  try {
    const st = await ctx.port.stat(real);
    if (!st || st.type !== 'file' || st.size > MAX_SEARCH_FILE_BYTES) return undefined;
    const bytes = await ctx.port.readFile(real);
    return looksBinary(bytes) ? undefined : decodeUtf8(bytes);
  } catch {
    return undefined;
  }
}

/** One request to the worker at a time: its reply, 'timeout' at the deadline, or an AbortError on Stop. */
function askOf(worker: Worker, signal: AbortSignal): (text: string, deadline: number) => Promise<WorkerReply | 'timeout'> {
  let seq = 0;
  return (text, deadline) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const onMessage = (m: WorkerReply) => {
        if (m.id !== id) return;
        done();
        resolve(m);
      };
      const onError = (e: Error) => {
        done();
        reject(e);
      };
      const onAbort = () => {
        done();
        void worker.terminate();
        reject(abortError());
      };
      const timer = setTimeout(() => {
        done();
        void worker.terminate();
        resolve('timeout');
      }, Math.max(0, deadline - Date.now()));
      worker.on('message', onMessage);
      worker.on('error', onError);
      signal.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ id, text });
    });
}
