// Loads highlight.js languages into the chat page on first use, each from its own file next to the bundle
// (dist/hljs/<name>.js, built by esbuild.js), and colours the code blocks that waited for it.
//
// The page's CSP allows scripts by nonce only. A language file is added as a <script> carrying the nonce of the
// script that loaded this bundle, with a URL built from that script's own URL (so from dist/, inside the webview's
// localResourceRoots): no eval, no other source, and the policy stays as strict as it was. The file calls the hook
// below with its name; only the names in languages.json are taken.
import type { LanguageFn } from 'highlight.js';
import { highlightCode, onLanguageLoaded, registerLanguage, setLanguageLoader } from './highlight';
import { sanitizeToFragment } from './markdown';

const HOOK = '__claudeChatHljs';

/** Starts loading languages on demand in `doc`; `bundle` is the <script> that loaded the page's bundle. */
export function installLanguageLoader(doc: Document, bundle: HTMLScriptElement | null): void {
  const win = doc.defaultView as (Window & { [HOOK]?: (name: string, fn: LanguageFn) => void }) | null;
  if (!win || !bundle?.src) return;
  win[HOOK] = (name, fn) => registerLanguage(name, fn);
  const requested = new Set<string>();
  setLanguageLoader((name) => {
    if (requested.has(name)) return;
    requested.add(name);
    const s = doc.createElement('script');
    s.nonce = bundle.nonce;
    s.src = new URL(`hljs/${encodeURIComponent(name)}.js`, bundle.src).href;
    s.async = true;
    s.onerror = () => requested.delete(name); // tried again by the next block that needs it
    doc.head.appendChild(s);
  });
  onLanguageLoaded((name) => colourPending(doc, name));
}

/** Colours the code blocks rendered plain while `name` was loading (see codeBlock.ts). */
export function colourPending(doc: Document, name: string): void {
  for (const code of Array.from(doc.querySelectorAll(`code[data-hl-pending="${name}"]`))) {
    code.removeAttribute('data-hl-pending');
    const html = highlightCode(code.textContent ?? '', name);
    if (html) code.replaceChildren(sanitizeToFragment(html, doc));
  }
}
