// Context documents, the explain message, re-reading attached files, and relocating a refactored selection.
import * as assert from 'node:assert/strict';
import type { ContextDoc } from '../../../src/core/conversation';
import { changedDocs, explainMessage, fenceFor, fileDoc, selectionDoc } from '../../../src/core/context/docs';
import { relocate, spliced } from '../../../src/core/editor/relocate';

describe('editor: context documents and the explain message', () => {
  const f = { uri: 'file:///ws/src/a.ts', label: 'src/a.ts', languageId: 'typescript', text: 'const a = 1;\n' };

  it('a file doc is keyed by its URI; a selection by URI and 1-based lines, labelled path:A-B', () => {
    assert.deepEqual(fileDoc(f), { id: f.uri, label: 'src/a.ts', uri: f.uri, languageId: 'typescript', text: f.text, kind: 'file' });
    const s = selectionDoc({ ...f, text: 'line ten' }, { startLine: 9, endLine: 19 });
    assert.equal(s.id, 'file:///ws/src/a.ts#10-20');
    assert.equal(s.label, 'src/a.ts:10-20');
    assert.deepEqual(s.range, { startLine: 9, endLine: 19 });
    assert.equal(s.kind, 'selection');
    assert.equal(s.text, 'line ten');
    assert.equal(selectionDoc(f, { startLine: 4, endLine: 4 }).label, 'src/a.ts:5');
  });

  it('the explain message names the file and 1-based lines and fences the selection safely', () => {
    assert.equal(explainMessage('src/a.ts', { startLine: 0, endLine: 2 }, 'ts', 'x\ny\nz'), 'Explain lines 1–3 of src/a.ts:\n```ts\nx\ny\nz\n```');
    assert.equal(explainMessage('a.md', { startLine: 4, endLine: 4 }, 'markdown', '```js\n```'), 'Explain line 5 of a.md:\n````markdown\n```js\n```\n````');
    assert.equal(fenceFor('no ticks'), '```');
  });

  it('re-reads attached files: only changed files come back, with the same id; selections stay as attached', async () => {
    const docs: ContextDoc[] = [
      fileDoc(f),
      fileDoc({ ...f, uri: 'file:///ws/b.ts', label: 'b.ts', text: 'old b' }),
      selectionDoc({ ...f, text: 'old selection' }, { startLine: 0, endLine: 0 }),
      fileDoc({ ...f, uri: 'file:///ws/gone.ts', label: 'gone.ts', text: 'gone' }),
    ];
    const disk: Record<string, string> = { [f.uri]: f.text, 'file:///ws/b.ts': 'new b' };
    const asked: string[] = [];
    const changed = await changedDocs(docs, async (uri) => {
      asked.push(uri);
      if (!(uri in disk)) throw new Error('ENOENT');
      return disk[uri];
    });
    assert.deepEqual(changed, [{ ...docs[1], text: 'new b' }]);
    assert.deepEqual(asked, [f.uri, 'file:///ws/b.ts', 'file:///ws/gone.ts'], 'selections are not re-read');
  });
});

describe('editor: relocating a refactored selection in a changed document', () => {
  const text = 'alpha\nfunction f() { return 1; }\nomega\n';
  const sel = 'function f() { return 1; }';
  const start = text.indexOf(sel);

  it('unchanged when the text is still at its offsets', () => {
    assert.deepEqual(relocate(sel, start, text + 'appended\n'), { kind: 'unchanged', start, end: start + sel.length });
  });

  it('moved when lines were added above it', () => {
    const now = 'new line\n' + text;
    assert.deepEqual(relocate(sel, start, now), { kind: 'moved', start: start + 9, end: start + 9 + sel.length });
  });

  it('the nearest occurrence when it appears more than once', () => {
    const now = 'x\n' + text + `\n${sel}\n` + `${sel}\n`;
    const r = relocate(sel, start, now);
    assert.equal(r.kind, 'moved');
    assert.equal(r.kind === 'moved' && r.start, start + 2);
  });

  it('changed when the selected text itself was edited', () => {
    assert.deepEqual(relocate(sel, start, text.replace('return 1', 'return 2')), { kind: 'changed' });
  });

  it('spliced replaces exactly the range', () => {
    assert.equal(spliced(text, start, start + sel.length, 'const f = () => 1;'), 'alpha\nconst f = () => 1;\nomega\n');
  });
});
