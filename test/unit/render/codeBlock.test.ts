import * as assert from 'assert';
import { makeDom, mount } from './helpers';

describe('render/code blocks: label, buttons, hooks', () => {
  const text = 'Try:\n\n```ts\nconst a = 1;\n\nconsole.log(a);\n```\n\n```\nplain <b>text</b>\n```\n\n- item\n\n  ```python\n  print(1)\n  ```\n';

  it('labels each block and gives it three labelled buttons with codicons', () => {
    const dom = makeDom();
    const { container, r } = mount(dom);
    r.setText(text);
    const blocks = Array.from(container.querySelectorAll('.md-codeblock'));
    assert.strictEqual(blocks.length, 3);
    assert.deepStrictEqual(blocks.map((b) => b.querySelector('.md-codeblock-lang')!.textContent), ['TypeScript', 'text', 'Python']);
    for (const b of blocks) {
      const buttons = Array.from(b.querySelectorAll('button'));
      assert.deepStrictEqual(buttons.map((x) => x.dataset.action), ['copy', 'insert', 'apply']);
      for (const btn of buttons) {
        assert.strictEqual(btn.type, 'button');
        assert.ok(btn.getAttribute('aria-label'));
        assert.ok(btn.querySelector('.codicon')?.className.match(/codicon-(copy|insert|git-compare)/));
        assert.strictEqual(btn.getAttribute('onclick'), null);
      }
    }
  });

  it('calls onCodeBlockAction with the exact code and language', () => {
    const dom = makeDom();
    const calls: Array<[string, string, string]> = [];
    const { container, r } = mount(dom, { onCodeBlockAction: (a, c, l) => calls.push([a, c, l]) });
    r.setText(text);
    const buttons = Array.from(container.querySelectorAll<HTMLButtonElement>('button.md-codeblock-action'));
    buttons[0].click(); // copy, ts
    buttons[4].click(); // insert, plain
    buttons[8].click(); // apply, python in a list
    buttons[0].querySelector('span')!.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true })); // click on the icon
    assert.deepStrictEqual(calls, [
      ['copy', 'const a = 1;\n\nconsole.log(a);', 'ts'],
      ['insert', 'plain <b>text</b>', ''],
      ['apply', 'print(1)', 'python'],
      ['copy', 'const a = 1;\n\nconsole.log(a);', 'ts'],
    ]);
  });

  it('buttons of a block still streaming are disabled and do nothing', () => {
    const dom = makeDom();
    const calls: string[] = [];
    const { container, r } = mount(dom, { onCodeBlockAction: (a) => calls.push(a) });
    r.append('```js\nlet x');
    r.flush();
    const btn = container.querySelector<HTMLButtonElement>('button.md-codeblock-action')!;
    assert.ok(btn.disabled);
    btn.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true }));
    assert.deepStrictEqual(calls, []);
    r.finish();
    container.querySelector<HTMLButtonElement>('button.md-codeblock-action')!.click();
    assert.deepStrictEqual(calls, ['copy']);
  });

  it('after dispose() clicks no longer reach the hooks', () => {
    const dom = makeDom();
    const calls: string[] = [];
    const { container, r } = mount(dom, { onCodeBlockAction: (a) => calls.push(a), onLink: (h) => calls.push(h) });
    r.setText('```\nx\n```\n[l](https://l.example)');
    r.dispose();
    container.querySelector<HTMLButtonElement>('button')!.click();
    const ev = new dom.window.MouseEvent('click', { bubbles: true, cancelable: true });
    container.querySelector('a')!.dispatchEvent(ev);
    assert.ok(ev.defaultPrevented, 'a left-over link must not navigate the webview');
    assert.deepStrictEqual(calls, []);
  });

  it('highlights with hljs classes only, for the registered languages', () => {
    const dom = makeDom();
    const langs = ['ts', 'js', 'json', 'python', 'bash', 'css', 'html', 'xml', 'rust', 'go', 'java', 'c', 'cpp', 'csharp', 'diff', 'markdown', 'yaml', 'sql'];
    const sample: Record<string, string> = { json: '{"a": 1}', diff: '--- a\n+++ b\n-x\n+y', markdown: '# h\n*e*', yaml: 'a: 1', html: '<p class="x">t</p>', xml: '<a b="c"/>', css: 'a { color: red; }' };
    for (const l of langs) {
      const { container, r } = mount(dom);
      r.setText('```' + l + '\n' + (sample[l] ?? 'if (x) { return "s"; } // c') + '\n```\n');
      const spans = container.querySelectorAll('code span');
      assert.ok(spans.length > 0, `no highlighting for ${l}`);
      for (const s of Array.from(spans)) assert.match(s.className, /^hljs-/, l);
    }
  });
});
