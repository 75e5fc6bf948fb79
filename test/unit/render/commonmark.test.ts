// The 652 examples of the CommonMark 0.31.2 spec (the commonmark-spec package): a finished message renders as
// markdown-it renders the whole document (reference definitions apply to blocks before them too), and streaming in
// random deltas ends in exactly that, also with the long-open-block paths (pieces, continuation) made tiny so every
// example goes through them.
import * as assert from 'assert';
import { splitTail } from '../../../src/webview/chat/render/blocks';
import { decorateCodeBlocks } from '../../../src/webview/chat/render/codeBlock';
import { Continuation } from '../../../src/webview/chat/render/continuation';
import { renderMarkdown, sanitizeToFragment } from '../../../src/webview/chat/render/markdown';
import { MessageRenderer } from '../../../src/webview/chat/render/renderer';
import { chunks, makeDom, rng } from './helpers';

const spec = require('commonmark-spec') as { tests: { markdown: string; number: number; section: string }[] };

const dom = makeDom();

function blocksHtml(text: string, piece?: number, seed?: number): string {
  const container = dom.document.createElement('div');
  const r = new MessageRenderer(container, {}, { pieceChars: piece });
  if (seed === undefined) r.setText(text);
  else {
    const flushes = rng(seed * 7 + 1);
    for (const d of chunks(text, 1, 6, seed)) {
      r.append(d);
      if (flushes() < 0.8) r.flush();
    }
    r.finish();
  }
  return container.innerHTML;
}

/** The whole document through the same markdown-it, sanitizer and code-block chrome, in one piece. */
function wholeDocument(text: string): string {
  const frag = sanitizeToFragment(renderMarkdown(text.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD'), { references: {} }, true), dom.document);
  decorateCodeBlocks(frag, dom.document, false);
  const d = dom.document.createElement('div');
  d.appendChild(frag);
  return d.innerHTML;
}

const joined = (html: string) => {
  const d = dom.document.createElement('div');
  d.innerHTML = html;
  return [...d.querySelectorAll(':scope > .md-root > .md-block')].map((b) => b.innerHTML).join('').replace(/\n/g, '');
};

describe('render: CommonMark 0.31.2 spec examples', function () {
  this.timeout(300_000);

  it('has the 652 examples', () => assert.strictEqual(spec.tests.length, 652));

  it('a finished message renders like the whole document (references defined later included)', () => {
    const bad = spec.tests.filter((t) => joined(blocksHtml(t.markdown)) !== wholeDocument(t.markdown).replace(/\n/g, ''));
    assert.deepStrictEqual(bad.map((t) => `#${t.number} ${JSON.stringify(t.markdown)}`), []);
  });

  it('streamed in random deltas equals rendered at once, with normal and with tiny pieces', () => {
    const bad: string[] = [];
    for (const t of spec.tests) {
      const expected = blocksHtml(t.markdown);
      for (const [piece, seed] of [[undefined, t.number], [3, t.number + 1000], [8, t.number + 2000]] as const) {
        if (blocksHtml(t.markdown, piece, seed) !== expected) bad.push(`#${t.number} piece ${piece}`);
      }
    }
    assert.deepStrictEqual(bad, []);
  });

  it('a line the continuation check accepts never closes a block (checked against the splitter)', () => {
    let accepted = 0;
    for (const t of spec.tests) {
      let tail = '';
      let cont: Continuation | undefined;
      const text = t.markdown.replace(/\r\n?/g, '\n');
      for (const line of text.split(/(?<=\n)/)) {
        if (!line.endsWith('\n')) break;
        tail += line;
        if (cont?.accepts(line.slice(0, -1))) {
          accepted++;
          assert.deepStrictEqual(splitTail(tail).closed, [], `#${t.number}: accepted ${JSON.stringify(line)} after ${JSON.stringify(tail.slice(0, -line.length))}`);
          continue;
        }
        const { closed, open } = splitTail(tail);
        const cut = closed.length ? closed[closed.length - 1].end : 0;
        tail = tail.slice(cut);
        cont = open && new Continuation(open, !line.trim());
      }
    }
    assert.ok(accepted > 300, `only ${accepted} lines accepted`);
  });
});
