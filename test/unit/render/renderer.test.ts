import * as assert from 'assert';
import { decorateCodeBlocks } from '../../../src/webview/chat/render/codeBlock';
import { markdown, renderMarkdown, sanitizeToFragment } from '../../../src/webview/chat/render/markdown';
import { chunks, makeDom, mount, renderWhole, rng } from './helpers';
import { CORPUS } from './corpus';

describe('render/MessageRenderer: streaming', () => {
  const dom = makeDom();

  for (const [name, text] of Object.entries(CORPUS)) {
    it(`streamed in tiny deltas equals setText: ${name}`, () => {
      const expected = renderWhole(dom, text);
      // 1-char deltas flushed each time, random 2–7 char deltas flushed each time, and unflushed deltas.
      const runs: Array<[string[], boolean]> = [
        [chunks(text, 1, 1), true],
        [chunks(text, 2, 7, text.length), true],
        [chunks(text, 3, 40, 7), false],
      ];
      for (const [deltas, flushEach] of runs) {
        const { container, r } = mount(dom);
        for (const d of deltas) {
          r.append(d);
          if (flushEach) r.flush();
        }
        r.finish();
        assert.strictEqual(container.innerHTML, expected);
        assert.strictEqual(r.text, text);
        r.dispose();
      }
    });
  }

  it('renders a long varied message identically streamed and at once', () => {
    const text = Object.values(CORPUS).join('\n\n');
    const expected = renderWhole(dom, text);
    const { container, r } = mount(dom);
    for (const d of chunks(text, 1, 9, 42)) {
      r.append(d);
      r.flush();
    }
    r.finish();
    assert.strictEqual(container.innerHTML, expected);
  });

  it('never re-renders a frozen block: same node, same content, no mutations inside it', () => {
    const text = Object.values(CORPUS).join('\n\n');
    const { container, r } = mount(dom);
    const seen = new Map<Element, string>();
    const mutated: MutationRecord[] = [];
    const observer = new dom.window.MutationObserver((records) => {
      for (const m of records) if ((m.target as Element).closest?.('.md-block:not(.md-open)')) mutated.push(m);
    });
    observer.observe(container, { subtree: true, childList: true, attributes: true, characterData: true });
    for (const d of chunks(text, 1, 5, 3)) {
      r.append(d);
      r.flush();
      for (const [el, html] of seen) {
        assert.ok(el.isConnected, 'a frozen block was removed');
        assert.strictEqual(el.outerHTML, html, 'a frozen block changed');
      }
      for (const el of Array.from(container.querySelectorAll('.md-block:not(.md-open)'))) {
        if (!seen.has(el)) seen.set(el, el.outerHTML);
      }
    }
    for (const m of observer.takeRecords()) if ((m.target as Element).closest?.('.md-block:not(.md-open)')) mutated.push(m);
    observer.disconnect();
    assert.deepStrictEqual(mutated, []);
    assert.ok(seen.size > 20, `expected many frozen blocks, got ${seen.size}`);
    const before = r.stats.frozenRenders;
    r.finish();
    const blocks = container.querySelectorAll('.md-block');
    assert.strictEqual(r.stats.frozenRenders, blocks.length, 'each block rendered frozen exactly once');
    assert.ok(r.stats.frozenRenders - before <= 2, 'finish only froze what was still open');
    assert.strictEqual(container.querySelectorAll('.md-open').length, 0);
  });

  it('re-renders only the open block, whose size does not grow with the message', function () {
    this.timeout(120_000); // 4,500 flushes in jsdom: slow on a loaded 2-core machine
    const para = 'Some words in a paragraph that keeps the block short enough.\n\n';
    const { container, r } = mount(dom);
    let maxOpen = 0;
    for (let i = 0; i < 300; i++) {
      for (const d of chunks(para, 4, 4)) {
        r.append(d);
        r.flush();
        const open = container.querySelector('.md-open');
        maxOpen = Math.max(maxOpen, open ? open.textContent!.length : 0);
      }
    }
    // The open part is the last block plus the next one's first line until that line completes.
    assert.ok(maxOpen <= 2 * para.length, `open block grew to ${maxOpen}`);
    assert.strictEqual(container.querySelectorAll('.md-block').length, 300);
  });

  it('renders the first text at once, then coalesces deltas into one render per animation frame', async () => {
    const d = makeDom({ raf: true });
    const { container, r } = mount(d);
    for (const c of chunks('Hello **world**, this is streamed.', 1, 1)) r.append(c);
    assert.strictEqual(r.stats.openRenders, 1, 'only the first delta renders at once');
    assert.strictEqual(container.textContent!.trim(), 'H', 'the first text is on the page before the frame');
    await new Promise((res) => d.window.requestAnimationFrame(() => setTimeout(res, 0)));
    assert.strictEqual(r.stats.openRenders, 2);
    assert.match(container.innerHTML, /<strong>world<\/strong>/);
    d.window.close();
  });

  it('falls back to a timer when there is no requestAnimationFrame', async () => {
    const { container, r } = mount(dom);
    assert.strictEqual(typeof (dom.window as { requestAnimationFrame?: unknown }).requestAnimationFrame, 'undefined');
    r.append('a');
    r.append('b');
    r.append('c');
    await new Promise((res) => setTimeout(res, 5));
    assert.strictEqual(r.stats.openRenders, 2, 'the first delta at once, the next two in one timer');
    assert.match(container.textContent ?? '', /abc/);
  });

  it('joins a CRLF split across deltas like a whole CRLF', () => {
    const { container, r } = mount(dom);
    for (const d of ['line one\r', '\nline two\r', '\r\n', '```\r', '\ncode\r\n```\r']) {
      r.append(d);
      r.flush();
    }
    r.finish();
    assert.strictEqual(container.innerHTML, renderWhole(dom, 'line one\r\nline two\r\r\n```\r\ncode\r\n```\r'));
  });

  it('keeps references defined in earlier blocks, whatever the delta boundaries', () => {
    const text = CORPUS.references;
    const html = renderWhole(dom, text);
    assert.match(html, /href="https:\/\/example.com\/ref"/);
    assert.match(html, /href="https:\/\/example.com\/later"/);
    for (let seed = 1; seed <= 5; seed++) {
      const { container, r } = mount(dom);
      for (const c of chunks(text, 1, 12, seed)) {
        r.append(c);
        if (rng(seed)() < 0.7) r.flush();
      }
      r.finish();
      assert.strictEqual(container.innerHTML, html);
    }
  });

  it('continues a finished message when more text arrives', () => {
    const { container, r } = mount(dom);
    r.append('Hello\n\nwor');
    r.finish();
    r.append('ld and more');
    r.finish();
    assert.strictEqual(container.innerHTML, renderWhole(dom, 'Hello\n\nworld and more'));
    assert.strictEqual(r.text, 'Hello\n\nworld and more');
  });

  it('setText replaces earlier content', () => {
    const { container, r } = mount(dom);
    r.append('old text\n\nmore');
    r.flush();
    r.setText('new');
    assert.strictEqual(container.textContent?.trim(), 'new');
    assert.strictEqual(r.text, 'new');
  });

  it('highlights a code block once it closes, never while it streams', () => {
    const { container, r } = mount(dom);
    r.append('```ts\nconst x: number = 1;\n');
    r.flush();
    assert.strictEqual(container.querySelectorAll('[class^="hljs-"]').length, 0, 'open block highlighted');
    assert.ok(container.querySelector('.md-codeblock.md-streaming button[disabled]'));
    r.append('```\n');
    r.flush();
    assert.ok(container.querySelector('.md-block:not(.md-open) .hljs-keyword'), 'closed fence not highlighted');
    assert.strictEqual(container.querySelectorAll('button[disabled]').length, 0);
  });

  it('streams an open code block by growing one text node, with the markup of the normal path', () => {
    const { container, r } = mount(dom);
    r.append('Intro\n\n');
    r.flush();
    let code = '```ts\n';
    r.append(code);
    r.flush();
    let text: Node | undefined;
    for (let i = 0; i < 200; i++) {
      const line = `const v${i} = "<b>${i}</b>";\n`;
      for (const d of chunks(line, 3, 7, i)) {
        code += d;
        r.append(d);
        r.flush();
        const node = container.querySelector('.md-open code')!.firstChild!;
        if (i > 0) assert.strictEqual(node, text, 'the open code text node was replaced');
        text = node;
      }
    }
    const open = container.querySelector('.md-open')!;
    const frag = sanitizeToFragment(renderMarkdown(code, { references: {} }, false), dom.document);
    decorateCodeBlocks(frag, dom.document, true);
    const normal = dom.document.createElement('div');
    normal.appendChild(frag);
    assert.strictEqual(open.innerHTML, normal.innerHTML.replace(/\n$/, ''));
    assert.strictEqual(container.querySelectorAll('.md-open b').length, 0);
    r.append('```\n');
    r.flush();
    assert.strictEqual(container.querySelector('.md-open'), null);
    assert.ok(container.querySelector('.md-block .hljs-keyword'));
  });

  it('shows exactly what markdown-it parses for an open fence at every character', () => {
    const texts = [
      'p\n\n```ts\na\n``\nb\n ```x\n```',
      '~~~~ python extra\nx = 1\n~~~\n~~~~~\nafter',
      '  ```\n  indented opener\n    deeper\n  ```\n',
      '```\n\n\nblank lines\n\n```   \ntext',
      '- item\n\n```js\nlet a\n````\n',
    ];
    let checked = 0;
    for (const text of texts) {
      const { container, r } = mount(dom);
      for (let i = 1; i <= text.length; i++) {
        r.append(text[i - 1]);
        r.flush();
        const shown = container.querySelector('.md-open .md-codeblock code');
        const tokens = markdown().parse(text.slice(0, i).replace(/^(?:.*\n)*?(?=\s*(?:```|~~~))/, ''), {});
        const top = tokens.filter((t) => t.level === 0 && t.nesting !== -1);
        const last = top[top.length - 1];
        if (shown && top.length === 1 && last.type === 'fence') {
          assert.strictEqual(shown.textContent, last.content, `${JSON.stringify(text)} at ${i}`);
          assert.strictEqual(shown.getAttribute('data-lang'), last.info.trim().split(/\s+/)[0] || '');
          checked++;
        }
      }
      r.finish();
      assert.strictEqual(container.innerHTML, renderWhole(dom, text), JSON.stringify(text));
    }
    assert.ok(checked > 100, `only ${checked} open-fence states checked`);
  });

  it('highlights the last block at finish()', () => {
    const { container, r } = mount(dom);
    r.append('```python\ndef f():\n    return 1');
    r.flush();
    assert.strictEqual(container.querySelectorAll('.hljs-keyword').length, 0);
    r.finish();
    assert.ok(container.querySelector('.hljs-keyword'));
    assert.strictEqual(container.querySelector('.md-codeblock-lang')?.textContent, 'Python');
  });

  it('stops rendering after dispose()', async () => {
    const d = makeDom({ raf: true });
    const { container, r } = mount(d);
    r.append('text'); // the first text renders at once
    r.append(' and more'); // waits for the frame
    r.dispose();
    await new Promise((res) => setTimeout(res, 40));
    assert.strictEqual(container.textContent!.trim(), 'text', 'the frame after dispose() rendered nothing');
    d.window.close();
  });
});
