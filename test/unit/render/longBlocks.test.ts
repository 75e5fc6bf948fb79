// A long open block (the worst case for streaming: it stays open to the end) costs per frame the size of its last
// piece, not its own size: few block parses of the open tail, bounded open renders, and nothing lost or shown twice
// while it streams. The finished block is the one-go rendering.
import * as assert from 'assert';
import { PIECE } from '../../../src/webview/chat/render/openChunks';
import { chunks, makeDom, mount, renderWhole, rng } from './helpers';

const WORDS = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau'.split(' ');

function sentence(next: () => number): string {
  const w = Array.from({ length: 6 + Math.floor(next() * 8) }, () => WORDS[Math.floor(next() * WORDS.length)]);
  if (next() < 0.3) w[2] = `**${w[2]}**`;
  if (next() < 0.2) w[4] = `\`${w[4]}()\``;
  return w.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
}

/** About `chars` characters of one block of the kind, one line per row/item/sentence pair. */
export function shape(kind: string, chars: number, seed = 5): string {
  const next = rng(seed);
  const lines: string[] = kind === 'table' ? ['| Name | Value | Note |', '|:--|--:|:--|'] : [];
  for (let i = 0, n = 0; n < chars; i++) {
    const line =
      kind === 'table' ? `| row${i} | ${i * 7} | ${sentence(next)} |`
        : kind === 'list' ? (i % 5 === 4 ? `  - ${sentence(next)}` : `- ${sentence(next)}`)
          : kind === 'blockquote' ? (i % 4 === 3 ? '>' : `> ${sentence(next)} ${sentence(next)}`)
            : kind === 'oneline' ? `${sentence(next)} ` : `${sentence(next)} ${sentence(next)}`;
    lines.push(line);
    n += line.length + 1;
  }
  return kind === 'oneline' ? lines.join('').trim() : lines.join('\n');
}

describe('render/MessageRenderer: a long open block', function () {
  this.timeout(120_000);
  const dom = makeDom();

  for (const kind of ['paragraph', 'oneline', 'table', 'list', 'blockquote']) {
    it(`${kind}: few splits, bounded open renders, nothing lost while streaming, exact when finished`, () => {
      const text = shape(kind, 14_000);
      const { container, r } = mount(dom);
      let sent = '';
      for (const d of chunks(text, 20, 60, 9)) {
        r.append(d);
        r.flush();
        sent += d;
        const open = container.querySelector('.md-open');
        if (!open) continue;
        const complete = sent.slice(0, sent.lastIndexOf('\n') + 1);
        if (kind === 'table') {
          const rows = complete.split('\n').filter((l) => l.startsWith('| row')).length;
          const shown = open.querySelectorAll('tbody > tr').length;
          assert.ok(shown === rows || shown === rows + 1, `${shown} rows shown for ${rows} complete rows`);
        } else if (kind === 'list') {
          const items = complete.split('\n').filter((l) => l.startsWith('- ')).length;
          const shown = open.querySelectorAll(':scope > ul > li').length;
          assert.ok(shown === items || shown === items + 1, `${shown} items shown for ${items} complete items`);
        } else {
          // Every word sent so far is shown once (markers aside): compare the letters.
          const letters = (s: string) => s.replace(/[^a-z]/gi, '').length;
          const shown = letters(container.textContent ?? '');
          assert.ok(Math.abs(shown - letters(sent)) <= 12, `${shown} letters shown for ${letters(sent)} sent`);
        }
      }
      assert.ok(r.stats.splits <= 4, `${r.stats.splits} splits of the open tail`);
      assert.ok(r.stats.maxOpenChars <= 3 * PIECE + 200, `an open render of ${r.stats.maxOpenChars} characters`);
      r.finish();
      assert.strictEqual(container.innerHTML, renderWhole(dom, text));
    });
  }

  it('a long paragraph that becomes a table (its last line a header) still renders exactly', () => {
    const text = `${shape('paragraph', 12_000)}\nName | Value\n--|--\na | 1\n\nAfter.`;
    const { container, r } = mount(dom);
    for (const d of chunks(text, 10, 40, 3)) {
      r.append(d);
      r.flush();
    }
    r.finish();
    assert.strictEqual(container.innerHTML, renderWhole(dom, text));
    assert.ok(container.querySelector('table'), 'the table was recognised');
  });
});
