// The open tail kept as a long head and a short recent part (tail.ts) reads exactly like the plain string it stands
// for, at every offset, across the point where the recent part moves into the head.
import * as assert from 'assert';
import { Tail } from '../../../src/webview/chat/render/tail';
import { rng } from './helpers';

describe('render/Tail', () => {
  it('slice, indexOf, lastIndexOf, length, hasText and the text match a plain string under random edits', () => {
    const next = rng(42);
    const tail = new Tail();
    let plain = '';
    const pick = (n: number) => Math.floor(next() * n);
    let checks = 0;
    for (let step = 0; step < 3000; step++) {
      const p = next();
      if (p < 0.85) {
        // Deltas of up to 3,000 characters, newlines and spaces among them, so the head takes the recent part often.
        const d = Array.from({ length: pick(3000) }, () => ' \n\nab'[pick(5)]).join('');
        tail.append(d);
        plain += d;
      } else if (p < 0.95) {
        const cut = pick(plain.length + 1);
        tail.set(tail.slice(cut));
        plain = plain.slice(cut);
      } else {
        const s = ' \n'.repeat(pick(3));
        tail.set(s);
        plain = s;
      }
      const version = tail.version;
      assert.strictEqual(tail.length, plain.length);
      assert.strictEqual(tail.hasText(), /\S/.test(plain));
      for (let k = 0; k < 6; k++) {
        const a = pick(plain.length + 3) - 1;
        const b = pick(plain.length + 3) - 1;
        if (a >= 0) assert.strictEqual(tail.slice(a, b < 0 ? undefined : b), plain.slice(a, b < 0 ? undefined : b), `slice(${a}, ${b})`);
        assert.strictEqual(tail.indexOf('\n', a), plain.indexOf('\n', a), `indexOf(${a})`);
        assert.strictEqual(tail.lastIndexOf('\n', a), plain.lastIndexOf('\n', a), `lastIndexOf(${a})`);
        checks++;
      }
      assert.strictEqual(tail.lastIndexOf('\n'), plain.lastIndexOf('\n'));
      assert.strictEqual(tail.version, version, 'reading is not an edit');
      if (step % 100 === 0) assert.strictEqual(String(tail), plain);
    }
    assert.strictEqual(String(tail), plain);
    assert.ok(checks >= 18000);
  });

  it('every edit changes the version', () => {
    const tail = new Tail();
    const seen = new Set([tail.version]);
    for (const edit of [() => tail.append('a'), () => tail.append('b'.repeat(20000)), () => tail.set('x'), () => tail.set('x')]) {
      edit();
      assert.ok(!seen.has(tail.version));
      seen.add(tail.version);
    }
  });
});
