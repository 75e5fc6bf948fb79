import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitIgnore, MAX_DEPTH } from '../../../src/core/tools/gitignore';
import { Glob, GlobError, GlobSet } from '../../../src/core/tools/glob';
import { harness, makeWorkspace, NodePort } from './nodePort';

describe('tools: globs and .gitignore', () => {
  it('globs: * stays in a segment, ** crosses them, braces and classes work', () => {
    const cases: [string, string, boolean][] = [
      ['*.ts', 'a.ts', true],
      ['*.ts', 'src/a.ts', false],
      ['**/*.ts', 'a.ts', true],
      ['**/*.ts', 'src/deep/a.ts', true],
      ['src/**', 'src/a/b.js', true],
      ['src/**', 'srcx/a.js', false],
      ['src/**/test_*.py', 'src/test_a.py', true],
      ['src/**/test_*.py', 'src/x/y/test_a.py', true],
      ['**/*.{js,ts}', 'a/b.js', true],
      ['**/*.{js,ts}', 'a/b.tsx', false],
      ['file?.txt', 'file1.txt', true],
      ['file?.txt', 'file/.txt', false],
      ['[abc].md', 'b.md', true],
      ['[!abc].md', 'b.md', false],
      ['a.b', 'aXb', false],
      ['(x)+', '(x)+', true],
    ];
    for (const [glob, path, want] of cases) assert.equal(new Glob(glob).matches(path), want, `${glob} vs ${path}`);
  });

  it('an exclude glob also excludes everything below a matching folder', () => {
    const set = new GlobSet(['**/node_modules', 'out/', '**/*.log']);
    assert.equal(set.matches('node_modules/x/index.js'), true);
    assert.equal(set.matches('pkg/node_modules/y.js'), true);
    assert.equal(set.matches('src/node_modules_x.ts'), false);
    assert.equal(set.matches('a/b.log'), true);
    assert.equal(new GlobSet([]).matches('anything'), false);
  });

  it('.gitignore: unanchored names, anchored paths, dir-only, negation, comments, escapes', () => {
    const gi = new GitIgnore();
    gi.add('', ['# comment', '', '*.log', '!keep.log', '/root-only.txt', 'build/', 'docs/*.tmp', '\\#hash', 'trailing.txt   ', '**/cache'].join('\n'));
    const cases: [string, boolean][] = [
      ['a.log', true],
      ['deep/b.log', true],
      ['keep.log', false],
      ['root-only.txt', true],
      ['sub/root-only.txt', false],
      ['build/x.js', true],
      ['src/build/x.js', true],
      ['build', false], // a file named build: dir-only rule does not apply
      ['docs/a.tmp', true],
      ['docs/sub/a.tmp', false],
      ['#hash', true],
      ['trailing.txt', true],
      ['x/cache/y', true],
      ['src/main.ts', false],
    ];
    for (const [path, want] of cases) assert.equal(gi.ignores(path), want, path);
    assert.equal(gi.ignores('build', true), true, 'a directory named build');
  });

  it('.gitignore: nested files apply below their folder and win over the root; ignored folders stay ignored', () => {
    const gi = new GitIgnore();
    gi.add('pkg', '*.gen.ts\n!keep.txt\n/local.txt\n');
    gi.add('', 'keep.txt\nvendor/\n!vendor/keep.js\n');
    assert.equal(gi.ignores('pkg/a.gen.ts'), true);
    assert.equal(gi.ignores('other/a.gen.ts'), false, 'pkg rules do not apply outside pkg');
    assert.equal(gi.ignores('keep.txt'), true);
    assert.equal(gi.ignores('pkg/keep.txt'), false, 'the deeper negation wins');
    assert.equal(gi.ignores('pkg/local.txt'), true);
    assert.equal(gi.ignores('pkg/sub/local.txt'), false, 'anchored to pkg/');
    assert.equal(gi.ignores('vendor/keep.js'), true, 'a file under an ignored folder cannot be re-included');
  });
});

