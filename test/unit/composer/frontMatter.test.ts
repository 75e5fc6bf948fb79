// Front matter and argument expansion of prompt and command files, with malformed and hostile input.
import * as assert from 'node:assert/strict';
import { commandFromFile } from '../../../src/core/composer/commandFiles';
import { expandClaudeCommand, expandPromptFile, splitArgs } from '../../../src/core/composer/expand';
import { MAX_FRONT_MATTER_LINES, parseFrontMatter } from '../../../src/core/composer/frontMatter';

describe('composer: front matter', () => {
  it('reads flat keys, quoted values, block scalars and comments; the body follows the closing line', () => {
    const fm = parseFrontMatter('\ufeff---\r\nname: review\r\ndescription: "Review the \\"diff\\""\r\nmodel: claude-haiku-5-5 # cheap\r\nargument-hint: \'[focus]\'\r\nlong: >\r\n  one\r\n  two\r\n---\r\nBody $ARGUMENTS\n');
    assert.equal(fm.attrs.get('name'), 'review');
    assert.equal(fm.attrs.get('description'), 'Review the "diff"');
    assert.equal(fm.attrs.get('model'), 'claude-haiku-5-5');
    assert.equal(fm.attrs.get('argument-hint'), '[focus]');
    assert.equal(fm.attrs.get('long'), 'one two');
    assert.equal(fm.body, 'Body $ARGUMENTS\n');
    assert.equal(fm.warning, undefined);
  });

  it('a file without front matter is all body; the first of a duplicated key wins', () => {
    assert.deepEqual(parseFrontMatter('Just text\n---\nx: y\n---\n'), { attrs: new Map(), body: 'Just text\n---\nx: y\n---\n' });
    assert.equal(parseFrontMatter('---\nmodel: a\nmodel: b\n---\n').attrs.get('model'), 'a');
  });

  it('never expands YAML anchors, aliases or tags (a "billion laughs" file stays a few short strings)', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);
    lines.push('description: !!python/object:os.system "rm -rf /"', 'model: *i');
    const fm = parseFrontMatter(`---\n${lines.join('\n')}\n---\nbody`);
    assert.equal(fm.attrs.get('i'), '&i [*h,*h,*h,*h,*h]');
    assert.equal(fm.attrs.get('model'), '*i', 'an alias is text, not a reference');
    assert.ok([...fm.attrs.values()].every((v) => v.length < 100));
    const cmd = commandFromFile('prompt', '.github/prompts/bomb.prompt.md', `---\n${lines.join('\n')}\n---\nbody`)!;
    assert.equal(cmd.model, undefined, '"*i" is not a model id: ignored');
    assert.ok(cmd.ignored.includes('model'));
  });

  it('does not read a huge or unterminated front matter, and says why', () => {
    const huge = `---\n${'k: v\n'.repeat(MAX_FRONT_MATTER_LINES + 5)}---\nbody`;
    const h = parseFrontMatter(huge);
    assert.equal(h.attrs.size, 0);
    assert.match(h.warning!, /longer than/);
    assert.equal(h.body, huge, 'the whole file stays the body: nothing is lost');
    const longLine = parseFrontMatter(`---\ndescription: ${'x'.repeat(20_000)}\nmore: 1\n---\nb`);
    assert.equal(longLine.attrs.size, 0);
    const open = parseFrontMatter('---\ndescription: never closed\nbody text');
    assert.equal(open.attrs.size, 0);
    assert.match(open.warning!, /no closing/);
  });

  it('keys are data in a Map: __proto__ and constructor pollute nothing', () => {
    const fm = parseFrontMatter('---\n__proto__: polluted\nconstructor: x\n---\n');
    assert.equal(fm.attrs.get('__proto__'), undefined, 'not a key name (must start with a letter)');
    assert.equal(fm.attrs.get('constructor'), 'x');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('a command honours name, description, argument-hint and model, and lists the keys that would widen what it may do', () => {
    const cmd = commandFromFile('prompt', '.github/prompts/review.prompt.md', '---\ndescription: Review the changes\nmodel: claude-haiku-5-5\ntools: [run_in_terminal, edit]\nmode: agent\nallowed-tools: Bash(rm:*)\n---\nReview ${input:focus}.')!;
    assert.equal(cmd.name, 'review');
    assert.equal(cmd.description, 'Review the changes');
    assert.equal(cmd.model, 'claude-haiku-5-5');
    assert.deepEqual(cmd.ignored, ['tools', 'mode', 'allowed-tools']);
    assert.equal(commandFromFile('prompt', '.github/prompts/x.prompt.md', '---\nname: Bad Name!\n---\n')!.name, 'x', 'an unusable name falls back to the file name');
    assert.equal(commandFromFile('claude', '.claude/commands/9lives.md', 'x'), undefined, 'a name must start with a letter');
    assert.equal(commandFromFile('claude', '.claude/commands/frontend/test.md', 'x')!.name, 'test', 'sub-folders do not change the name');
    assert.equal(commandFromFile('prompt', '.github/prompts/m.prompt.md', '---\nmodel: "a b; rm -rf"\n---\n')!.model, undefined);
  });
});

