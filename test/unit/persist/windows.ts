// Runs N real processes ("windows") that write to one storage folder at the same time.
import { fork } from 'node:child_process';
import { join } from 'node:path';

export type WriterKind = 'usage' | 'pending' | 'conversations';

/** Starts `windows` processes, lets them all go at once, and waits for every one to exit cleanly. */
export async function runWindows(kind: WriterKind, dir: string, windows: number, count: number, opts: { compactBytes?: number } = {}): Promise<void> {
  const args = (w: number) => [kind, dir, String(count), String(w), ...(opts.compactBytes !== undefined ? [String(opts.compactBytes)] : [])];
  const children = Array.from({ length: windows }, (_, w) => fork(join(__dirname, 'windowWriter.js'), args(w), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const exits = children.map((c) => new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code))));
  const hang = setTimeout(() => children.forEach((c) => c.kill()), 60_000); // a bound for hangs only
  try {
    await Promise.all(children.map((c) => new Promise<void>((resolve, reject) => {
      c.once('message', () => resolve());
      c.once('exit', (code) => reject(new Error(`window exited early (${code})`)));
    })));
    for (const c of children) c.send('go');
    const codes = await Promise.all(exits);
    if (codes.some((c) => c !== 0)) throw new Error(`a window failed: exit codes ${codes.join(', ')}`);
  } finally {
    clearTimeout(hang);
  }
}
