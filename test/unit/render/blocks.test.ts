import * as assert from 'assert';
import { allBlocks, closedBlocks, type BlockSpan } from '../../../src/webview/chat/render/blocks';
import { CORPUS } from './corpus';

/** The closed prefix of `tail`, as source strings. */
function closed(tail: string): string[] {
  return closedBlocks(tail).map((s) => tail.slice(s.start, s.end));
}

function pieces(text: string, spans: BlockSpan[]): string[] {
  return spans.map((s) => text.slice(s.start, s.end));
}

/** What the renderer does: freeze closed blocks of the tail, keep the rest, repeat per prefix. */
function streamSplit(text: string): string[] {
  const frozen: string[] = [];
  let offset = 0;
  for (let i = 1; i <= text.length; i++) {
    const tail = text.slice(offset, i);
    for (const s of closedBlocks(tail)) {
      frozen.push(tail.slice(s.start, s.end));
      offset += s.end - s.start;
    }
  }
  const rest = text.slice(offset);
  return frozen.concat(pieces(rest, allBlocks(rest)));
}

describe('render/blocks: splitting into top-level blocks', () => {
  it('closes a paragraph once the next block starts on a complete line', () => {
    assert.deepStrictEqual(closed('para one\n\npara'), []);
    assert.deepStrictEqual(closed('para one\n\npara two\n'), ['para one\n']);
    assert.deepStrictEqual(closed('# Heading\ntext\n'), ['# Heading\n']);
  });

  it('keeps a fence with blank lines open until its closing fence line is complete', () => {
    assert.deepStrictEqual(closed('```js\na\n\n\nb\n'), []);
    assert.deepStrictEqual(closed('```js\na\n\n\nb\n``'), []);
    assert.deepStrictEqual(closed('```js\na\n\n\nb\n```'), [], 'closing line not complete yet');
    assert.deepStrictEqual(closed('```js\na\n\n\nb\n```\n'), ['```js\na\n\n\nb\n```\n']);
  });

  it('does not close a longer fence on a shorter inner ``` line', () => {
    const inner = '````md\n```js\nx()\n```\n\nmore\n';
    assert.deepStrictEqual(closed(inner), []);
    assert.deepStrictEqual(closed(inner + '````\n'), [inner + '````\n']);
    assert.deepStrictEqual(closed('~~~\n```\n'), []);
    assert.deepStrictEqual(closed('~~~\n```\n~~~\nafter\n'), ['~~~\n```\n~~~\n']);
  });

  it('treats everything after an unclosed fence as code', () => {
    assert.deepStrictEqual(closed('text\n\n```\ncode\n\n# not heading\n- not list\n'), ['text\n']);
    assert.deepStrictEqual(allBlocks('```\ncode\n\nmore').length, 1);
  });

  it('keeps a loose list spanning blank lines as one block', () => {
    assert.deepStrictEqual(closed('- a\n\n- b\n\n'), []);
    assert.deepStrictEqual(closed('- a\n\n  continued\n'), []);
    assert.deepStrictEqual(closed('- a\n\n- b\n\nafter\n'), ['- a\n\n- b\n\n']);
  });

  it('ignores the partial last line ("2" may still become "2.")', () => {
    assert.deepStrictEqual(closed('1. a\n\n2'), []);
    assert.deepStrictEqual(closed('1. a\n\n2.'), []);
    assert.deepStrictEqual(closed('1. a\n\n2\n'), ['1. a\n\n'], 'a list keeps its trailing blank line');
  });

  it('keeps a table together and closes it at the next block', () => {
    assert.deepStrictEqual(closed('| a | b |\n|---|---|\n| 1 | 2 |\n'), []);
    assert.deepStrictEqual(closed('| a |\n|---|\n| 1 |\n\npara\n'), ['| a |\n|---|\n| 1 |\n']);
    // A table interrupting a paragraph splits it once the delimiter row arrives.
    assert.deepStrictEqual(closed('text\n| a |\n'), []);
    assert.deepStrictEqual(closed('text\n| a |\n|---|\n'), ['text\n']);
  });

  it('keeps a setext heading with its text', () => {
    assert.deepStrictEqual(closed('Title\n'), []);
    assert.deepStrictEqual(closed('Title\n===\n'), []);
    assert.deepStrictEqual(closed('Title\n===\nbody\n'), ['Title\n===\n']);
  });

  it('gives leading blank lines and reference definitions to the following block', () => {
    const text = '\n\n[r]: https://x.example\n\npara\n\nnext\n';
    assert.deepStrictEqual(closed(text), ['\n\n[r]: https://x.example\n\npara\n']);
  });

  it('tiles a finished text exactly, the last span running to the end', () => {
    for (const [name, text] of Object.entries(CORPUS)) {
      const spans = allBlocks(text.replace(/\r\n?/g, '\n'));
      let at = 0;
      for (const s of spans) {
        assert.strictEqual(s.start, at, name);
        assert.ok(s.end > s.start, name);
        at = s.end;
      }
      if (spans.length) assert.strictEqual(at, text.replace(/\r\n?/g, '\n').length, name);
    }
    assert.deepStrictEqual(allBlocks('\n \n'), []);
  });

  it('freezing prefix by prefix gives the same blocks as splitting the finished text', () => {
    for (const [name, raw] of Object.entries(CORPUS)) {
      const text = raw.replace(/\r\n?/g, '\n');
      assert.deepStrictEqual(streamSplit(text), pieces(text, allBlocks(text)), name);
    }
  });
});