describe('composer: $ARGUMENTS and prompt variables', () => {
  it('fills $ARGUMENTS and $1…$9, and appends arguments a body does not place', () => {
    assert.equal(expandClaudeCommand('Fix issue #$ARGUMENTS now', '123 quickly'), 'Fix issue #123 quickly now');
    assert.equal(expandClaudeCommand('Compare $1 with $2 ($3)', 'a.ts "b c.ts"'), 'Compare a.ts with b c.ts ()');
    assert.equal(expandClaudeCommand('Just do it.', 'carefully'), 'Just do it.\n\nARGUMENTS: carefully');
    assert.equal(expandClaudeCommand('Just do it.', ''), 'Just do it.');
    assert.deepEqual(splitArgs(` a "b c" 'd e' f`), ['a', 'b c', 'd e', 'f']);
  });

  it('replaces once: arguments that contain $ARGUMENTS or ${file} stay as typed, and "$&" is not a pattern', () => {
    assert.equal(expandClaudeCommand('<$ARGUMENTS|$ARGUMENTS>', '$ARGUMENTS $1 $&'), '<$ARGUMENTS $1 $&|$ARGUMENTS $1 $&>');
    assert.equal(expandPromptFile('Q: ${input:q}', '${file} ${selection}', { file: 'secret.ts', selection: 'S' }), 'Q: ${file} ${selection}');
  });

  it('leaves "!`cmd`" lines and @includes of a command as text (nothing is run)', () => {
    const body = 'Status:\n!`git status`\nSee @src/a.ts';
    assert.equal(expandClaudeCommand(body, ''), body);
  });

  it('fills VS Code prompt variables; the first ${input:…} takes the arguments, later ones their placeholder', () => {
    const vars = { selection: 'let x = 1;', file: 'src/app/main.ts', workspaceFolder: '/w/proj', workspaceFolderBasename: 'proj' };
    const body = 'In ${workspaceFolderBasename}, ${file} (${fileBasename}, ${fileDirname}, ${fileBasenameNoExtension}): ${selection}. Focus: ${input:focus:anything}; tone: ${input:tone:friendly}; ${unknown} ${env:HOME}';
    assert.equal(expandPromptFile(body, 'naming', vars), 'In proj, src/app/main.ts (main.ts, src/app, main): let x = 1;. Focus: naming; tone: friendly; ${unknown} ${env:HOME}');
    assert.equal(expandPromptFile('Review.', 'the tests', {}), 'Review.\n\nthe tests', 'arguments with no input variable are appended');
    assert.equal(expandPromptFile('Focus: ${input:focus:anything}', '', {}), 'Focus: anything');
  });
});
