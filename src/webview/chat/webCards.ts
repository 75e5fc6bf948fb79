// Web search / web fetch in the chat: a card per server tool call (what was searched or fetched, then the sources it
// found) and the citations after a cited part of the reply. Titles, URLs and quotes come from the model and the web:
// untrusted. The markup is built from escaped text and goes through the same sanitizer as replies (DOMPurify, links
// http(s) only); a click never navigates the webview, it asks the host to open the link (openLink, checked there).
import type { WebCitationView, SourceView } from '../../shared/protocol';
import { escapeHtml, isSafeHref, sanitizeToFragment } from './render/markdown';

const WEB_LINK = /^https?:\/\//i;
const ERRORS: Record<string, string> = {
  max_uses_exceeded: 'the per-message limit of uses was reached (claudeChat.web.maxUses)',
  too_many_requests: 'rate limited',
  invalid_tool_input: 'invalid input',
  query_too_long: 'the query was too long',
  request_too_large: 'the request was too large',
  unavailable: 'the service was unavailable',
  url_too_long: 'the URL was too long',
  url_not_allowed: 'the URL is not allowed by the domain settings',
  url_not_in_prior_context: 'the URL did not appear earlier in the conversation',
  url_not_accessible: 'the page could not be reached',
  unsupported_content_type: 'the page type is not supported (text, HTML and PDF only)',
  content_too_large: 'the page was too large',
};

function host(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** A link when the URL is http(s), else the text alone. */
function linkHtml(url: string, text: string, cls: string, title = url): string {
  const t = escapeHtml(text);
  return WEB_LINK.test(url) && isSafeHref(url) ? `<a class="${cls}" href="${escapeHtml(url)}" title="${escapeHtml(title)}">${t}</a>` : `<span class="${cls}" title="${escapeHtml(title)}">${t}</span>`;
}

function intercept(root: HTMLElement, onLink: (href: string) => void): void {
  const handler = (e: Event) => {
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || !root.contains(a)) return;
    e.preventDefault();
    const href = a.getAttribute('href');
    if (e.type === 'click' && href && WEB_LINK.test(href) && isSafeHref(href)) onLink(href);
  };
  root.addEventListener('click', handler);
  root.addEventListener('auxclick', handler);
}

/** A server tool call and, once it lands, its result. */
export class WebCard {
  readonly root: HTMLElement;
  private readonly head: HTMLElement;
  private readonly body: HTMLElement;
  private input = '';

  constructor(private readonly name: string, toolId: string, private readonly onLink: (href: string) => void) {
    const doc = document;
    this.root = doc.createElement('div');
    this.root.className = 'web-card';
    this.root.dataset.toolId = toolId;
    this.root.setAttribute('role', 'group');
    this.root.setAttribute('aria-label', name === 'web_fetch' ? 'Web fetch' : 'Web search');
    this.head = doc.createElement('div');
    this.head.className = 'web-head';
    this.body = doc.createElement('div');
    this.body.className = 'web-body';
    this.root.append(this.head, this.body);
    this.paintHead('…');
    intercept(this.root, onLink);
  }

  appendInput(delta: string): void {
    this.input += delta;
  }

  finishInput(): void {
    let what = '';
    try {
      const v = JSON.parse(this.input || '{}') as { query?: unknown; url?: unknown };
      what = typeof v.query === 'string' ? v.query : typeof v.url === 'string' ? v.url : '';
    } catch {
      /* keep it empty */
    }
    this.paintHead(what);
  }

  private paintHead(what: string): void {
    const verb = this.name === 'web_fetch' ? 'Fetched' : 'Searched the web for';
    const icon = `<span class="codicon codicon-${this.name === 'web_fetch' ? 'link-external' : 'globe'}" aria-hidden="true"></span>`;
    const subject = this.name === 'web_fetch' && WEB_LINK.test(what) ? linkHtml(what, what, 'web-subject') : `<span class="web-subject">${escapeHtml(what ? `“${what}”` : '…')}</span>`;
    this.head.replaceChildren(sanitizeToFragment(`${icon}<span class="web-verb">${verb}</span> ${subject}`, document));
  }

  /** The result: its sources as links, or why it failed. */
  setResult(sources: readonly SourceView[] | undefined, errorCode: string | undefined): void {
    this.root.dataset.state = errorCode ? 'error' : 'done';
    if (errorCode) {
      this.body.replaceChildren(sanitizeToFragment(`<div class="web-error">Failed: ${escapeHtml(ERRORS[errorCode] ?? errorCode)}.</div>`, document));
      return;
    }
    if (!sources || sources.length === 0) {
      this.body.replaceChildren(sanitizeToFragment('<div class="web-empty">No results.</div>', document));
      return;
    }
    const items = sources.map((s) => {
      const age = s.pageAge ? ` <span class="web-age">${escapeHtml(s.pageAge)}</span>` : '';
      return `<li>${linkHtml(s.url, s.title || s.url, 'web-source')} <span class="web-host">${escapeHtml(host(s.url))}</span>${age}</li>`;
    });
    this.body.replaceChildren(sanitizeToFragment(`<ol class="web-sources">${items.join('')}</ol>`, document));
  }
}

/** Numbers the sources cited in one turn, the same number for the same URL. */
export class CitationNumbers {
  private readonly byUrl = new Map<string, number>();

  number(url: string): number {
    let n = this.byUrl.get(url);
    if (n === undefined) {
      n = this.byUrl.size + 1;
      this.byUrl.set(url, n);
    }
    return n;
  }
}

/** The citations of one text block: numbered links to their sources, after the text they support. */
export function citationsElement(citations: readonly WebCitationView[], numbers: CitationNumbers, onLink: (href: string) => void): HTMLElement {
  const root = document.createElement('div');
  root.className = 'web-citations';
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const c of citations) {
    if (seen.has(c.url)) continue;
    seen.add(c.url);
    const n = numbers.number(c.url);
    const label = `[${n}] ${c.title || host(c.url) || c.url}`;
    parts.push(linkHtml(c.url, label, 'citation-link', c.citedText ? `“${c.citedText}” (${c.url})` : c.url));
  }
  root.append(sanitizeToFragment(`<span class="web-citations-label">Sources:</span> ${parts.join(' ')}`, document));
  intercept(root, onLink);
  return root;
}
