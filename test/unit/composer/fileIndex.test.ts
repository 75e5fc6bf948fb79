// The @file list: ripgrep --files over a real temp workspace (.gitignore without a git repository, files.exclude,
// secrets never listed), the findFiles fallback, rebuilding after a change, and the ranking of the completion list.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { commandItems, foldersOf, mentionItems, symbolItems } from '../../../src/core/composer/complete';
import { FileIndex } from '../../../src/core/composer/fileIndex';
import { rankPaths } from '../../../src/core/composer/rank';
import { NodePort } from '../tools/nodePort';
import { tempWorkspace } from './fakeHost';

const logger = { info() {}, warn() {}, error() {} };

async function built(index: FileIndex): Promise<readonly string[]> {
  index.snapshot();
  await index.settled();
  const snap = index.snapshot();
  assert.equal(snap.complete, true);
  return snap.paths;
}

describe('composer: workspace file list', () => {
  let w: ReturnType<typeof tempWorkspace>;
  beforeEach(() => {
    w = tempWorkspace({
      'src/app.ts': 'a', 'src/util/strings.ts': 's', 'README.md': 'r', '.gitignore': 'dist/\n*.log\n', 'dist/bundle.js': 'b', 'debug.log': 'l',
      'node_modules/pkg/index.js': 'n', '.env': 'SECRET=1', 'keys/id_rsa': 'k', 'gen/out.ts': 'g', '.github/workflows/ci.yml': 'c',
    });
  });
  afterEach(() => w.cleanup());

  for (const engine of ['ripgrep', 'findFiles fallback'] as const) {
    it(`${engine}: honours .gitignore (no git repository), files.exclude, and never lists secrets or node_modules`, async () => {
      const port = NodePort.single(w.ws);
      port.excludes = ['gen'];
      if (engine !== 'ripgrep') port.rgPath = undefined;
      const paths = await built(new FileIndex(port, logger));
      assert.deepEqual([...paths], ['.github/workflows/ci.yml', '.gitignore', 'README.md', 'src/app.ts', 'src/util/strings.ts']);
    });
  }

  it('a glob ripgrep cannot take as it is (braces) is applied afterwards', async () => {
    const port = NodePort.single(w.ws);
    port.excludes = ['{gen,src/util}/**'];
    const paths = await built(new FileIndex(port, logger));
    assert.ok(!paths.some((p) => p.startsWith('gen/') || p.startsWith('src/util/')), paths.join());
    assert.ok(paths.includes('src/app.ts'));
  });

  it('keeps answering from the old list while a change rebuilds it, then swaps the new one in', async () => {
    const index = new FileIndex(NodePort.single(w.ws), logger);
    assert.ok((await built(index)).includes('README.md'));
    w.write('src/new.ts', 'n');
    rmSync(join(w.ws, 'README.md'));
    index.invalidate();
    const during = index.snapshot();
    assert.ok(during.paths.includes('README.md') && !during.paths.includes('src/new.ts'), 'the previous list answers meanwhile');
    assert.equal(during.complete, false, 'marked as not final, so the answer is given again');
    let changed = 0;
    index.onDidChange(() => changed++);
    await index.settled();
    assert.equal(changed, 1, 'one change event when the new list is in');
    const after = index.snapshot().paths;
    assert.ok(after.includes('src/new.ts') && !after.includes('README.md'));
  });

  it('prefixes paths with the folder name in a multi-root workspace', async () => {
    const w2 = tempWorkspace({ 'lib/x.ts': 'x' });
    try {
      const port = new NodePort([{ name: 'one', path: w.ws }, { name: 'two', path: w2.ws }]);
      const paths = await built(new FileIndex(port, logger));
      assert.ok(paths.includes('one/src/app.ts') && paths.includes('two/lib/x.ts'));
    } finally {
      w2.cleanup();
    }
  });
});

describe('composer: completion ranking', () => {
  const paths = ['src/components/Button.tsx', 'src/button/helpers.ts', 'test/unit/button.test.ts', 'docs/about.md', 'src/b/u/t/t/o/n.ts', 'BUILD.bazel'];
  it('prefers a file-name match, at its start, over a match in the folders or a scattered one', () => {
    assert.deepEqual(rankPaths('button', paths, 10).map((r) => r.path), ['test/unit/button.test.ts', 'src/components/Button.tsx', 'src/button/helpers.ts', 'src/b/u/t/t/o/n.ts']);
    assert.deepEqual(rankPaths('bz', paths, 10).map((r) => r.path), ['BUILD.bazel']);
    assert.deepEqual(rankPaths('xyz', paths, 10), []);
    assert.equal(rankPaths('', paths, 2).length, 2);
    assert.deepEqual(rankPaths('a', paths, 0), []);
  });

  it('@ offers the kinds, then files; a kind prefix narrows to its kind; folders come from the files', () => {
    const src = { paths, lowered: paths.map((p) => p.toLowerCase()), folders: () => foldersOf(paths) };
    const empty = mentionItems('', src);
    assert.deepEqual(empty.slice(0, 7).map((i) => i.label), ['@selection', '@problems', '@terminal', '@git', '@file:', '@folder:', '@symbol:']);
    assert.equal(empty[4].again, true);
    assert.deepEqual(mentionItems('se', src)[0], { kind: 'selection', label: '@selection', description: 'The selection in the active editor', insert: '@selection ' });
    assert.deepEqual(mentionItems('file:helpers', src), [{ kind: 'file', label: 'helpers.ts', detail: 'src/button', insert: '@file:src/button/helpers.ts ' }]);
    assert.deepEqual(mentionItems('folder:compo', src).map((i) => i.insert), ['@folder:src/components/ ']);
    assert.ok(foldersOf(['a/b/c.ts', 'a/d.ts']).join() === 'a,a/b');
  });

  it('quotes a path with spaces, and leaves out one that cannot be written as a mention', () => {
    const odd = ['my dir/a b.ts', 'we"ird.ts'];
    const items = mentionItems('file:', { paths: odd, lowered: odd, folders: () => [] });
    assert.deepEqual(items.map((i) => i.insert), ['@file:"my dir/a b.ts" ']);
  });

  it('@symbol items insert the bare name of a symbol a provider decorates ("greet()")', () => {
    const items = symbolItems([{ name: 'greet()', kind: 'function', container: 'mod', path: '/w/src/a.ts', line: 4 }], () => 'src/a.ts');
    assert.deepEqual(items, [{ kind: 'symbol', label: 'greet()', detail: 'mod · src/a.ts:5', description: 'function', insert: '@symbol:greet ' }]);
  });

  it('/ lists the commands in order, then by name match', () => {
    const cmds = [{ name: 'explain', description: 'E', source: 'builtin' as const }, { name: 'fix', description: 'F', source: 'builtin' as const }, { name: 'review', description: 'R', source: 'prompt' as const }];
    assert.deepEqual(commandItems('', cmds).map((i) => i.label), ['/explain', '/fix', '/review']);
    assert.deepEqual(commandItems('re', cmds).map((i) => i.label), ['/review']);
    assert.deepEqual(commandItems('rv', cmds).map((i) => i.label), ['/review']);
  });
});
