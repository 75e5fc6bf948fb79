// Clicks inside a rendered message, by delegation on its root: links never navigate the webview (the host decides,
// and asks for anything unusual), and the code-block buttons report their block's code.
import { codeBlockActionFor, flashDone, type CodeBlockAction } from './codeBlock';
import { isSafeHref } from './markdown';

export interface ClickHooks {
  onCodeBlockAction?(action: CodeBlockAction, code: string, lang: string): void;
  onLink?(href: string): void;
}

/** Handles a click or auxclick under `root`; `live()` is false once the renderer was disposed (links stay inert). */
export function handleClick(e: Event, root: HTMLElement, hooks: ClickHooks, live: () => boolean): void {
  const target = e.target as Element | null;
  if (!target || typeof target.closest !== 'function') return;
  const anchor = target.closest('a');
  if (anchor && root.contains(anchor)) {
    e.preventDefault();
    const href = anchor.getAttribute('href');
    if (live() && e.type === 'click' && href && isSafeHref(href)) hooks.onLink?.(href);
    return;
  }
  if (!live() || e.type !== 'click') return;
  const hit = codeBlockActionFor(target, root);
  if (!hit) return;
  e.preventDefault();
  if (hooks.onCodeBlockAction) hooks.onCodeBlockAction(hit.action, hit.code, hit.lang);
  else if (hit.action === 'copy') void root.ownerDocument.defaultView?.navigator.clipboard?.writeText(hit.code);
  else return;
  if (hit.action === 'copy') flashDone(hit.button);
}
