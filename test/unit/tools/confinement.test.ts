import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePath, ToolError } from '../../../src/core/tools/paths';
import { harness, makeWorkspace, NodePort, SECRET } from './nodePort';

describe('tools: path confinement', () => {
  let w: ReturnType<typeof makeWorkspace>;
  beforeEach(() => {
    w = makeWorkspace();
  });
  afterEach(() => w.cleanup());

  const corpus = (ws: string, outside: string): [string, string][] => [
    ['read_file', '../outside/secret.txt'],
    ['read_file', '../../../../../../etc/passwd'],
    ['read_file', 'src/../../outside/secret.txt'],
    ['read_file', `${outside}/secret.txt`],
    ['read_file', '/etc/passwd'],
    ['read_file', `${ws}/../outside/secret.txt`],
    ['read_file', 'link-out/secret.txt'],
    ['read_file', 'link-out/dir/inner.txt'],
    ['read_file', 'secret-link.txt'],
    ['read_file', 'dangling'],
    ['read_file', '~/.ssh/id_rsa'],
    ['read_file', '~'],
    ['read_file', '%2e%2e/outside/secret.txt'],
    ['read_file', '%2E%2E%2Foutside%2Fsecret.txt'],
    ['read_file', '..%2foutside%2fsecret.txt'],
    ['read_file', '%252e%252e/outside/secret.txt'],
    ['read_file', '..\\outside\\secret.txt'],
    ['read_file', 'src\\..\\..\\outside\\secret.txt'],
    ['read_file', 'a.txt\u0000../outside/secret.txt'],
    ['read_file', 'C:\\Windows\\win.ini'],
    ['read_file', 'c:/Windows/win.ini'],
    ['read_file', '\\\\server\\share\\secret.txt'],
    ['read_file', '//server/share/secret.txt'],
    ['read_file', 'file:///etc/passwd'],
    ['read_file', `file://${outside}/secret.txt`],
    ['read_file', 'vscode-remote://ssh-remote+host/etc/passwd'],
    ['read_file', '.. /outside/secret.txt'],
    ['read_file', '.../outside/secret.txt'],
    ['read_file', '\uff0e\uff0e/outside/secret.txt'],
    ['list_directory', '..'],
    ['list_directory', 'link-out'],
    ['list_directory', `${outside}`],
    ['get_diagnostics', 'secret-link.txt'],
    ['propose_edit', 'secret-link.txt'],
    ['propose_edit', 'link-out/secret.txt'],
    ['create_file', 'link-out/new.txt'],
    ['create_file', 'dangling'],
    ['create_file', '../outside/new.txt'],
    ['create_file', `${outside}/new.txt`],
  ];

  it('refuses every escape attempt (39 of them) and never reads outside the workspace', async () => {
    const port = NodePort.single(w.ws);
    const h = harness(port);
    h.approver.answers = Array(50).fill('approve');
    const attempts = corpus(w.ws, w.outside);
    assert.ok(attempts.length >= 20);
    const calls = attempts.map(([name, path]) => ({
      name,
      input: name === 'propose_edit' ? { path, old_string: SECRET, new_string: 'pwned' } : name === 'create_file' ? { path, content: 'pwned' } : { path },
    }));
    const results = await h.run(calls);
    assert.equal(results.length, attempts.length);
    results.forEach((r, i) => {
      assert.equal(r.isError, true, `${attempts[i][0]} ${JSON.stringify(attempts[i][1])} was not refused: ${r.content}`);
      assert.ok(!r.content.includes(SECRET), `secret leaked by ${JSON.stringify(attempts[i][1])}`);
      assert.ok(!r.content.includes('needle outside'));
    });
    assert.deepEqual(port.readsOutside(w.ws), [], 'the port was asked to read outside the workspace');
    assert.equal(h.approver.asked.length, 0, 'no escaping edit reached the approver');
    assert.deepEqual(port.applied, []);
    assert.deepEqual(readdirSync(w.outside).sort(), ['dir', 'secret.txt'], 'nothing was created outside');
    assert.ok(!existsSync(join(w.outside, 'nope.txt')), 'the dangling link was not written through');
  });

  it('the refusal says why, so the model can recover', async () => {
    const h = harness(NodePort.single(w.ws));
    const msg = async (path: string) => (await h.one('read_file', { path })).content;
    assert.match(await msg('../outside/secret.txt'), /"\.\." is not allowed/);
    assert.match(await msg('secret-link.txt'), /outside the workspace \(symbolic link\)|resolves .* outside the workspace/);
    assert.match(await msg('%2e%2e/x'), /percent-encoded/);
    assert.match(await msg('C:\\x'), /backslash/);
    assert.match(await msg('/etc/passwd'), /absolute path is outside the workspace/);
    assert.match(await msg('dangling'), /broken symbolic link/);
  });

  it('search and find never return or read files behind a symlink that points out', async () => {
    const port = NodePort.single(w.ws);
    const h = harness(port);
    const [find, search, search2] = await h.run([
      { name: 'find_files', input: { pattern: '**/*.txt' } },
      { name: 'search_text', input: { query: 'needle' } },
      { name: 'search_text', input: { query: 'TOP-SECRET' } },
    ]);
    assert.equal(find.isError, false);
    assert.ok(find.content.includes('a.txt'));
    assert.ok(!find.content.includes('link-out'), find.content);
    assert.ok(!find.content.includes('secret'), find.content);
    assert.ok(search.content.includes('src/main.ts:2:'), search.content);
    assert.ok(!search.content.includes('outside'), search.content);
    assert.match(search2.content, /^No matches/);
    // The test port walks through link-out (as VS Code's search follows symlinks): core must drop what it finds.
    assert.ok(port.calls.some((c) => c.op === 'realpath' && c.path.includes('link-out')), 'the port did report files behind the link');
    assert.deepEqual(port.readsOutside(w.ws), []);
  });

  it('a symlink that stays inside the workspace is fine', async () => {
    const h = harness(NodePort.single(w.ws));
    const r = await h.one('read_file', { path: 'inner-link.ts' });
    assert.equal(r.isError, false, r.content);
    assert.match(r.content, /export function main/);
  });

  it('accepts an absolute path inside the workspace and "./" prefixes', async () => {
    const h = harness(NodePort.single(w.ws));
    assert.match((await h.one('read_file', { path: `${w.ws}/a.txt` })).content, /hello/);
    assert.match((await h.one('read_file', { path: './src//main.ts' })).content, /main/);
  });

  it('multi-root: a folder-name prefix picks the folder, an ambiguous path is refused', async () => {
    const second = join(w.tmp, 'second');
    mkdirSync(second);
    writeFileSync(join(second, 'a.txt'), 'second a\n');
    writeFileSync(join(second, 'only.txt'), 'only here\n');
    const port = new NodePort([
      { name: 'ws', path: w.ws },
      { name: 'second', path: second },
    ]);
    const h = harness(port);
    const [amb, pref, unique, list, create] = await h.run([
      { name: 'read_file', input: { path: 'a.txt' } },
      { name: 'read_file', input: { path: 'second/a.txt' } },
      { name: 'read_file', input: { path: 'only.txt' } },
      { name: 'list_directory', input: {} },
      { name: 'create_file', input: { path: 'new.txt', content: 'x' } },
    ]);
    assert.equal(amb.isError, true);
    assert.match(amb.content, /several workspace folders \("ws", "second"\)/);
    assert.match(pref.content, /second a/);
    assert.match(unique.content, /^second\/only.txt/);
    assert.match(list.content, /ws\/\nsecond\//);
    assert.equal(create.isError, true);
    assert.match(create.content, /start the path of a new file with a folder name/);
  });

  it('parsePath refuses before touching the disk', () => {
    const folders = [{ name: 'ws', path: '/w/ws' }];
    for (const bad of ['', '..', 'a/../b', '~x', 'a\\b', '%41', 'C:x', '//x', 'file:/x', '/other', 'a/.../b', 'x\u0007']) {
      assert.throws(() => parsePath(bad, folders), ToolError, JSON.stringify(bad));
    }
    assert.throws(() => parsePath(42, folders), /must be a string/);
    assert.throws(() => parsePath('a', []), /No folder is open/);
    assert.deepEqual(parsePath('/w/ws/src/x.ts', folders), { kind: 'placed', at: { folder: folders[0], segments: ['src', 'x.ts'] } });
    assert.deepEqual(parsePath('./src/./x.ts', folders), { kind: 'placed', at: { folder: folders[0], segments: ['src', 'x.ts'] } });
    assert.throws(() => parsePath('/w/wsx/a', folders), /outside the workspace/, 'a sibling folder sharing the prefix is outside');
  });
});
