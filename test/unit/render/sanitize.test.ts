import * as assert from 'assert';
import { isSafeHref } from '../../../src/webview/chat/render';
import { chunks, makeDom, mount } from './helpers';

function render(text: string, stream = false): HTMLElement {
  const dom = makeDom();
  const { container, r } = mount(dom);
  if (stream) {
    for (const d of chunks(text, 3, 7)) {
      r.append(d);
      r.flush();
    }
    r.finish();
  } else r.setText(text);
  return container;
}

/** Every rendered element and attribute is within the allowlist. */
function assertClean(root: HTMLElement): void {
  const allowedTags = new Set(['DIV', 'P', 'A', 'SPAN', 'CODE', 'PRE', 'EM', 'STRONG', 'S', 'DEL', 'BR', 'HR', 'UL', 'OL', 'LI',
    'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'BUTTON']);
  for (const el of Array.from(root.querySelectorAll('*'))) {
    assert.ok(allowedTags.has(el.tagName), `unexpected <${el.tagName}>`);
    for (const a of Array.from(el.attributes)) {
      assert.ok(!/^on/i.test(a.name), `event handler ${a.name}`);
      assert.notStrictEqual(a.name, 'style');
      assert.notStrictEqual(a.name, 'srcdoc');
      assert.notStrictEqual(a.name, 'src');
    }
    if (el.tagName === 'A' && el.hasAttribute('href')) {
      assert.ok(isSafeHref(el.getAttribute('href')!), `unsafe href ${el.getAttribute('href')}`);
      assert.strictEqual(el.getAttribute('rel'), 'noopener noreferrer');
    }
  }
}

describe('render/sanitize: links, images, markup from the model', () => {
  it('keeps http(s) and mailto links with rel="noopener noreferrer"', () => {
    const c = render('[a](https://a.example/x?y=1) [b](http://b.example) [m](mailto:me@example.com) www.example.com', true);
    const hrefs = Array.from(c.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    assert.deepStrictEqual(hrefs, ['https://a.example/x?y=1', 'http://b.example', 'mailto:me@example.com', 'http://www.example.com']);
    assertClean(c);
  });

  it('drops dangerous schemes and leaves the source visible as text', () => {
    const payloads = [
      '[x1](javascript:alert(1))', '[x2](JaVaScRiPt:alert(1))', '[x3](&#106;avascript:alert(1))',
      '[x4](java&#x09;script:alert(1))', '[x5](data:text/html;base64,PHNjcmlwdD4=)', '[x6](vbscript:msgbox(1))',
      '[x7](file:///etc/passwd)', '[x8](command:workbench.action.terminal.new)', '<javascript:alert(1)>',
      '[x9][r]\n\n[r]: javascript:alert(1)', '[x10](%6Aavascript:alert(1))', '[x11](java\u200bscript:alert(1))',
      '[x12](data:image/png;base64,AAAA)',
    ];
    for (const p of payloads) {
      const c = render(p, true);
      assertClean(c);
      for (const a of Array.from(c.querySelectorAll('a'))) {
        assert.ok(!a.hasAttribute('href') || isSafeHref(a.getAttribute('href')!), p);
      }
      const marker = /x\d+|javascript/.exec(p)![0];
      assert.ok(c.textContent!.includes(marker), `text of ${p} not visible: ${c.textContent}`);
    }
  });

  it('keeps relative links as text-only anchors (no href)', () => {
    const c = render('[file](src/a.ts) and [anchor](#x)');
    const anchors = Array.from(c.querySelectorAll('a'));
    assert.strictEqual(anchors.length, 2);
    for (const a of anchors) assert.ok(!a.hasAttribute('href'));
  });

  it('never creates images: alt text instead, linked only when the URL is http(s)', () => {
    const c = render('![the alt](https://evil.example/track.png) ![](https://e.example/x.png) ![rel](x.png) ![d](data:image/png;base64,AAAA)');
    assert.strictEqual(c.querySelectorAll('img').length, 0);
    assert.match(c.textContent!, /the alt/);
    assert.match(c.textContent!, /https:\/\/e\.example\/x\.png/);
    const links = Array.from(c.querySelectorAll('a.md-image')).map((a) => a.getAttribute('href'));
    assert.deepStrictEqual(links, ['https://evil.example/track.png', 'https://e.example/x.png']);
    assertClean(c);
  });

  it('shows raw HTML as text, never as elements', () => {
    const html = '<script>alert(1)</script><img src=x onerror=alert(2)><iframe srcdoc="<script>alert(3)</script>"></iframe>' +
      '<svg onload=alert(4)></svg><style>body{}</style><form><input></form><a href="javascript:alert(5)">a</a>';
    const c = render(html, true);
    assertClean(c);
    assert.ok(c.textContent!.includes('<script>alert(1)</script>'));
    assert.ok(c.textContent!.includes('<svg onload=alert(4)>'));
  });

  it('puts table alignment in classes, not style attributes', () => {
    const c = render('| l | c | r |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n');
    assert.deepStrictEqual(Array.from(c.querySelectorAll('th')).map((t) => t.className), ['md-align-left', 'md-align-center', 'md-align-right']);
    assert.strictEqual(c.querySelectorAll('[style]').length, 0);
  });

  it('escapes a hostile fence info string', () => {
    const c = render('```js" onmouseover="alert(1)\nx\n```\n```<img src=x onerror=alert(1)>\ny\n```\n');
    assertClean(c);
    assert.strictEqual(c.querySelectorAll('img').length, 0);
    const labels = Array.from(c.querySelectorAll('.md-codeblock-lang')).map((l) => l.textContent);
    assert.deepStrictEqual(labels, ['js"', '<img']);
  });

  it('clicking a link prevents navigation and hands the href to the host', () => {
    const dom = makeDom();
    const seen: string[] = [];
    const { container, r } = mount(dom, { onLink: (h) => seen.push(h) });
    r.setText('[ok](https://ok.example) [rel](foo.md)');
    const [ok, rel] = Array.from(container.querySelectorAll('a'));
    const ev1 = new dom.window.MouseEvent('click', { bubbles: true, cancelable: true });
    ok.dispatchEvent(ev1);
    assert.ok(ev1.defaultPrevented);
    const ev2 = new dom.window.MouseEvent('click', { bubbles: true, cancelable: true });
    rel.dispatchEvent(ev2);
    assert.ok(ev2.defaultPrevented);
    const ev3 = new dom.window.MouseEvent('auxclick', { bubbles: true, cancelable: true, button: 1 });
    ok.dispatchEvent(ev3);
    assert.ok(ev3.defaultPrevented);
    assert.deepStrictEqual(seen, ['https://ok.example']);
  });

  it('isSafeHref accepts only absolute http(s) and mailto', () => {
    for (const ok of ['https://a.b', 'http://a.b/c', 'mailto:x@y.z', ' HTTPS://A.B ']) assert.ok(isSafeHref(ok), ok);
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '//evil.example', '/rel', 'file:///x', 'command:x', 'https:evil', 'vbscript:x', '']) {
      assert.ok(!isSafeHref(bad), bad);
    }
  });
});
