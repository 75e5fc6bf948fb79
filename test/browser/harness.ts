// Page-side harness for the XSS test: bundled with the real renderer by esbuild and loaded with a
// nonce under the webview CSP. Records anything that executes (__pwned), CSP violations and hook
// calls; streams text through MessageRenderer with the real animation-frame scheduling.
import { MessageRenderer } from '../../src/webview/chat/render';
import { rng } from '../support/rng';
import { registerAllLanguages } from '../support/hljsLanguages';

// Languages load on first use in the webview; here they are all present from the start.
registerAllLanguages();

interface Report {
  html: string;
  text: string;
  hrefs: string[];
  links: string[];
  actions: string[];
  problems: string[];
}

interface Win {
  __pwnLog: string[];
  __pwned(tag?: unknown): void;
  __csp: string[];
  __xss: {
    stream(text: string, seed: number): Promise<Report>;
    whole(text: string): Report;
    canaryHandler(): void;
    canaryImage(url: string): void;
  };
}
const w = window as unknown as Win;

w.__pwnLog = [];
w.__pwned = (tag?: unknown) => {
  w.__pwnLog.push(String(tag));
};
w.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});


const frame = () => new Promise<void>((res) => requestAnimationFrame(() => res()));

const ALLOWED_TAGS = new Set(['DIV', 'P', 'A', 'SPAN', 'CODE', 'PRE', 'EM', 'STRONG', 'S', 'DEL', 'BR', 'HR', 'UL', 'OL', 'LI',
  'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'BUTTON']);

/** Click every link and button (the hooks record what reaches the host), then audit the DOM. */
function report(container: HTMLElement, links: string[], actions: string[]): Report {
  for (const el of Array.from(container.querySelectorAll('a, button'))) {
    // dispatchEvent rather than click(): works for any element a broken sanitizer might let through.
    el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window }));
  }
  const problems: string[] = [];
  for (const el of Array.from(container.querySelectorAll('*'))) {
    if (!ALLOWED_TAGS.has(el.tagName)) problems.push(`tag <${el.tagName}>`);
    for (const a of Array.from(el.attributes)) {
      if (/^on/i.test(a.name) || ['style', 'src', 'srcdoc', 'srcset', 'action', 'formaction', 'xlink:href'].includes(a.name)) {
        problems.push(`attribute ${a.name} on <${el.tagName}>`);
      }
    }
    const href = el.getAttribute('href');
    if (href !== null && !/^(https?:\/\/|mailto:)/i.test(href)) problems.push(`href ${href}`);
    if (el.tagName === 'A' && href !== null && el.getAttribute('rel') !== 'noopener noreferrer') problems.push('rel missing');
  }
  return {
    html: container.innerHTML,
    text: container.textContent ?? '',
    hrefs: Array.from(container.querySelectorAll('a[href]')).map((a) => a.getAttribute('href') ?? ''),
    links,
    actions,
    problems,
  };
}

function mount(): { container: HTMLElement; r: MessageRenderer; links: string[]; actions: string[] } {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const links: string[] = [];
  const actions: string[] = [];
  const r = new MessageRenderer(container, { onLink: (h) => links.push(h), onCodeBlockAction: (a, c) => actions.push(`${a}:${c}`) });
  return { container, r, links, actions };
}

w.__xss = {
  /** Stream `text` in 3–7 character deltas; mixes real frames, explicit flushes and pure coalescing. */
  async stream(text: string, seed: number): Promise<Report> {
    const { container, r, links, actions } = mount();
    const next = rng(seed);
    for (let i = 0; i < text.length; ) {
      const n = 3 + Math.floor(next() * 5);
      r.append(text.slice(i, i + n));
      i += n;
      const p = next();
      if (p < 0.15) await frame();
      else if (p < 0.6) r.flush();
    }
    await frame();
    r.finish();
    await frame();
    return report(container, links, actions);
  },
  whole(text: string): Report {
    const { container, r, links, actions } = mount();
    r.setText(text);
    return report(container, links, actions);
  },
  /** Detector self-checks: deliberately unsafe DOM writes that the test expects to see caught. */
  canaryHandler(): void {
    const d = document.createElement('div');
    d.innerHTML = '<img src="data:," onerror="__pwned(\'CANARY\')">';
    document.body.appendChild(d);
  },
  canaryImage(url: string): void {
    const img = document.createElement('img');
    img.src = url;
    document.body.appendChild(img);
  },
};
