import * as assert from 'assert';
import { Throttle, type Timers } from '../../../src/core/usage/throttle';

/** Manual clock: advance() fires due timers in order. */
class ManualTimers implements Timers {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== h);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

describe('usage/Throttle: the status bar live count', () => {
  it('paints a burst of 1,000 streaming updates over 2 s at most 9 times, the last state last', () => {
    const timers = new ManualTimers();
    let value = 0;
    const painted: number[] = [];
    const th = new Throttle(() => painted.push(value), 250, 50, timers);
    for (let i = 1; i <= 1000; i++) {
      value = i;
      th.run();
      timers.advance(2);
    }
    timers.advance(1000);
    assert.ok(painted.length <= 9, `painted ${painted.length} times`);
    assert.strictEqual(painted.at(-1), 1000, 'the last value is painted');
    for (let i = 1; i < painted.length; i++) assert.ok(painted[i] > painted[i - 1]);
  });

  it('never paints synchronously; flush() paints now; cancel() drops the pending paint', () => {
    const timers = new ManualTimers();
    let n = 0;
    const th = new Throttle(() => n++, 250, 50, timers);
    th.run();
    assert.strictEqual(n, 0);
    th.flush();
    assert.strictEqual(n, 1);
    assert.strictEqual(th.pending, false);
    th.run();
    th.cancel();
    timers.advance(1000);
    assert.strictEqual(n, 1);
  });
});
