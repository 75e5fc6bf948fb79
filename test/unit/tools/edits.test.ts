import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minimalChange } from '../../../src/core/tools/editTools';
import { harness, makeWorkspace, NodePort } from './nodePort';

describe('tools: propose_edit and create_file', () => {
  let w: ReturnType<typeof makeWorkspace>;
  let port: NodePort;
  let h: ReturnType<typeof harness>;
  const read = (p: string) => readFileSync(join(w.ws, p), 'utf8');
  beforeEach(() => {
    w = makeWorkspace();
    port = NodePort.single(w.ws);
    h = harness(port);
  });
  afterEach(() => w.cleanup());

  it('an approved search/replace is shown to the approver, applied, and echoed back', async () => {
    h.approver.answers = ['approve'];
    const r = await h.one('propose_edit', { path: 'src/main.ts', old_string: 'return needle();', new_string: 'return haystack();' });
    assert.equal(r.isError, false, r.content);
    assert.equal(read('src/main.ts'), 'export function main() {\n  return haystack();\n}\n');
    const { edit, conversationId } = h.approver.asked[0];
    assert.equal(conversationId, 'conv-1');
    assert.equal(edit.id, r.toolUseId, 'the edit id is the tool_use id, so the chat card can approve it');
    assert.equal(edit.kind, 'modify');
    assert.equal(edit.path, 'src/main.ts');
    assert.equal(edit.summary, 'Edit src/main.ts: replace 1 line with 1 line');
    assert.deepEqual(edit.change, { start: 27, end: 43, text: 'return haystack();' });
    assert.match(r.content, /^Applied the edit to src\/main.ts with the user's approval\. The file now has 3 lines; lines 1-3 now read:\n {5}1\texport function main\(\) \{\n {5}2\t {2}return haystack\(\);/);
    assert.deepEqual(h.statuses.map((s) => s.status), ['pending-approval', 'running', 'done']);
  });

  it('a rejected edit changes nothing and says so', async () => {
    h.approver.answers = ['reject'];
    const before = read('a.txt');
    const r = await h.one('propose_edit', { path: 'a.txt', old_string: 'world', new_string: 'moon' });
    assert.equal(r.isError, true);
    assert.match(r.content, /The user rejected this change \(Edit a.txt: replace 1 line with 1 line\); the file was not changed/);
    assert.equal(read('a.txt'), before);
    assert.deepEqual(port.applied, []);
    assert.equal(h.statuses.at(-1)?.status, 'denied');
  });

  it('"always" is remembered for that conversation only', async () => {
    h.approver.answers = ['always'];
    await h.one('propose_edit', { path: 'a.txt', old_string: 'hello', new_string: 'hi' }, { conversationId: 'A' });
    const second = await h.one('propose_edit', { path: 'a.txt', old_string: 'world', new_string: 'moon' }, { conversationId: 'A' });
    assert.equal(second.isError, false, second.content);
    assert.equal(h.approver.asked.length, 1, 'the second edit in conversation A was not asked');
    assert.equal(read('a.txt'), 'hi\nmoon\n');
    const other = await h.one('propose_edit', { path: 'a.txt', old_string: 'moon', new_string: 'sun' }, { conversationId: 'B' });
    assert.equal(h.approver.asked.length, 2, 'conversation B asks again');
    assert.equal(other.isError, true, 'the scripted approver rejects when out of answers');
    assert.equal(read('a.txt'), 'hi\nmoon\n');
  });

  it('edits under .vscode ask even after "always"; edits inside .git are refused outright', async () => {
    mkdirSync(join(w.ws, '.vscode'));
    writeFileSync(join(w.ws, '.vscode', 'settings.json'), '{}\n');
    h.approver.answers = ['always', 'reject'];
    await h.one('propose_edit', { path: 'a.txt', old_string: 'hello', new_string: 'hi' });
    const vs = await h.one('propose_edit', { path: '.vscode/settings.json', content: '{"x": 1}\n' });
    assert.equal(h.approver.asked.length, 2);
    assert.equal(vs.isError, true);
    const git = await h.one('create_file', { path: '.git/hooks/pre-commit', content: 'rm -rf /' });
    assert.match(git.content, /inside a \.git folder/);
    assert.ok(!existsSync(join(w.ws, '.git', 'hooks')));
  });

  it('refuses an old_string that matches several times, or not at all, with a hint', async () => {
    const rs = await h.run([
      { name: 'propose_edit', input: { path: 'src/util.ts', old_string: ' = 1;', new_string: ' = 2;' } },
      { name: 'propose_edit', input: { path: 'src/util.ts', old_string: '     1\texport const x = 1;', new_string: 'x' } },
      { name: 'propose_edit', input: { path: 'src/util.ts', old_string: 'same', new_string: 'same' } },
      { name: 'propose_edit', input: { path: 'src/util.ts', old_string: '', new_string: 'x' } },
      { name: 'propose_edit', input: { path: 'src/util.ts', old_string: 'x', new_string: 'y', content: 'z' } },
      { name: 'propose_edit', input: { path: 'src/util.ts' } },
      { name: 'propose_edit', input: { path: 'bin.dat', content: 'x' } },
      { name: 'propose_edit', input: { path: 'missing.ts', content: 'x' } },
    ]);
    const expected = [
      /"old_string" occurs 2 times in src\/util.ts \(at lines 1, 2\)\. Include more surrounding lines/,
      /was not found in src\/util.ts.*line-number prefixes/,
      /identical; nothing to change/,
      /"old_string" must not be empty/,
      /either "content" .* not both/,
      /Give "old_string" and "new_string"/,
      /binary file/,
      /does not exist/,
    ];
    rs.forEach((r, i) => {
      assert.equal(r.isError, true);
      assert.match(r.content, expected[i]);
    });
    assert.equal(h.approver.asked.length, 0);
    assert.equal(read('src/util.ts'), 'export const x = 1;\nexport const y = 1;\n// Needle in caps\n');
  });

  it('matches LF old_string against a CRLF file and keeps CRLF', async () => {
    writeFileSync(join(w.ws, 'crlf.txt'), 'one\r\ntwo\r\nthree\r\n');
    h.approver.answers = ['approve'];
    const r = await h.one('propose_edit', { path: 'crlf.txt', old_string: 'one\ntwo', new_string: 'uno\ndos' });
    assert.equal(r.isError, false, r.content);
    assert.equal(read('crlf.txt'), 'uno\r\ndos\r\nthree\r\n');
  });

  it('whole-file replacement proposes the minimal change', async () => {
    h.approver.answers = ['approve'];
    const r = await h.one('propose_edit', { path: 'src/util.ts', content: 'export const x = 1;\nexport const y = 2;\n// Needle in caps\n' });
    assert.equal(r.isError, false, r.content);
    assert.deepEqual(h.approver.asked[0].edit.change, { start: 37, end: 38, text: '2' });
    assert.match(h.approver.asked[0].edit.summary, /^Rewrite src\/util.ts \(3 lines -> 3 lines\)$/);
    assert.equal(read('src/util.ts'), 'export const x = 1;\nexport const y = 2;\n// Needle in caps\n');
    assert.deepEqual(minimalChange('a😀b', 'a😁b'), { start: 1, end: 3, text: '😁' }, 'never splits a surrogate pair');
  });

  it('create_file creates a new file (and folders) after approval, and refuses existing files', async () => {
    h.approver.answers = ['approve'];
    const r = await h.one('create_file', { path: 'docs/new/readme.md', content: '# Hi\n' });
    assert.equal(r.isError, false, r.content);
    assert.equal(r.content, "Created docs/new/readme.md (1 line) with the user's approval.");
    assert.equal(read('docs/new/readme.md'), '# Hi\n');
    assert.equal(h.approver.asked[0].edit.kind, 'create');
    assert.equal(h.approver.asked[0].edit.before, undefined);
    const again = await h.one('create_file', { path: 'a.txt', content: 'x' });
    assert.match(again.content, /a.txt already exists\. Use propose_edit/);
    assert.match((await h.one('create_file', { path: 'x.txt' })).content, /Missing required parameter "content"/);
  });

  it('reports a change that cannot be applied (file changed meanwhile) as an error', async () => {
    h.approver.answers = ['approve'];
    port.failApply = new Error('a.txt changed after the edit was proposed');
    const r = await h.one('propose_edit', { path: 'a.txt', old_string: 'hello', new_string: 'hi' });
    assert.equal(r.isError, true);
    assert.match(r.content, /approved but could not be applied: a.txt changed after the edit was proposed\. Read the file again/);
    assert.equal(h.statuses.at(-1)?.status, 'error');
  });

  it('an approver that throws yields an is_error, not a rejected run()', async () => {
    h.approver.approve = async () => {
      throw new Error('no UI');
    };
    const r = await h.one('propose_edit', { path: 'a.txt', old_string: 'hello', new_string: 'hi' });
    assert.equal(r.isError, true);
    assert.match(r.content, /Could not ask the user to approve the edit: no UI/);
    assert.equal(read('a.txt'), 'hello\nworld\n');
  });
});