describe('tools: hostile globs and .gitignore lines', function () {
  this.timeout(30_000);
  const longName = `${'a'.repeat(200)}c`;

  it('glob: nested stars, ranges out of order and deep paths are matched in one bounded pass', () => {
    assert.equal(new Glob('*a*a*a*a*a*a*a*b').matches(longName), false);
    assert.equal(new Glob('*a*a*a*a*a*a*a*b').matches(`${'a'.repeat(200)}b`), true);
    assert.equal(new Glob('**/a/**/a/**/a/**/b').matches(`${'a/'.repeat(300)}c`), false);
    assert.equal(new Glob('**/a/**/a/**/a/**/b').matches(`${'a/'.repeat(300)}b`), true);
    assert.equal(new GlobSet(['*a*a*a*a*a*a*a*b', '**/*a*a*a*a*a*a*b/**']).matches(`x/${longName}/y/${longName}`), false);
    assert.equal(new Glob('[z-a]').matches('z'), false, 'a range out of order matches nothing, and does not throw');
    assert.equal(new Glob('[z-a]x').matches('ax'), false);
    assert.equal(new Glob('[!a-c]x').matches('dx'), true);
    assert.equal(new Glob('[!a-c]x').matches('/x'), false, 'a class never matches "/"');
    assert.equal(new Glob('[').matches('['), true, 'an unclosed class is literal');
    assert.equal(new Glob('{a,{b,c}}.ts').matches('c.ts'), true, 'nested alternatives');
    assert.equal(new Glob('{a,b').matches('{a,b'), true, 'an unclosed brace is literal');
    assert.equal(new Glob('src/**').matches('src'), false);
    assert.equal(new Glob('**').matches('a/b/c'), true);
    assert.equal(new Glob('a/**/b').matches('a/b'), true);
    assert.equal(new Glob('a/**/b').matches('a/x/y/b'), true);
    assert.equal(new Glob('a/**/b').matches('a/xb'), false);
  });

  it('glob: a pattern with too many alternatives is refused; in an exclude set it is skipped and reported', () => {
    const bomb = '{a,b}'.repeat(12);
    assert.throws(() => new Glob(bomb), GlobError);
    const warnings: string[] = [];
    const set = new GlobSet([bomb, '*.log'], (m) => warnings.push(m));
    assert.equal(set.size, 1);
    assert.equal(set.matches('x.log'), true);
    assert.match(warnings.join('\n'), /skipped: the pattern expands to more than 256 alternatives/);
  });

  it('.gitignore: "*a*a*a*a*a*a*a*b" against a long name answers; "[z-a]" breaks nothing', () => {
    const warnings: string[] = [];
    const gi = new GitIgnore((m) => warnings.push(m));
    gi.add('', '*a*a*a*a*a*a*a*b\n[z-a]\n*.log\n');
    assert.equal(gi.ignores(longName), false);
    assert.equal(gi.ignores(`${'a'.repeat(200)}b`), true);
    assert.equal(gi.ignores(`x/${longName}/y`), false);
    assert.equal(gi.ignores('b'), false);
    assert.equal(gi.ignores('z'), true, '[z-a] keeps git\'s meaning: the lower bound alone');
    assert.equal(gi.ignores('a.log'), true, 'the other lines still apply');
  });

  it('.gitignore: lines it cannot afford are skipped and reported; the rest apply', () => {
    const warnings: string[] = [];
    const gi = new GitIgnore((m) => warnings.push(m));
    gi.add('pkg', `a/**/b/**/c/**/d\n${'x'.repeat(2000)}\n*.tmp\n`);
    assert.equal(gi.size, 1);
    assert.equal(gi.ignores('pkg/q.tmp'), true);
    assert.equal(gi.ignores('pkg/a/b/c/d'), false, 'the skipped line does not apply');
    assert.deepEqual(
      warnings.map((m) => m.replace(/: ".*$/, '')),
      ['pkg/.gitignore: line 1 skipped (more than 2 "**")', 'pkg/.gitignore: line 2 skipped (longer than 1000 characters)'],
    );
  });

  it('.gitignore: a nested folder name with glob characters is taken literally; deep paths are bounded', () => {
    const gi = new GitIgnore();
    gi.add('we[i]rd*', 'x.txt\n/y.txt\n');
    assert.equal(gi.ignores('we[i]rd*/x.txt'), true);
    assert.equal(gi.ignores('we[i]rd*/deep/x.txt'), true);
    assert.equal(gi.ignores('weird/x.txt'), false);
    assert.equal(gi.ignores('we[i]rd*/deep/y.txt'), false);
    gi.add('', '**/a/**/a/b\n');
    assert.equal(gi.ignores(`${'a/'.repeat(30)}c`), false);
    assert.equal(gi.ignores(`${'a/'.repeat(MAX_DEPTH)}c`), true, 'deeper than MAX_DEPTH folders counts as ignored');
  });

  describe('through find_files and search_text', () => {
    let w: ReturnType<typeof makeWorkspace>;
    beforeEach(() => {
      w = makeWorkspace();
      writeFileSync(join(w.ws, `${'a'.repeat(200)}c`), 'needle long\n');
      writeFileSync(join(w.ws, '.gitignore'), 'ignored.txt\n*a*a*a*a*a*a*a*b\n[z-a]\nbuild/\n');
    });
    afterEach(() => w.cleanup());

    for (const engine of ['ripgrep', 'worker fallback'] as const) {
      it(`a hostile .gitignore and files.exclude leave find_files and search_text working (${engine})`, async () => {
        const port = NodePort.single(w.ws);
        if (engine !== 'ripgrep') port.rgPath = undefined;
        port.excludes = ['*a*a*a*a*a*a*a*b', '[z-a]', 'src/util.ts'];
        const h = harness(port);
        const [find, search] = await h.run([
          { name: 'find_files', input: { pattern: '**/*' } },
          { name: 'search_text', input: { query: 'needle', max_results: 50 } },
        ]);
        assert.equal(find.isError, false, find.content);
        assert.ok(find.content.includes(`\n${'a'.repeat(200)}c`), find.content);
        assert.ok(!/ignored\.txt|build\/|src\/util\.ts/.test(find.content), find.content);
        assert.equal(search.isError, false, search.content);
        assert.ok(search.content.includes(`${'a'.repeat(200)}c:1: needle long`), search.content);
        assert.ok(search.content.includes('src/main.ts:2: return needle();'), search.content);
        assert.ok(!/ignored\.txt|build\/|src\/util\.ts/.test(search.content), search.content);
        if (engine === 'ripgrep') assert.match(port.warnings.join('\n'), /\.gitignore: line 3: error parsing glob '\[z-a\]'/, 'ripgrep skips the line and it is logged');
      });
    }
  });
});
