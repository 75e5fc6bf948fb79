// The search fallback's worker thread (used only where ripgrep is absent): runs the JavaScript matcher on one
// file's text at a time, so a pattern that backtracks for ever blocks this thread, never the extension host's,
// and the host terminates it at the time bound. Bundled as dist/searchWorker.js.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerHit, WorkerInit, WorkerReply } from './workerSearch';

const MAX_SCANNED = 10_000;
const MAX_SHOWN = 300;
const init = workerData as WorkerInit;
const re = init.isRegex ? new RegExp(init.query, init.caseSensitive ? '' : 'i') : undefined;
const needle = init.caseSensitive ? init.query : init.query.toLowerCase();

function matches(line: string): boolean {
  const scanned = line.length > MAX_SCANNED ? line.slice(0, MAX_SCANNED) : line;
  if (re) return re.test(scanned);
  return (init.caseSensitive ? scanned : scanned.toLowerCase()).includes(needle);
}

parentPort?.on('message', (msg: { id: number; text: string }) => {
  const hits: WorkerHit[] = [];
  const lines = msg.text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length && hits.length < init.maxPerFile; i++) {
    if (matches(lines[i])) hits.push({ line: i + 1, text: lines[i].trim().slice(0, MAX_SHOWN + 1) });
  }
  const reply: WorkerReply = { id: msg.id, hits };
  parentPort?.postMessage(reply);
});
