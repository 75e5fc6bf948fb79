// Reference definitions after the blocks that use them (models put them at the end): earlier blocks resolve them,
// streamed or at once, and only the blocks that name the label are rendered again.
import * as assert from 'assert';
import { labelsIn } from '../../../src/webview/chat/render/refs';
import { chunks, makeDom, mount, renderWhole } from './helpers';

describe('render/MessageRenderer: reference definitions after their use', () => {
  const dom = makeDom();

  it('links "[the docs][1]" once "[1]: url" arrives at the end, streamed and at once', () => {
    const text = 'See [the docs][1].\n\nMore text.\n\n[1]: https://example.com';
    const whole = renderWhole(dom, text);
    assert.match(whole, /<a href="https:\/\/example\.com"[^>]*>the docs<\/a>/);
    const { container, r } = mount(dom);
    for (const d of chunks(text, 1, 4, 2)) {
      r.append(d);
      r.flush();
    }
    r.finish();
    assert.strictEqual(container.innerHTML, whole);
    assert.strictEqual(r.stats.refRenders, 1);
  });

  it('resolves as soon as the definition block is frozen, before the message ends', () => {
    const { container, r } = mount(dom);
    r.append('Read [the spec] first.\n\n[the spec]: https://spec.example.org\n\nNext paragraph\n\nand another\n');
    r.flush();
    assert.ok(container.querySelector('.md-block:not(.md-open) a[href="https://spec.example.org"]'), 'the first block was not linked');
  });

  it('renders again only the blocks that name the label', () => {
    const blocks = Array.from({ length: 50 }, (_, i) => (i === 10 ? 'Uses [x].' : i === 20 ? 'Uses [y] not x.' : `Plain block ${i} with [a link](https://e.com/${i}).`));
    const text = `${blocks.join('\n\n')}\n\n[x]: https://x.example\n`;
    const { container, r } = mount(dom);
    for (const d of chunks(text, 5, 30, 4)) {
      r.append(d);
      r.flush();
    }
    r.finish();
    assert.strictEqual(r.stats.refRenders, 1);
    assert.strictEqual(container.innerHTML, renderWhole(dom, text));
  });

  it('the first definition of a label wins, also when it comes after the use', () => {
    const text = '[a]\n\n[a]: https://first.example\n\n[a]: https://second.example\n';
    const html = renderWhole(dom, text);
    assert.match(html, /href="https:\/\/first\.example"/);
    assert.doesNotMatch(html, /second/);
  });

  it('labelsIn finds every label a block could look up (normalized), and none in text without brackets', () => {
    assert.strictEqual(labelsIn('no brackets here'), undefined);
    assert.deepStrictEqual([...labelsIn('[Foo  Bar][] and [baz][QUX] and ![img] and [a [nested] b] and [esc\\]aped]')!].sort(),
      ['BAZ', 'ESC\\]APED', 'FOO BAR', 'IMG', 'NESTED', 'QUX'].sort());
  });
});
