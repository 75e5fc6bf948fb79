import * as assert from 'node:assert/strict';
import { GitIgnore } from '../../../src/core/tools/gitignore';
import { GlobSet, globToRegExp } from '../../../src/core/tools/glob';

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
    for (const [glob, path, want] of cases) assert.equal(globToRegExp(glob).test(path), want, `${glob} vs ${path}`);
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
