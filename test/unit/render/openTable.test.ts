// A long open table streams row by row and its finished element reuses the streamed rows (openTable.ts): the finished
// message must still be exactly the one-go rendering, whatever the rows look like and however the deltas fall, and
// the cases where the rows cannot be reused (definitions before the table, markdown-it's cap on padded cells, a table
// that ends early) must fall back to rendering it whole.
import * as assert from 'assert';
import { MessageRenderer } from '../../../src/webview/chat/render/renderer';
import { chunks, makeDom, renderWhole, rng } from './helpers';

const dom = makeDom();

const CELLS = ['plain', '**bold**', '`code | pipe`', 'a \\| b', '[ref]', '[x](https://example.com/x)', 'https://example.org', '*em', '', 'ü ñ 漢', '&amp; &lt;', '<b>raw</b>', '[ref][]'];

/** A table row in one of the shapes markdown-it reads as a row (or, for a few, as where the table ends). */
function row(next: () => number, i: number): string {
  const cell = () => CELLS[Math.floor(next() * CELLS.length)];
  const p = next();
  if (p < 0.05) return `a${i} | ${cell()}`; // no leading pipe
  if (p < 0.1) return `   | ${cell()} | ${i} |`; // indented three spaces
  if (p < 0.14) return '|'; // no cells: all padded
  if (p < 0.18) return `| ${cell()} |`; // fewer cells
  if (p < 0.22) return `| ${cell()} | ${cell()} | ${cell()} | ${cell()} | extra |`; // more cells
  return `| r${i} | ${cell()} | ${cell()}${next() < 0.5 ? ' |' : ''}`;
}

function table(seed: number, rows: number): string {
  const next = rng(seed);
  const lines = ['| Name | Value | Note |', '|:--|--:|:-:|'];
  for (let i = 0; i < rows; i++) lines.push(row(next, i));
  return lines.join('\n');
}

function stream(text: string, seed: number, piece: number, max = 40): { container: HTMLElement; r: MessageRenderer; seen: Element[] } {
  const container = dom.document.createElement('div');
  const r = new MessageRenderer(container, {}, { pieceChars: piece });
  const flushes = rng(seed * 13 + 5);
  const seen: Element[] = [];
  for (const d of chunks(text, 1, max, seed)) {
    r.append(d);
    if (flushes() < 0.7) r.flush();
    const rows = container.querySelectorAll('.md-open tbody > tr');
    const tr = rows[rows.length - 2]; // a complete row, usually
    if (tr && !seen.includes(tr)) seen.push(tr);
  }
  r.finish();
  return { container, r, seen };
}

describe('render/OpenTable: a long table streamed row by row', function () {
  this.timeout(120_000);

  const ENDINGS: [string, string][] = [
    ['open to the end', ''],
    ['ended by a partial row', '\n| last | 1'],
    ['ended by a newline', '\n'],
    ['closed by a blank line and a paragraph', '\n\nAfter the table.\n'],
    ['closed by a list', '\n- item\n- item two'],
    ['closed by an indented line', '\n    code?\n'],
    ['followed by the definition of a label it uses', '\n\n[ref]: https://example.com/ref\n'],
  ];

  for (const [name, ending] of ENDINGS) {
    it(`${name}: finished exactly as rendered at once, under random deltas and piece sizes`, () => {
      let reused = 0;
      for (let seed = 1; seed <= 8; seed++) {
        const text = table(seed, 30 + seed * 8) + ending;
        const { container, seen } = stream(text, seed, [8, 40, 120][seed % 3]);
        assert.strictEqual(container.innerHTML, renderWhole(dom, text), `seed ${seed}`);
        if (seen.some((tr) => container.contains(tr))) reused++;
      }
      // The finished table is built from the streamed rows (not rendered again), at least when nothing redefines it.
      if (!ending.includes('[ref]:')) assert.ok(reused >= 4, `streamed rows reused in ${reused} of 8 runs`);
    });
  }

  it('a definition before the table is applied to every row (the rows are rendered again)', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const text = `[ref]: https://example.com/def\n\n${table(seed, 60)}\n| [ref] | [ref][] | end |\n`;
      const { container } = stream(text, seed, 40);
      assert.strictEqual(container.innerHTML, renderWhole(dom, text), `seed ${seed}`);
      assert.ok(container.querySelector('td a[href="https://example.com/def"]'), 'the reference resolved in a row');
    }
  });

  it("markdown-it's cap on padded cells ends the table where a render at once ends it", () => {
    // 120 columns; each "|" row pads 120 cells, so the table ends after 546 rows (65,536 padded cells).
    const header = `|${' h |'.repeat(120)}\n|${'-|'.repeat(120)}\n`;
    const text = header + '|\n'.repeat(600) + '| after |\n';
    const whole = renderWhole(dom, text);
    assert.strictEqual(whole.match(/<tr>/g)?.length, 1 + 546, 'the table ends before the last rows');
    const { container } = stream(text, 3, 200, 400);
    assert.strictEqual(container.innerHTML, whole);
  });

  it('while streaming, each complete row is shown once and the partial row at most once', () => {
    const text = table(7, 200);
    const container = dom.document.createElement('div');
    const r = new MessageRenderer(container, {}, { pieceChars: 60 });
    let sent = '';
    for (const d of chunks(text, 5, 30, 7)) {
      r.append(d);
      r.flush();
      sent += d;
      const complete = sent.slice(0, sent.lastIndexOf('\n') + 1).split('\n').length - 3; // minus header, delimiter, ''
      const open = container.querySelector('.md-open');
      if (!open || complete < 0) continue;
      const shown = open.querySelectorAll('tbody > tr').length;
      assert.ok(shown === complete || shown === complete + 1, `${shown} rows shown for ${complete} complete rows`);
    }
  });
});
