// The composer's completion list, mention pills and sent user messages in jsdom: keyboard only, ARIA roles, and
// repository text (file names) that looks like HTML staying text. The chat code builds elements with the page's
// `document`, so this file lends jsdom's globals for its own tests and takes them back after.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { CompletionItem, TurnView } from '../../../src/shared/protocol';

describe('webview composer: completion, pills, user messages', () => {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved: Record<string, unknown> = {};
  let dom: JSDOM;
  let doc: Document;
  let mod: {
    completion: typeof import('../../../src/webview/chat/completion');
    pills: typeof import('../../../src/webview/chat/mentionPills');
    user: typeof import('../../../src/webview/chat/userMessage');
    composer: typeof import('../../../src/webview/chat/composer');
    chips: typeof import('../../../src/webview/chat/instructionChips');
  };

  before(async () => {
    dom = new JSDOM('<!doctype html><html><body></body></html>');
    doc = dom.window.document;
    dom.window.HTMLElement.prototype.scrollIntoView = () => {};
    for (const k of ['document', 'Event', 'NodeFilter', 'KeyboardEvent']) {
      saved[k] = g[k];
      g[k] = k === 'document' ? doc : (dom.window as unknown as Record<string, unknown>)[k];
    }
    mod = {
      completion: await import('../../../src/webview/chat/completion'),
      pills: await import('../../../src/webview/chat/mentionPills'),
      user: await import('../../../src/webview/chat/userMessage'),
      composer: await import('../../../src/webview/chat/composer'),
      chips: await import('../../../src/webview/chat/instructionChips'),
    };
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete g[k];
      else g[k] = v;
    }
  });

  function field(text = '') {
    const box = doc.createElement('div');
    const input = doc.createElement('textarea');
    box.append(input);
    doc.body.append(box);
    input.value = text;
    input.focus();
    input.setSelectionRange(text.length, text.length);
    return { box, input };
  }
  const key = (target: HTMLElement, k: string, init: KeyboardEventInit = {}) => {
    const e = new dom.window.KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init });
    target.dispatchEvent(e);
    return e;
  };
  const type = (input: HTMLTextAreaElement, text: string) => {
    input.value += text;
    input.setSelectionRange(input.value.length, input.value.length);
    input.dispatchEvent(new dom.window.Event('input', { bubbles: true }));
  };

  it('finds the @ or / token at the caret, and only / as the first word', () => {
    const { tokenAt } = mod.completion;
    assert.deepEqual(tokenAt('see @fi', 7), { trigger: '@', start: 4, end: 7, query: 'fi' });
    assert.deepEqual(tokenAt('(@file:src/a and more', 12), { trigger: '@', start: 1, end: 12, query: 'file:src/a' });
    assert.deepEqual(tokenAt('  /rev', 6), { trigger: '/', start: 2, end: 6, query: 'rev' });
    assert.deepEqual(tokenAt('@git more', 2), { trigger: '@', start: 0, end: 4, query: 'g' }, 'the caret inside a word: the word is replaced');
    for (const [text, caret] of [['mail a@b', 8], ['x /explain', 10], ['@git ', 5], ['', 0]] as const) assert.equal(tokenAt(text, caret), undefined, text);
  });

  it('is driven by the keyboard alone, as a combobox with a listbox, and Enter takes an item instead of sending', () => {
    const { box, input } = field();
    const asked: [number, string, string][] = [];
    const c = new mod.completion.Completion(input, box, { request: (id, t, q) => asked.push([id, t, q]) });
    let sent = 0;
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.defaultPrevented) sent++;
    });
    let stopped = 0;
    doc.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') stopped++;
    });
    assert.equal(input.getAttribute('role'), 'combobox');
    assert.equal(input.getAttribute('aria-controls'), c.list.id);
    assert.equal(c.list.getAttribute('role'), 'listbox');
    type(input, 'Explain @not');
    assert.deepEqual(asked.at(-1), [asked.length, '@', 'not']);
    const items: CompletionItem[] = [
      { kind: 'file', label: 'notes.txt', insert: '@file:notes.txt ' },
      { kind: 'file', label: '<img src=x onerror="window.pwned=1">.md', detail: 'docs/<b>bold</b>', insert: '@file:"docs/<img src=x>.md" ' },
    ];
    c.show(asked.at(-1)![0] - 1, items);
    assert.equal(c.isOpen, false, 'an answer to an older request is dropped');
    c.show(asked.at(-1)![0], items);
    assert.equal(c.isOpen, true);
    assert.equal(input.getAttribute('aria-expanded'), 'true');
    const opts = c.list.querySelectorAll('[role="option"]');
    assert.equal(opts.length, 2);
    assert.equal(input.getAttribute('aria-activedescendant'), opts[0].id);
    assert.equal(opts[0].getAttribute('aria-selected'), 'true');
    assert.equal(c.list.querySelector('img, b'), null, 'labels from the repository are text, never HTML');
    assert.equal(opts[1].textContent, '<img src=x onerror="window.pwned=1">.mddocs/<b>bold</b>');
    key(input, 'ArrowDown');
    assert.equal(input.getAttribute('aria-activedescendant'), opts[1].id);
    key(input, 'ArrowDown');
    assert.equal(input.getAttribute('aria-activedescendant'), opts[0].id, 'wraps around');
    key(input, 'ArrowUp');
    key(input, 'ArrowUp');
    const enter = key(input, 'Enter');
    assert.equal(enter.defaultPrevented, true);
    assert.equal(sent, 0, 'Enter took the item and did not send');
    assert.equal(input.value, 'Explain @file:notes.txt ');
    assert.equal(c.isOpen, false);
    assert.equal(input.getAttribute('aria-expanded'), 'false');
    // Escape closes the list and nothing else hears it (it would stop a streaming reply).
    type(input, '@');
    c.show(asked.at(-1)![0], items);
    key(input, 'Escape');
    assert.equal(c.isOpen, false);
    assert.equal(stopped, 0, 'Escape stayed with the list');
    type(input, 'x');
    c.show(asked.at(-1)![0], items);
    assert.equal(c.isOpen, false, 'a dismissed token stays closed while it is typed on');
    key(input, ' ', { ctrlKey: true });
    c.show(asked.at(-1)![0], items);
    assert.equal(c.isOpen, true, 'Ctrl+Space opens it again');
    key(input, 'Tab');
    assert.equal(input.value, 'Explain @file:notes.txt @file:notes.txt ', 'Tab takes an item too');
    key(input, 'Escape');
    assert.equal(stopped, 1, 'with the list closed, Escape goes on to the page');
  });

  it('a kind prefix keeps the list going; a click takes an item without moving the focus', () => {
    const { box, input } = field();
    const asked: [number, string, string][] = [];
    const c = new mod.completion.Completion(input, box, { request: (id, t, q) => asked.push([id, t, q]) });
    type(input, '@fi');
    c.show(asked.at(-1)![0], [{ kind: 'prefix', label: '@file:', insert: '@file:', again: true }]);
    key(input, 'Enter');
    assert.equal(input.value, '@file:');
    assert.deepEqual(asked.at(-1)!.slice(1), ['@', 'file:'], 'asks again for the files');
    c.show(asked.at(-1)![0], [{ kind: 'file', label: 'a.ts', insert: '@file:a.ts ' }]);
    const down = new dom.window.MouseEvent('mousedown', { bubbles: true, cancelable: true });
    c.list.querySelector('[role="option"]')!.dispatchEvent(down);
    assert.equal(down.defaultPrevented, true);
    (c.list.querySelector('[role="option"]') as HTMLElement).click();
    assert.equal(input.value, '@file:a.ts ');
  });

  it('draws mentions as pills behind the text, and Backspace or Delete removes a mention whole', () => {
    const { box, input } = field('Compare @file:a.ts and @git');
    const p = new mod.pills.MentionPills(input, box);
    const marks = () => [...box.querySelectorAll('.mention-backdrop mark.pill')].map((m) => m.textContent);
    assert.deepEqual(marks(), ['@file:a.ts', '@git']);
    assert.equal(box.querySelector('.mention-backdrop')!.getAttribute('aria-hidden'), 'true');
    input.setSelectionRange(input.value.length, input.value.length);
    const bs = key(input, 'Backspace');
    assert.equal(bs.defaultPrevented, true);
    assert.equal(input.value, 'Compare @file:a.ts and ');
    input.setSelectionRange(8, 8);
    key(input, 'Delete');
    assert.equal(input.value, 'Compare  and ');
    assert.deepEqual(marks(), []);
    input.value = 'x @file:a.ts';
    input.setSelectionRange(10, 10);
    assert.equal(key(input, 'Backspace').defaultPrevented, false, 'inside a mention, Backspace edits it');
    input.value = '@file:"<img src=x onerror=alert(1)>.ts"';
    p.paint();
    assert.equal(box.querySelector('.mention-backdrop img'), null);
    assert.deepEqual(marks(), ['@file:"<img src=x onerror=alert(1)>.ts"']);
  });

  it('renders a sent message as markdown with pills: fences become code, mention text stays text', () => {
    const hooks = { onRevealRef: () => {}, render: {} };
    const view: TurnView = {
      id: 't1', status: 'complete', model: 'm', blocks: [],
      userText: 'Why does **this** fail?\nSee @file:"src/<img src=x onerror=alert(1)>.ts" and\n```js\nconst a = "@git";\n```',
    };
    const el = mod.user.renderUserMessage(view, hooks);
    const text = el.querySelector('.user-text')!;
    assert.equal(text.querySelector('strong')?.textContent, 'this');
    assert.equal(text.querySelector('pre code')?.textContent, 'const a = "@git";\n', 'a fence is a code block, not raw backticks');
    assert.ok(!text.textContent!.includes('```'));
    const pills = [...text.querySelectorAll('.mention-pill')];
    assert.equal(pills.length, 1, 'no pill inside code');
    assert.equal(pills[0].getAttribute('data-kind'), 'file');
    assert.equal(pills[0].textContent, 'src/<img src=x onerror=alert(1)>.ts');
    assert.equal(text.querySelector('img'), null);
    assert.ok(text.querySelector('br'), 'a typed line break stays one');
  });

  it('shows a command as a card: the command, its arguments with pills, the file range, the prompt folded away', () => {
    const revealed: string[] = [];
    const view: TurnView = {
      id: 't2', status: 'complete', model: 'm', blocks: [],
      userText: 'Explain lines 2–3 of src/a.ts:\n```ts\nlet x = 1;\n```',
      ref: { label: 'src/a.ts', uri: 'file:///w/src/a.ts', startLine: 1, endLine: 2 },
      command: { name: 'explain', args: 'focus on @symbol:x', model: 'claude-haiku-5-5' },
    };
    const el = mod.user.renderUserMessage(view, { onRevealRef: (id) => revealed.push(id), render: {} });
    const card = el.querySelector('.command-card')!;
    assert.equal(card.querySelector('.command-name')!.textContent, '/explain');
    assert.equal(card.querySelector('.command-args .mention-pill')!.textContent, 'x');
    assert.match(card.querySelector('.command-model')!.textContent!, /claude-haiku-5-5/);
    (card.querySelector('.ref-chip') as HTMLElement).click();
    assert.deepEqual(revealed, ['t2']);
    const details = card.querySelector('details.command-prompt')!;
    assert.equal(details.hasAttribute('open'), false, 'the prompt is folded away');
    assert.equal(details.querySelector('pre code')!.textContent, 'let x = 1;\n');
  });

  it('shows the instruction files in use as chips, and the Restricted Mode notice instead of them', () => {
    const c = new mod.chips.InstructionChips();
    c.update({ commands: [], instructions: [{ label: 'pkg/<img src=x>/AGENTS.md', tokens: 1200, truncated: true }, { label: 'CLAUDE.md', tokens: 3 }] });
    assert.equal(c.root.hidden, false);
    assert.equal(c.root.getAttribute('aria-label'), 'Instruction files in use');
    assert.deepEqual([...c.root.querySelectorAll('.instruction-chip')].map((x) => x.textContent), ['AGENTS.md', 'CLAUDE.md']);
    assert.match(c.root.querySelector('.instruction-chip')!.getAttribute('title')!, /^pkg\/<img src=x>\/AGENTS\.md: about 1,200 tokens.*cut to the size limit/);
    assert.equal(c.root.querySelector('img'), null);
    c.update({ commands: [], instructions: [], note: 'Restricted Mode: ignored.' });
    assert.equal(c.root.querySelector('.instruction-chip'), null);
    assert.equal(c.root.querySelector('.instruction-note')!.textContent, 'Restricted Mode: ignored.');
    c.update({ commands: [], instructions: [] });
    assert.equal(c.root.hidden, true);
  });

  it('refuses an unknown command in place, keeps the text, and clears the error when typing', () => {
    const sent: string[] = [];
    const c = new mod.composer.Composer({
      send: (t) => sent.push(t), stop() {}, newChat() {}, draftChanged() {}, setModel() {}, busy: () => false,
      validate: (t) => (t.startsWith('/nope') ? 'Unknown command /nope.' : undefined),
    }, '');
    doc.body.append(c.root);
    c.update({ model: 'm', enabled: true });
    c.fill('/nope now');
    key(c.textarea, 'Enter');
    assert.deepEqual(sent, []);
    assert.equal(c.draft, '/nope now');
    const err = c.root.querySelector('#composer-error') as HTMLElement;
    assert.equal(err.hidden, false);
    assert.equal(err.getAttribute('role'), 'alert');
    assert.equal(c.textarea.getAttribute('aria-describedby'), 'composer-error');
    type(c.textarea, 'x');
    assert.equal(err.hidden, true);
    c.fill('');
    c.showError('Set your key first.', '/explain', 'setApiKey');
    assert.equal(c.draft, '/explain', 'a message the host did not send comes back');
    assert.ok(err.querySelector('button'));
  });
  it('Enter sends first: the field is empty at once, a second Enter sends nothing, and the draft listeners hear of it after', async () => {
    const log: string[] = [];
    const c = new mod.composer.Composer({
      send: (t) => log.push(`send ${t}`), stop() {}, newChat() {}, draftChanged: () => log.push(`draft "${c.draft}"`), setModel() {}, busy: () => false,
    }, '');
    doc.body.append(c.root);
    c.update({ model: 'm', enabled: true });
    c.fill('hello');
    log.length = 0;
    key(c.textarea, 'Enter');
    key(c.textarea, 'Enter');
    assert.equal(c.draft, '');
    assert.deepEqual(log, ['send hello'], 'only the message, once, in the keydown');
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(log, ['send hello', 'draft ""'], 'then the emptied draft');
    c.root.remove();
  });
});
