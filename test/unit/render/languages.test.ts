// Highlight.js languages on first use: a closed block in a language not loaded yet is shown plain and marked, the
// language file is requested as a <script> with the page's nonce from the bundle's own folder, and the block is
// coloured (through the sanitizer) when the file registers the language. Only known names are taken.
import * as assert from 'assert';
import { forgetLanguagesForTest, isLoaded } from '../../../src/webview/chat/render/highlight';
import { installLanguageLoader } from '../../../src/webview/chat/render/languages';
import { ALL_LANGUAGES, registerAllLanguages } from '../../support/hljsLanguages';
import { makeDom, mount } from './helpers';

describe('render/languages: highlight.js languages loaded on demand', () => {
  after(() => registerAllLanguages());

  it('shows a block plain, asks for its language once under the nonce, and colours it when it arrives', () => {
    const dom = makeDom();
    forgetLanguagesForTest();
    const bundle = dom.document.createElement('script');
    bundle.src = 'https://webview.example/ext/dist/webview.js';
    bundle.nonce = 'n0nce';
    installLanguageLoader(dom.document, bundle);
    const { container, r } = mount(dom);
    r.setText('```py\ndef f():\n    return "<b>x</b>"\n```\n\n```python\nx = 1\n```\n');
    const codes = container.querySelectorAll('code');
    assert.strictEqual(container.querySelectorAll('[class^="hljs-"]').length, 0, 'coloured before the language loaded');
    assert.deepStrictEqual([...codes].map((c) => c.getAttribute('data-hl-pending')), ['python', 'python']);
    const scripts = [...dom.document.head.querySelectorAll('script')];
    assert.strictEqual(scripts.length, 1, 'one request per language');
    assert.strictEqual(scripts[0].src, 'https://webview.example/ext/dist/hljs/python.js');
    assert.strictEqual(scripts[0].nonce, 'n0nce');

    const hook = (dom.window as unknown as Record<string, (n: string, f: unknown) => void>).__claudeChatHljs;
    hook('evil', ALL_LANGUAGES.python);
    assert.strictEqual(isLoaded('evil'), false, 'an unknown name is ignored');
    hook('python', ALL_LANGUAGES.python);
    assert.ok(container.querySelector('.hljs-keyword'), 'not coloured after the language arrived');
    assert.strictEqual(container.querySelectorAll('[data-hl-pending]').length, 0);
    assert.strictEqual(container.querySelectorAll('b').length, 0, 'code text stays text');
    assert.strictEqual(codes[0].textContent, 'def f():\n    return "<b>x</b>"\n');
  });
});
