// A jsdom window per test file; nothing is put on the Node global object.
import { JSDOM } from 'jsdom';
import { rng } from '../../support/rng';
import { MessageRenderer, type RenderHooks } from '../../../src/webview/chat/render';
import { registerAllLanguages } from '../../support/hljsLanguages';

// Languages load on first use in the webview; here they are all present from the start.
registerAllLanguages();

export interface Dom {
  window: Window & typeof globalThis;
  document: Document;
}

export function makeDom(opts: { raf?: boolean } = {}): Dom {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: opts.raf ?? false });
  const window = dom.window as unknown as Window & typeof globalThis;
  return { window, document: window.document };
}

export function mount(dom: Dom, hooks?: RenderHooks): { container: HTMLElement; r: MessageRenderer } {
  const container = dom.document.createElement('div');
  dom.document.body.appendChild(container);
  return { container, r: new MessageRenderer(container, hooks) };
}

export { rng };

/** Split text into chunks of min..max characters. */
export function chunks(text: string, min: number, max: number, seed = 1): string[] {
  const next = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = min + Math.floor(next() * (max - min + 1));
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

export function renderWhole(dom: Dom, text: string): string {
  const { container, r } = mount(dom);
  r.setText(text);
  return container.innerHTML;
}
