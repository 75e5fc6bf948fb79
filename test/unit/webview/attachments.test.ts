// Attachment chips, sent messages and footnotes in jsdom: what a screen reader reads, what can be removed, that a
// thumbnail is only ever a small image data: URL, and that the model keeps citations as they stream in.
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { AttachmentView, TurnView } from '../../../src/shared/protocol';

describe('webview: attachments and citations', () => {
  const g = globalThis as unknown as Record<string, unknown>;
  let dom: JSDOM;
  let chips: typeof import('../../../src/webview/chat/attachmentChip');
  let Transcript: typeof import('../../../src/webview/chat/transcript').Transcript;
  let droppedUris: typeof import('../../../src/webview/chat/attachments').droppedUris;
  let sniffHead: typeof import('../../../src/webview/chat/attachmentsImage').sniffHead;
  before(async () => {
    dom = new JSDOM('<!doctype html><html><body></body></html>');
    dom.window.HTMLElement.prototype.scrollIntoView = () => {};
    g.document = dom.window.document;
    chips = await import('../../../src/webview/chat/attachmentChip');
    ({ Transcript } = await import('../../../src/webview/chat/transcript'));
    ({ droppedUris } = await import('../../../src/webview/chat/attachments'));
    ({ sniffHead } = await import('../../../src/webview/chat/attachmentsImage'));
  });
  after(() => {
    delete g.document;
  });

  const img: AttachmentView = { id: 'a1', name: 'shot.png', mediaType: 'image/png', bytes: 1000, tokens: 1560, width: 1456, height: 819, thumbnail: 'data:image/jpeg;base64,/9j/AA==', note: 'Downscaled from 3840×2160 to 1456×819' };
  const pdf: AttachmentView = { id: 'a2', name: 'spec.pdf', mediaType: 'application/pdf', bytes: 5000, tokens: 6000, pages: 3 };

  it('a chip has a name for screen readers, a thumbnail only from a data:image URL, and a reachable remove button', () => {
    const opened: string[] = [];
    const removed: string[] = [];
    const chip = chips.attachmentChip(img, { open: (id) => opened.push(id), remove: (id) => removed.push(id) });
    const open = chip.querySelector('button.chip-open')!;
    assert.equal(open.getAttribute('aria-label'), 'Open shot.png: PNG image, 1456×819, about 1.6k tokens. Downscaled from 3840×2160 to 1456×819');
    assert.equal(chip.querySelector('img')!.getAttribute('src'), img.thumbnail);
    const remove = chip.querySelector('button.chip-remove')!;
    assert.equal(remove.getAttribute('aria-label'), 'Remove shot.png');
    (open as HTMLButtonElement).click();
    (remove as HTMLButtonElement).click();
    assert.deepEqual([opened, removed], [['a1'], ['a1']]);
    for (const bad of ['javascript:alert(1)', 'data:image/svg+xml;base64,PHN2Zz4=', 'https://evil.example/x.png', 'data:image/png;base64,AA"onerror="x']) {
      const c = chips.attachmentChip({ ...img, thumbnail: bad }, { open() {} });
      assert.equal(c.querySelector('img'), null, `no <img> for ${bad}`);
    }
    const p = chips.attachmentChip(pdf, { open() {} });
    assert.match(p.textContent ?? '', /spec\.pdf3 p · 6\.0k/);
    assert.equal(p.querySelector('.chip-remove'), null, 'a sent attachment cannot be removed');
  });

  it('a sent message shows its attachments; a text block shows its citations as footnotes that open the PDF', () => {
    const root = dom.window.document.createElement('div');
    const opened: unknown[] = [];
    const t = new Transcript(root as unknown as HTMLElement, {
      onAction() {}, onLink() {}, onCodeBlockAction() {}, onCancelRetry() {}, onRevealRef() {}, onToolDecision() {},
      onOpenAttachment: (id) => opened.push(['attachment', id]),
      onOpenCitation: (turnId, blockId, index) => opened.push(['citation', turnId, blockId, index]),
      announce() {},
      turn: () => undefined,
    });
    const view: TurnView = {
      id: 't1', userText: 'Compare', status: 'complete', model: 'm', attachments: [img, pdf],
      blocks: [{ id: 'b0', kind: 'text', text: 'Buttons are blue.', citations: [{ citedText: 'All buttons use the accent colour.', title: 'spec.pdf', startPage: 2, endPage: 3, attachmentId: 'a2' }] }],
    };
    t.addTurn(view);
    const row = root.querySelector('.msg.user .attachment-row')!;
    assert.equal(row.getAttribute('aria-label'), 'Attachments sent');
    assert.equal(row.querySelectorAll('.attachment-chip').length, 2);
    t.citation('t1', 'b0', { citedText: 'No quote for this one.', startPage: 9 });
    const notes = root.querySelectorAll('ol.citations li');
    assert.equal(notes.length, 2);
    const refs = [...root.querySelectorAll('.cite-ref')];
    assert.deepEqual(refs.map((r) => r.textContent), ['[1]', '[2]'], 'numbered markers after the cited text');
    assert.equal(refs[0].getAttribute('aria-label'), 'Source 1: spec.pdf, page 2');
    assert.match(notes[0].textContent ?? '', /spec\.pdf, p\. 2.*All buttons use the accent colour\./);
    (notes[0].querySelector('button') as HTMLButtonElement).click();
    assert.equal(notes[1].querySelector('button'), null, 'a citation with no known PDF is plain text');
    (row.querySelector('.chip-open') as HTMLButtonElement).click();
    assert.deepEqual(opened, [['citation', 't1', 'b0', 0], ['attachment', 'a1']]);
  });

  it('reads every file URI VS Code puts on a drag (its own list first; text/uri-list holds only one)', () => {
    const dt = (data: Record<string, string>) => ({ getData: (k: string) => data[k] ?? '' }) as unknown as DataTransfer;
    assert.deepEqual(droppedUris(dt({ 'application/vnd.code.uri-list': 'file:///w/a.png\r\nfile:///w/b.pdf', 'text/uri-list': 'file:///w/a.png' })), ['file:///w/a.png', 'file:///w/b.pdf']);
    assert.deepEqual(droppedUris(dt({ resourceurls: '["file:///w/a.png","file:///w/c.gif"]' })), ['file:///w/a.png', 'file:///w/c.gif']);
    assert.deepEqual(droppedUris(dt({ 'text/uri-list': '# comment\nfile:///w/a.png\n' })), ['file:///w/a.png']);
  });

  it('the model appends each streamed citation to its block; attachment messages leave it as it is', async () => {
    const { reduce, EMPTY_MODEL } = await import('../../../src/webview/chat/model');
    let m = reduce(EMPTY_MODEL, { type: 'state', state: { hasApiKey: true, keySource: 'secret', model: 'm', turns: [{ id: 't1', userText: 'q', status: 'streaming', model: 'm', blocks: [{ id: 'b0', kind: 'text', text: 'x' }] }] } });
    const c = { citedText: 'quote', startPage: 1, attachmentId: 'a2' };
    m = reduce(m, { type: 'citation', turnId: 't1', blockId: 'b0', citation: c });
    m = reduce(m, { type: 'citation', turnId: 't1', blockId: 'b0', citation: { ...c, startPage: 2 } });
    assert.deepEqual(m.turns[0].blocks[0].citations?.map((x) => x.startPage), [1, 2]);
    assert.equal(reduce(m, { type: 'attachments', items: [img] }), m);
    assert.equal(reduce(m, { type: 'citation', turnId: 'nope', blockId: 'b0', citation: c }), m);
  });

  it('the webview spares the host an obvious non-image by its first bytes (the host decides for real)', () => {
    const b = (s: string) => new TextEncoder().encode(s);
    assert.equal(sniffHead(b('%PDF-1.7')), 'application/pdf');
    assert.equal(sniffHead(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])), 'image/png');
    assert.equal(sniffHead(b('<?xml version="1.0"?><svg/>')), 'svg');
    assert.equal(sniffHead(b('MZ\u0090')), 'unknown');
  });
});
