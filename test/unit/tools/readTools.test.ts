import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harness, makeWorkspace, NodePort } from './nodePort';

describe('tools: read-only tools', () => {
  let w: ReturnType<typeof makeWorkspace>;
  let port: NodePort;
  let h: ReturnType<typeof harness>;
  beforeEach(() => {
    w = makeWorkspace();
    port = NodePort.single(w.ws);
    h = harness(port);
  });
  afterEach(() => w.cleanup());

  describe('read_file', () => {
    it('returns numbered lines with a header', async () => {
      const r = await h.one('read_file', { path: 'src/main.ts' });
      assert.equal(r.isError, false);
      assert.equal(r.content, 'src/main.ts (3 lines)\n     1\texport function main() {\n     2\t  return needle();\n     3\t}');
    });

    it('reads a line range, and says how to continue when a file is cut', async () => {
      writeFileSync(join(w.ws, 'long.txt'), Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`).join('\n'));
      const range = await h.one('read_file', { path: 'long.txt', start_line: 10, end_line: 12 });
      assert.equal(range.content, 'long.txt (5000 lines)\n    10\tline 10\n    11\tline 11\n    12\tline 12');
      const whole = await h.one('read_file', { path: 'long.txt' });
      assert.match(whole.content, /\[showing lines 1-2000 of 5000; call read_file with start_line=2001 to read more\]$/);
      h.settings.maxOutputBytes = 2000;
      const small = await h.one('read_file', { path: 'long.txt', start_line: 100 });
      assert.ok(Buffer.byteLength(small.content) <= 2000, `${Buffer.byteLength(small.content)} bytes`);
      const next = /start_line=(\d+)/.exec(small.content);
      assert.ok(next, small.content.slice(-200));
      assert.ok(small.content.includes(`\tline ${Number(next[1]) - 1}\n`), 'the note points right after the last line shown');
    });

    it('fails clearly: missing file, directory, binary, bad range, bad input', async () => {
      const rs = await h.run([
        { name: 'read_file', input: { path: 'nope.txt' } },
        { name: 'read_file', input: { path: 'src' } },
        { name: 'read_file', input: { path: 'bin.dat' } },
        { name: 'read_file', input: { path: 'a.txt', start_line: 9 } },
        { name: 'read_file', input: { path: 'a.txt', start_line: 2, end_line: 1 } },
        { name: 'read_file', input: { path: 'a.txt', start_line: 1.5 } },
        { name: 'read_file', input: {} },
        { name: 'read_file', input: { path: 'a.txt', extra: true } },
        { name: 'read_file', input: 'a.txt' },
      ]);
      const expected = [
        /"nope.txt" does not exist/,
        /is a directory; use list_directory/,
        /"bin.dat" is a binary file/,
        /"start_line" 9 is past the end of a.txt, which has 2 lines/,
        /must not be before "start_line"/,
        /"start_line" must be an integer/,
        /"path" must be a string/,
        /unknown parameter "extra"/,
        /must be a JSON object/,
      ];
      rs.forEach((r, i) => {
        assert.equal(r.isError, true, r.content);
        assert.match(r.content, expected[i]);
      });
    });

    it('an empty file is not an error', async () => {
      assert.deepEqual(await h.one('read_file', { path: 'empty.txt' }), { toolUseId: h.statuses[0].id, content: 'empty.txt is empty (0 lines).', isError: false });
    });
  });

  it('list_directory lists sorted entries with / for folders and @ for links', async () => {
    const r = await h.one('list_directory', {});
    assert.equal(r.isError, false);
    assert.equal(
      r.content,
      './ (12 entries)\n.git/\n.gitignore\na.txt\nbin.dat\nbuild/\ndangling@\nempty.txt\nignored.txt\ninner-link.ts@\nlink-out@\nsecret-link.txt@\nsrc/',
    );
    const src = await h.one('list_directory', { path: 'src' });
    assert.equal(src.content, 'src/ (2 entries)\nmain.ts\nutil.ts');
    assert.match((await h.one('list_directory', { path: 'a.txt' })).content, /not a directory/);
  });

  it('find_files matches globs and skips .gitignore and exclude settings', async () => {
    const ts = await h.one('find_files', { pattern: '**/*.ts' });
    assert.equal(ts.content, '3 files match "**/*.ts":\ninner-link.ts\nsrc/main.ts\nsrc/util.ts');
    const all = await h.one('find_files', { pattern: '**' });
    assert.ok(!all.content.includes('ignored.txt') && !all.content.includes('build/out.js'), all.content);
    port.excludes = ['src/util.*'];
    assert.equal((await h.one('find_files', { pattern: 'src/*' })).content, '1 file matches "src/*":\nsrc/main.ts');
    assert.match((await h.one('find_files', { pattern: '*.nothing' })).content, /^No files match/);
    const capped = await h.one('find_files', { pattern: '**/*', max_results: 2 });
    assert.match(capped.content, /more than 2 files match/);
    assert.match((await h.one('find_files', { pattern: '../**' })).content, /must not contain ".."/);
    assert.match((await h.one('find_files', { pattern: '/etc/*' })).content, /relative to the workspace root/);
  });

  describe('search_text', () => {
    it('finds literal text case-insensitively by default, skipping ignored files (ripgrep: symlinks not followed)', async () => {
      const r = await h.one('search_text', { query: 'needle' });
      assert.equal(r.isError, false);
      assert.equal(r.content, '2 matches for text "needle" in 2 files:\nsrc/main.ts:2: return needle();\nsrc/util.ts:3: // Needle in caps');
      const cs = await h.one('search_text', { query: 'Needle', case_sensitive: true });
      assert.match(cs.content, /^1 match for text "Needle" in 1 file:\nsrc\/util.ts:3:/);
    });

    it('the worker fallback gives the same answers, reading only files that are not ignored', async () => {
      port.rgPath = undefined;
      const r = await h.one('search_text', { query: 'needle' });
      assert.equal(r.isError, false);
      assert.equal(
        r.content,
        '3 matches for text "needle" in 3 files:\ninner-link.ts:2: return needle();\nsrc/main.ts:2: return needle();\nsrc/util.ts:3: // Needle in caps\n[1 file skipped: binary, unreadable or over 1 MB]',
      );
      const read = port.calls.filter((c) => c.op === 'readFile').map((c) => c.path);
      assert.ok(!read.some((p) => /ignored\.txt|build\//.test(p)), `ignored files were read: ${read.join(', ')}`);
      const cs = await h.one('search_text', { query: 'Needle', case_sensitive: true });
      assert.match(cs.content, /^1 match for text "Needle" in 1 file:\nsrc\/util.ts:3:/);
      const re = await h.one('search_text', { query: 'export (function|const) [xm]', is_regex: true, include: 'src/**' });
      assert.equal(re.content, '2 matches for regex "export (function|const) [xm]" in src/** in 2 files:\nsrc/main.ts:1: export function main() {\nsrc/util.ts:1: export const x = 1;');
      assert.match((await h.one('search_text', { query: '(unclosed', is_regex: true })).content, /^Invalid regular expression: /);
      const bin = await h.one('search_text', { query: 'needle', include: '*.dat' });
      assert.match(bin.content, /^No matches for text "needle" in \*\.dat in 0 files\.\n\[1 file skipped: binary/);
    });

    it('supports regexes, include globs and max_results', async () => {
      const re = await h.one('search_text', { query: 'export (function|const) [xm]', is_regex: true, include: 'src/**' });
      assert.equal(re.content, '2 matches for regex "export (function|const) [xm]" in src/** in 2 files:\nsrc/main.ts:1: export function main() {\nsrc/util.ts:1: export const x = 1;');
      const capped = await h.one('search_text', { query: 'e', max_results: 2 });
      assert.match(capped.content, /^2 matches .*\n.*\n.*\n\[stopped at 2 matches; narrow the query/);
    });

    it('refuses invalid regexes; a nested quantifier is simply searched (linear-time engine)', async () => {
      assert.match((await h.one('search_text', { query: '(unclosed', is_regex: true })).content, /Invalid regular expression/);
      const evil = await h.one('search_text', { query: '(a+)+$', is_regex: true });
      assert.equal(evil.isError, false, evil.content);
      assert.match(evil.content, /^No matches for regex "\(a\+\)\+\$" in \d+ files\.$/);
      assert.match((await h.one('search_text', { query: '' })).content, /must not be empty/);
    });

    it('does not match inside binary files', async () => {
      const r = await h.one('search_text', { query: 'needle', include: '*.dat' });
      assert.equal(r.content, 'No matches for text "needle" in *.dat in 1 file.');
    });
  });

  it('get_diagnostics reports workspace problems only, sorted, filtered by severity', async () => {
    port.diags = [
      { path: `${w.ws}/src/main.ts`, line: 2, column: 10, severity: 'error', message: "Cannot find name 'needle'.", source: 'ts', code: '2304' },
      { path: `${w.ws}/a.txt`, line: 1, column: 1, severity: 'warning', message: 'Unknown word', source: 'cSpell' },
      { path: `${w.ws}/src/main.ts`, line: 1, column: 1, severity: 'hint', message: 'hint' },
      { path: `${w.outside}/secret.txt`, line: 1, column: 1, severity: 'error', message: 'outside problem' },
    ];
    const all = await h.one('get_diagnostics', {});
    assert.equal(all.content, "1 error, 1 warning in the workspace:\na.txt:1:1 warning: Unknown word (cSpell)\nsrc/main.ts:2:10 error 2304: Cannot find name 'needle'. (ts)");
    const file = await h.one('get_diagnostics', { path: 'src/main.ts', severity: 'all' });
    assert.match(file.content, /^1 error, 1 hint in src\/main.ts:\nsrc\/main.ts:1:1 hint: hint\nsrc\/main.ts:2:10 error/);
    assert.match((await h.one('get_diagnostics', { path: 'a.txt', severity: 'error' })).content, /^No errors reported for a.txt/);
    assert.match((await h.one('get_diagnostics', { severity: 'fatal' })).content, /must be one of "error", "warning", "all"/);
  });

  it('get_open_editors_and_selection shows the selection but nothing of files outside the workspace', async () => {
    port.editors = [
      { path: `${w.outside}/secret.txt`, languageId: 'plaintext', active: false, dirty: false, selections: [{ startLine: 1, startColumn: 1, endLine: 1, endColumn: 5, text: 'TOP-' }] },
      { path: `${w.ws}/src/main.ts`, languageId: 'typescript', active: true, dirty: true, selections: [{ startLine: 2, startColumn: 3, endLine: 2, endColumn: 18, text: 'return needle()' }], visible: { startLine: 1, endLine: 3 } },
    ];
    const r = await h.one('get_open_editors_and_selection', {});
    assert.equal(
      r.content,
      'Active editor: src/main.ts (typescript, unsaved changes)\n  visible lines 1-3\n  selection 2:3-2:18:\n  ```\n  return needle()\n  ```\nEditor: a file outside the workspace (plaintext); its content is not shared.',
    );
    port.editors = [];
    assert.equal((await h.one('get_open_editors_and_selection', {})).content, 'No editors are open.');
    assert.match((await h.one('get_open_editors_and_selection', { x: 1 })).content, /takes no parameters/);
  });

  it('caps every result at maxOutputBytes with a note', async () => {
    writeFileSync(join(w.ws, 'many.txt'), Array.from({ length: 3000 }, (_, i) => `needle ${i} ${'x'.repeat(50)}`).join('\n'));
    h.settings.maxOutputBytes = 1500;
    const rs = await h.run([
      { name: 'read_file', input: { path: 'many.txt' } },
      { name: 'search_text', input: { query: 'needle', max_results: 500 } },
      { name: 'find_files', input: { pattern: '**' } },
    ]);
    for (const r of rs) {
      assert.equal(r.isError, false);
      assert.ok(Buffer.byteLength(r.content) <= 1500, `${Buffer.byteLength(r.content)} > 1500: ${r.content.slice(0, 60)}`);
    }
    assert.match(rs[1].content, /\[stopped at \d+ matches/);
  });
});
