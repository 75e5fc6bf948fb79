// Markdown → sanitized DOM. One markdown-it instance (html: false, linkify: true) with rules that keep
// the output within what the sanitizer allows, and one DOMPurify instance per window with an allowlist.
// Nothing produced here touches a live document until DOMPurify has returned a fragment.
import MarkdownIt from 'markdown-it';
import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';
import { highlightCode } from './highlight';

/** markdown-it environment: references persist across blocks; `highlight` asks the fence rule to colour. */
export interface MdEnv {
  references?: Record<string, unknown>;
  highlight?: boolean;
}

/** Hrefs the DOM may keep. Everything else (relative, javascript:, data:, command:, file:, …) loses its href. */
export function isSafeHref(href: string): boolean {
  const h = href.trim();
  if (!/^(?:https?:\/\/|mailto:)/i.test(h)) return false;
  try {
    const u = new URL(h);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:';
  } catch {
    return false;
  }
}

// Characters browsers strip or ignore inside a scheme, so "java\tscript:" cannot sneak past the check.
const IGNORED_IN_SCHEME = /[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|%(?:0[0-9a-f]|1[0-9a-f]|20)/gi;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * markdown-it's link gate. A link with any scheme other than http(s)/mailto is not made a link at all,
 * so its source stays visible as text; scheme-less (relative) links become anchors the sanitizer
 * strips of their href.
 */
function validateLink(url: string): boolean {
  let s = url.replace(IGNORED_IN_SCHEME, '');
  try {
    s = decodeURIComponent(s).replace(IGNORED_IN_SCHEME, '');
  } catch {
    /* keep the raw form */
  }
  const m = SCHEME.exec(s);
  if (!m) return !/^[^/?#]*:/.test(s); // "&#x6a;avascript:" style leftovers with odd characters
  const scheme = m[1].toLowerCase();
  return scheme === 'http' || scheme === 'https' || scheme === 'mailto';
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

let shared: MarkdownIt | undefined;

/** The renderer's markdown-it instance (created once). */
export function markdown(): MarkdownIt {
  if (!shared) shared = createMarkdown();
  return shared;
}

function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
  md.validateLink = validateLink;

  // Tables: markdown-it writes style="text-align:…", which the CSP forbids; use classes instead.
  md.core.ruler.push('align_classes', (state) => {
    for (const t of state.tokens) {
      if ((t.type === 'th_open' || t.type === 'td_open') && t.attrs) {
        const style = t.attrGet('style');
        t.attrs = t.attrs.filter(([k]) => k !== 'style');
        const m = style && /text-align:(left|right|center)/.exec(style);
        if (m) t.attrJoin('class', `md-align-${m[1]}`);
      }
    }
  });

  // Code: our own markup, so the code-block enhancer can find it; highlight only when asked.
  const code = (content: string, lang: string, env: MdEnv): string => {
    const body = (env && env.highlight && highlightCode(content, lang)) || escapeHtml(content);
    const cls = lang ? ` class="hljs language-${escapeHtml(lang)}"` : ' class="hljs"';
    return `<pre class="md-pre"><code${cls} data-lang="${escapeHtml(lang)}">${body}</code></pre>\n`;
  };
  md.renderer.rules.fence = (tokens, idx, _o, env: MdEnv) => {
    const t = tokens[idx];
    const lang = md.utils.unescapeAll(t.info).trim().split(/\s+/)[0] || '';
    return code(t.content, lang, env);
  };
  md.renderer.rules.code_block = (tokens, idx, _o, env: MdEnv) => code(tokens[idx].content, '', env);

  // Images are never loaded: show the alt text, as a link (through the host) when the URL is http(s).
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const t = tokens[idx];
    const src = t.attrGet('src') || '';
    const alt = self.renderInlineAsText(t.children || [], options, env);
    const label = escapeHtml(alt || src || 'image');
    const icon = '<span class="codicon codicon-file-media" aria-hidden="true"></span>';
    const inner = `${icon}<span class="md-image-alt">${label}</span>`;
    const title = escapeHtml(`Image not loaded: ${src}`);
    return isSafeHref(src)
      ? `<a class="md-image" href="${escapeHtml(src)}" title="${title}">${inner}</a>`
      : `<span class="md-image" title="${title}">${inner}</span>`;
  };
  return md;
}

const ALLOWED_TAGS = [
  'a', 'blockquote', 'br', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li',
  'ol', 'p', 'pre', 's', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'data-lang', 'aria-hidden'];

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  // Attributes whose values are not URLs (the strict URI pattern above would reject "ts" or "3").
  ADD_URI_SAFE_ATTR: ['data-lang', 'aria-hidden', 'start'],
  FORBID_TAGS: ['script', 'style', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button',
    'textarea', 'select', 'svg', 'math', 'img', 'video', 'audio', 'source', 'link', 'meta', 'base', 'template'],
  FORBID_ATTR: ['style', 'srcdoc', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'id', 'name'],
  KEEP_CONTENT: true,
  WHOLE_DOCUMENT: false,
  RETURN_DOM_FRAGMENT: true,
};

type Purifier = DOMPurify;
const purifiers = new WeakMap<object, Purifier>();

function purifierFor(win: Window): Purifier {
  let p = purifiers.get(win);
  if (p) return p;
  p = (createDOMPurify as unknown as (w: Window) => DOMPurify)(win);
  p.setConfig(CONFIG);
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      const href = node.getAttribute('href');
      if (href !== null && !isSafeHref(href)) node.removeAttribute('href');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  purifiers.set(win, p);
  return p;
}

/** Sanitize markup into a fragment ready to insert into `doc`. The only door from HTML text to DOM. */
export function sanitizeToFragment(html: string, doc: Document): DocumentFragment {
  const win = doc.defaultView;
  if (!win) throw new Error('MessageRenderer needs a document with a window');
  const frag = purifierFor(win).sanitize(html) as unknown as DocumentFragment;
  return frag;
}

/** Parse + render markdown source to an HTML string (not yet sanitized). */
export function renderMarkdown(src: string, env: MdEnv, highlight: boolean): string {
  const md = markdown();
  const tokens = md.parse(src, env);
  return md.renderer.render(tokens, md.options, { ...env, highlight });
}
