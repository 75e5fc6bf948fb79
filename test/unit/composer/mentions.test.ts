// The mention and slash grammar (shared/mentions.ts) with ordinary, malformed and hostile input.
import * as assert from 'node:assert/strict';
import { codeRanges, formatMention, MAX_MENTIONS, parseMentions, parseSlash } from '../../../src/shared/mentions';

const tokens = (text: string) => parseMentions(text).map((m) => text.slice(m.start, m.end));
const values = (text: string) => parseMentions(text).map((m) => [m.kind, m.value]);

describe('composer: mention grammar', () => {
  it('reads every kind, bare and with a value, and where each token starts and ends', () => {
    const text = 'Compare @file:src/a.ts with @folder:lib/ and @symbol:parseArgs, then @selection @problems @terminal @git';
    assert.deepEqual(values(text), [
      ['file', 'src/a.ts'], ['folder', 'lib/'], ['symbol', 'parseArgs'], ['selection', undefined], ['problems', undefined], ['terminal', undefined], ['git', undefined],
    ]);
    assert.deepEqual(tokens(text), ['@file:src/a.ts', '@folder:lib/', '@symbol:parseArgs', '@selection', '@problems', '@terminal', '@git']);
  });

  it('ends a bare value at sentence punctuation, and takes quoted values with spaces', () => {
    assert.deepEqual(values('Look at @file:src/a.ts. And (@file:b.ts), "@git".'), [['file', 'src/a.ts'], ['file', 'b.ts'], ['git', undefined]]);
    assert.deepEqual(values('see @file:"my dir/a b.ts" now'), [['file', 'my dir/a b.ts']]);
    assert.deepEqual(values('@git: what changed? and @problems.'), [['git', undefined], ['problems', undefined]]);
  });

  it('is not fooled by e-mail addresses, unknown kinds, missing values or broken quotes', () => {
    for (const text of ['mail me@file:x.ts', 'a@git', '@files:x', '@filesystem', '@file', '@file:', '@file:""', '@file:"no close', '@file:"line\nbreak"', '@gitx', '@git-log', '@Git', '@selection2', '@@file:x']) {
      assert.deepEqual(parseMentions(text), [], text);
    }
  });

  it('skips code: fenced blocks (also unterminated ones), ~~~ fences and inline code spans', () => {
    const text = 'use @git\n```ts\n@file:inside.ts\n```\nand `@file:span.ts` and ``a ` @git b`` then @problems\n~~~\n@terminal';
    assert.deepEqual(tokens(text), ['@git', '@problems']);
    assert.deepEqual(tokens('```\n@file:a.ts\nno closing fence @git'), []);
    assert.deepEqual(tokens('an `unclosed span @git'), ['@git'], 'a lone backtick is literal, as in markdown');
  });

  it('keeps HTML in mention text as plain characters of the value (the DOM escapes it, never the parser)', () => {
    const text = '@file:"<img src=x onerror=alert(1)>.ts" and @symbol:<script>';
    assert.deepEqual(values(text), [['file', '<img src=x onerror=alert(1)>.ts'], ['symbol', '<script']]);
  });

  it('stops at MAX_MENTIONS and stays linear on hostile input', () => {
    assert.equal(parseMentions('@git '.repeat(MAX_MENTIONS * 3)).length, MAX_MENTIONS);
    const started = Date.now();
    parseMentions('@'.repeat(1_000_000));
    parseMentions(`${' @file:'.repeat(100_000)}x`);
    parseMentions(Array.from({ length: 3000 }, (_, i) => '`'.repeat((i % 50) + 1)).join(' @git '));
    codeRanges('```\n'.repeat(50_000));
    parseMentions(`@file:${'a'.repeat(2_000_000)}`);
    // A hang guard only (timings are never pass/fail): quadratic behaviour here would take minutes.
    assert.ok(Date.now() - started < 20_000);
    assert.deepEqual(parseMentions(`@file:${'a'.repeat(2000)}`), [], 'a value longer than 1024 characters is not a mention');
  });

  it('writes tokens it can read back: bare when it can, quoted when it must, refused when it cannot', () => {
    for (const [kind, value] of [['file', 'src/a.ts'], ['file', 'my dir/a b.ts'], ['folder', 'src/'], ['file', 'end.'], ['symbol', 'Foo.bar']] as const) {
      const t = formatMention(kind, value)!;
      assert.deepEqual(values(`x ${t} y`), [[kind, value]], t);
    }
    assert.equal(formatMention('git'), '@git');
    assert.equal(formatMention('file', 'a"b.ts'), undefined);
    assert.equal(formatMention('file', 'a\nb'), undefined);
    assert.equal(formatMention('file', ''), undefined);
  });
});

describe('composer: slash commands', () => {
  it('is a command only as the first word', () => {
    assert.deepEqual(parseSlash('/explain'), { name: 'explain', args: '' });
    assert.deepEqual(parseSlash('  /review  focus on names \n more'), { name: 'review', args: 'focus on names \n more' });
    assert.deepEqual(parseSlash('/frontend.test-x_1 a'), { name: 'frontend.test-x_1', args: 'a' });
    for (const text of ['explain /explain', '//explain', '/usr/bin/env is where', '/ explain', '/1abc', '/explain:x', '/' + 'a'.repeat(65)]) assert.equal(parseSlash(text), undefined, text);
  });
});
