// Folder expansion for "Add to Context" on a real temp directory: .gitignore (nested, negation), files.exclude,
// binary and size limits, and the count and walk bounds.
import * as assert from 'node:assert/strict';
import { promises as fs, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { collectFiles, ContextFs, describeSkipped, DirEntry } from '../../../src/core/context/collectFiles';
import { looksBinary } from '../../../src/core/context/limits';
import { estimateTokens } from '../../../src/core/tokens';

/** The port on node's fs, as the host implements it on vscode.workspace.fs. */
function nodeFs(root: string): ContextFs & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async list(rel) {
      const entries = await fs.readdir(join(root, rel), { withFileTypes: true });
      return entries.map((e): DirEntry => ({ name: e.name, kind: e.isSymbolicLink() ? 'other' : e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other' }));
    },
    async size(rel) {
      return (await fs.stat(join(root, rel))).size;
    },
    async read(rel) {
      reads.push(rel);
      return fs.readFile(join(root, rel));
    },
  };
}

describe('editor: add files and folders to context', () => {
  let root: string;
  const file = (rel: string, content: string | Buffer) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'claude-context-'));
    file('.gitignore', '*.log\n!keep.log\nbuild/\n/secret.txt\n');
    file('src/a.ts', 'export const a = 1;\n');
    file('src/b.ts', 'export const b = 2;\n');
    file('src/debug.log', 'noise\n');
    file('src/keep.log', 'kept by negation\n');
    file('src/.gitignore', 'generated/\n*.snap\n!important.snap\n');
    file('src/generated/g.ts', 'generated\n');
    file('src/deep/x.snap', 'snapshot\n');
    file('src/deep/important.snap', 'important\n');
    file('src/deep/nested/c.ts', 'export const c = 3;\n');
    file('build/out.js', 'built\n');
    file('secret.txt', 'top level secret\n');
    file('docs/secret.txt', 'not anchored: kept\n');
    file('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    file('big.txt', 'x'.repeat(3000));
    file('.git/config', '[core]\n');
    file('node_modules/dep/index.js', 'module.exports = 1;\n');
    file('notes.tmp', 'temp\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const rels = (r: { files: { rel: string }[] }) => r.files.map((f) => f.rel).sort();

  it('a folder expands honouring .gitignore (nested files, negation, anchoring) and files.exclude', async () => {
    const port = nodeFs(root);
    const r = await collectFiles(port, [{ rel: '', kind: 'dir' }], { excludeGlobs: ['**/node_modules', '*.tmp'], limits: { maxFileBytes: 2048 } });
    assert.deepEqual(rels(r), [
      '.gitignore',
      'docs/secret.txt',
      'src/.gitignore',
      'src/a.ts',
      'src/b.ts',
      'src/deep/important.snap',
      'src/deep/nested/c.ts',
      'src/keep.log',
    ]);
    const reason = (rel: string) => r.skipped.find((s) => s.rel === rel)?.reason;
    assert.equal(reason('src/debug.log'), 'ignored');
    assert.equal(reason('src/generated'), 'ignored', 'a nested .gitignore applies below its folder');
    assert.equal(reason('src/deep/x.snap'), 'ignored');
    assert.equal(reason('build'), 'ignored');
    assert.equal(reason('secret.txt'), 'ignored');
    assert.equal(reason('node_modules'), 'ignored', 'files.exclude');
    assert.equal(reason('notes.tmp'), 'ignored');
    assert.equal(reason('logo.png'), 'binary');
    assert.equal(reason('big.txt'), 'tooLarge');
    assert.ok(!port.reads.some((p) => p.startsWith('node_modules') || p.startsWith('build') || p.startsWith('.git/')), 'ignored folders are not read');
    assert.ok(!port.reads.includes('big.txt'), 'a file over the limit is not read');
    assert.equal(r.truncated, false);
    assert.equal(r.files.find((f) => f.rel === 'src/a.ts')?.text, 'export const a = 1;\n');
    assert.match(describeSkipped(r.skipped, 2), /ignored by \.gitignore or files\.exclude, 1 binary, 1 over 2 KB/);
  });

  it('a subfolder still honours the .gitignore files above it', async () => {
    const r = await collectFiles(nodeFs(root), [{ rel: 'src/deep', kind: 'dir' }]);
    assert.deepEqual(rels(r), ['src/deep/important.snap', 'src/deep/nested/c.ts']);
    const logs = await collectFiles(nodeFs(root), [{ rel: 'src', kind: 'dir' }], { useGitignore: false });
    assert.ok(rels(logs).includes('src/debug.log'), 'search.useIgnoreFiles off: .gitignore is not applied');
  });

  it('chosen files are taken as chosen (ignore rules are for folders), but binaries and big files are not', async () => {
    const r = await collectFiles(nodeFs(root), [
      { rel: 'src/debug.log', kind: 'file' },
      { rel: 'logo.png', kind: 'file' },
      { rel: 'big.txt', kind: 'file' },
      { rel: 'src/a.ts', kind: 'file' },
      { rel: 'src', kind: 'dir' },
    ], { limits: { maxFileBytes: 1024 } });
    assert.equal(r.files.filter((f) => f.rel === 'src/a.ts').length, 1, 'a file chosen twice is taken once');
    assert.ok(rels(r).includes('src/debug.log'));
    assert.deepEqual(r.skipped.filter((s) => s.reason !== 'ignored').map((s) => [s.rel, s.reason]), [['logo.png', 'binary'], ['big.txt', 'tooLarge']]);
  });

  it('stops at the file count and marks the result truncated, keeping the shallow files', async () => {
    for (let i = 0; i < 30; i++) file(`many/f${String(i).padStart(2, '0')}.txt`, `file ${i}\n`);
    file('many/sub/deep.txt', 'deep\n');
    const r = await collectFiles(nodeFs(root), [{ rel: 'many', kind: 'dir' }], { limits: { maxFiles: 10 } });
    assert.equal(r.files.length, 10);
    assert.equal(r.truncated, true);
    assert.deepEqual(rels(r).slice(0, 2), ['many/f00.txt', 'many/f01.txt']);
    const walk = await collectFiles(nodeFs(root), [{ rel: 'many', kind: 'dir' }], { limits: { maxEntries: 5 } });
    assert.equal(walk.truncated, true);
    assert.ok(walk.files.length <= 5);
  });

  it('does not follow symbolic links', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'claude-outside-'));
    try {
      writeFileSync(join(outside, 'secret.txt'), 'outside secret\n');
      symlinkSync(outside, join(root, 'src', 'link-out'));
      symlinkSync(join(outside, 'secret.txt'), join(root, 'src', 'link.txt'));
      const r = await collectFiles(nodeFs(root), [{ rel: 'src', kind: 'dir' }]);
      assert.ok(!r.files.some((f) => f.text.includes('outside secret')));
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reports progress and can be cancelled', async () => {
    const seen: [number, number][] = [];
    await collectFiles(nodeFs(root), [{ rel: 'src', kind: 'dir' }], { onProgress: (d, t) => seen.push([d, t]) });
    assert.deepEqual(seen[seen.length - 1], [seen[0][1], seen[0][1]]);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(collectFiles(nodeFs(root), [{ rel: '', kind: 'dir' }], { signal: ac.signal }), /aborted/);
  });

  it('sniffs binaries by a NUL byte in the first 8000 bytes; estimates tokens as chars / 4', () => {
    assert.equal(looksBinary(Buffer.from('plain text\n')), false);
    assert.equal(looksBinary(Buffer.from([0x41, 0x00, 0x42])), true);
    assert.equal(looksBinary(Buffer.concat([Buffer.alloc(9000, 0x41), Buffer.from([0])])), false, 'a NUL after the sniff window');
    assert.equal(estimateTokens('abcdefgh'), 2);
    assert.equal(estimateTokens('abcdefghi'), 3);
  });
});
