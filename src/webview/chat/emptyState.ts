// What the view shows before there is anything to show: how to start.
import { button, el, icon } from '../common/dom';

/** How to bring in context and run commands: each fills the input with its trigger, which opens the list. */
const TRIGGERS: { text: string; icon: string; label: string }[] = [
  { text: '@', icon: 'mention', label: 'Type @ to mention a file, folder or symbol, the selection, problems, terminal output or git changes' },
  { text: '/', icon: 'terminal-cmd', label: 'Type / for commands: /explain, /fix, /tests, /refactor, /clear, /model, /cost and your own prompt files' },
];

const EXAMPLES = [
  'Explain the difference between a Promise and an async iterator in TypeScript.',
  'Write a bash one-liner that finds the 10 largest files under the current folder.',
  'Review this approach: caching API responses in a Map keyed by URL.',
];

export class EmptyState {
  readonly root = el('div', { class: 'empty' });
  private readonly noKey: HTMLElement;
  private readonly examples: HTMLElement;

  constructor(hooks: { setApiKey(): void; usePrompt(text: string): void }) {
    const setKey = button('Set API Key', 'key', { class: 'primary', id: 'set-key' }, 'Set API Key');
    setKey.addEventListener('click', () => hooks.setApiKey());
    this.noKey = el('div', { class: 'onboarding' },
      el('div', { class: 'logo' }, icon('sparkle')),
      el('h2', {}, 'Chat with Claude using your API key'),
      el('p', {}, 'Add your Anthropic API key to start. It is checked once, then kept in VS Code\'s secret storage: never in settings, logs or this view.'),
      setKey,
      el('p', { class: 'hint' }, 'You can also set the ANTHROPIC_API_KEY environment variable.'));
    const list = el('div', { class: 'examples', role: 'list' });
    for (const text of EXAMPLES) {
      const b = el('button', { type: 'button', class: 'example', role: 'listitem' }, icon('comment'), el('span', {}, text));
      b.addEventListener('click', () => hooks.usePrompt(text));
      list.append(b);
    }
    const triggers = el('div', { class: 'examples triggers', role: 'list' });
    for (const t of TRIGGERS) {
      const b = el('button', { type: 'button', class: 'example trigger', role: 'listitem', 'data-trigger': t.text }, icon(t.icon), el('span', {}, t.label));
      b.addEventListener('click', () => hooks.usePrompt(t.text));
      triggers.append(b);
    }
    this.examples = el('div', { class: 'start' }, el('h2', {}, 'Ask Claude anything'),
      el('p', { class: 'hint' }, 'Enter sends, Shift+Enter adds a line, Escape stops a reply. Try one of these:'), list,
      el('p', { class: 'hint' }, 'Bring in context and run commands:'), triggers);
    this.root.append(this.noKey, this.examples);
  }

  update(hasKey: boolean, hasTurns: boolean): void {
    this.noKey.hidden = hasKey;
    this.examples.hidden = !hasKey || hasTurns;
    this.root.hidden = hasKey && hasTurns;
  }
}
