// Code-block chrome: language label and Copy / Insert / Apply buttons around each sanitized
// <pre class="md-pre">, built with DOM calls only. Clicks are handled by delegation (see renderer.ts);
// the code is read back from the DOM at click time, so the hooks get exactly what is shown.
import { pendingLanguage, resolveLanguage } from './highlight';

export type CodeBlockAction = 'copy' | 'insert' | 'apply';

const ACTIONS: ReadonlyArray<{ action: CodeBlockAction; icon: string; label: string; title: string }> = [
  { action: 'copy', icon: 'codicon-copy', label: 'Copy code', title: 'Copy' },
  { action: 'insert', icon: 'codicon-insert', label: 'Insert code at cursor', title: 'Insert at cursor' },
  { action: 'apply', icon: 'codicon-git-compare', label: 'Apply code to the editor (shows a diff first)', title: 'Apply (review diff)' },
];

const LABELS: Record<string, string> = {
  bash: 'bash', c: 'C', cpp: 'C++', csharp: 'C#', css: 'CSS', diff: 'diff', go: 'Go', java: 'Java',
  javascript: 'JavaScript', json: 'JSON', markdown: 'Markdown', plaintext: 'text', python: 'Python',
  rust: 'Rust', shell: 'shell', sql: 'SQL', typescript: 'TypeScript', xml: 'HTML/XML', yaml: 'YAML',
};

/** Human label for a fence language ("ts" → "TypeScript"); unknown languages are shown as written. */
export function languageLabel(lang: string): string {
  if (!lang) return 'text';
  const known = resolveLanguage(lang);
  return known ? LABELS[known] ?? known : lang.slice(0, 40);
}

/**
 * Wrap every `pre.md-pre` under `root` with a header (label + buttons). Buttons of a block that is
 * still streaming are disabled: its code is not final yet.
 */
export function decorateCodeBlocks(root: DocumentFragment | Element, doc: Document, streaming: boolean): void {
  const pres = root.querySelectorAll('pre.md-pre');
  for (const pre of Array.from(pres)) {
    const codeEl = pre.querySelector('code');
    const lang = codeEl?.getAttribute('data-lang') ?? '';
    // A closed block shown plain because its language is still loading: languages.ts colours it on arrival.
    const pending = !streaming && codeEl && !codeEl.firstElementChild ? pendingLanguage(codeEl.textContent ?? '', lang) : undefined;
    if (pending) codeEl!.setAttribute('data-hl-pending', pending);
    const wrapper = doc.createElement('div');
    wrapper.className = streaming ? 'md-codeblock md-streaming' : 'md-codeblock';
    const header = doc.createElement('div');
    header.className = 'md-codeblock-header';
    const label = doc.createElement('span');
    label.className = 'md-codeblock-lang';
    label.textContent = languageLabel(lang);
    const actions = doc.createElement('div');
    actions.className = 'md-codeblock-actions';
    actions.setAttribute('role', 'group');
    actions.setAttribute('aria-label', `${languageLabel(lang)} code actions`);
    for (const a of ACTIONS) {
      const b = doc.createElement('button');
      b.type = 'button';
      b.className = 'md-codeblock-action';
      b.dataset.action = a.action;
      b.setAttribute('aria-label', a.label);
      b.title = a.title;
      if (streaming) b.disabled = true;
      const icon = doc.createElement('span');
      icon.className = `codicon ${a.icon}`;
      icon.setAttribute('aria-hidden', 'true');
      b.appendChild(icon);
      actions.appendChild(b);
    }
    header.append(label, actions);
    pre.replaceWith(wrapper);
    wrapper.append(header, pre);
  }
}

/** The action button hit by a click, with its block's code and language; undefined for other clicks. */
export function codeBlockActionFor(target: Element, root: Element): { action: CodeBlockAction; code: string; lang: string; button: HTMLButtonElement } | undefined {
  const button = target.closest('button.md-codeblock-action') as HTMLButtonElement | null;
  if (!button || !root.contains(button) || button.disabled) return undefined;
  const action = button.dataset.action as CodeBlockAction | undefined;
  if (action !== 'copy' && action !== 'insert' && action !== 'apply') return undefined;
  const codeEl = button.closest('.md-codeblock')?.querySelector('pre.md-pre > code');
  if (!codeEl) return undefined;
  const code = (codeEl.textContent ?? '').replace(/\n$/, '');
  return { action, code, lang: codeEl.getAttribute('data-lang') ?? '', button };
}

/** Brief "done" feedback on a button (icon swap via classes; no inline styles). */
export function flashDone(button: HTMLButtonElement): void {
  const icon = button.querySelector('.codicon');
  if (!icon) return;
  const original = Array.from(icon.classList).find((c) => c.startsWith('codicon-'));
  if (!original || original === 'codicon-check') return;
  icon.classList.replace(original, 'codicon-check');
  const view = button.ownerDocument.defaultView;
  view?.setTimeout(() => icon.classList.replace('codicon-check', original), 1500);
}
