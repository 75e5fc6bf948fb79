// A NodePort that counts file-system operations in flight (realpath, stat, readFile, readDir) and remembers the
// most at once, to show how far a round of tool calls fans out.
import { NodePort } from './nodePort';
import type { DirEntry, FileStat } from '../../../src/core/tools/workspace';

export class CountingPort extends NodePort {
  inFlight = 0;
  maxInFlight = 0;
  /** Called at the start of every counted operation (e.g. to sample memory). */
  onOp: (() => void) | undefined;

  static override single(ws: string): CountingPort {
    const base = NodePort.single(ws);
    return new CountingPort([...base.roots]);
  }

  private async count<T>(op: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.onOp?.();
    try {
      return await op();
    } finally {
      this.inFlight--;
    }
  }

  override realpath(path: string): Promise<string> {
    return this.count(() => super.realpath(path));
  }
  override stat(path: string): Promise<FileStat | undefined> {
    return this.count(() => super.stat(path));
  }
  override readFile(path: string): Promise<Uint8Array> {
    return this.count(() => super.readFile(path));
  }
  override readDir(path: string): Promise<DirEntry[]> {
    return this.count(() => super.readDir(path));
  }
}
