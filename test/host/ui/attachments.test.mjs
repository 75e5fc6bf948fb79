// Images and PDFs through the real chat view of the packaged .vsix: paste a screenshot into the composer (a real
// ClipboardEvent carrying a PNG the page draws), drop a PDF from the workspace (a real drop event carrying its URI,
// as VS Code's explorer does), refusals of a 30 MB file and an .exe, and a conversation showing both with citations.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { uiContext as ctx } from './context.mjs';
import { chatFrame } from './workbench.mjs';

const require = createRequire(import.meta.url);

/** The chat view's own document as a Frame (frameLocator cannot evaluate). */
async function innerFrame() {
  for (let i = 0; i < 120; i++) {
    for (const f of ctx.page.frames()) {
      if (!f.isDetached() && /purpose=webviewView/.test(f.parentFrame()?.url() ?? '') && (await f.locator('#input').count().catch(() => 0)) > 0) return f;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the chat view frame was not found');
}

/** Pastes files into the composer the way the browser does: a paste event whose clipboardData holds them. */
async function paste(frame, files) {
  await frame.evaluate(async (specs) => {
    const dt = new DataTransfer();
    for (const s of specs) {
      let blob;
      if (s.kind === 'screenshot') {
        const c = document.createElement('canvas');
        c.width = s.width;
        c.height = s.height;
        const g = c.getContext('2d');
        g.fillStyle = '#1e1e1e';
        g.fillRect(0, 0, c.width, c.height);
        g.fillStyle = '#c72e2e';
        g.fillRect(40, 40, c.width - 80, 90);
        g.fillStyle = '#ffffff';
        g.font = '36px sans-serif';
        g.fillText('TypeError: Cannot read properties of undefined', 60, 100);
        for (let y = 170; y < c.height - 20; y += 28) {
          g.fillStyle = y % 56 ? '#9cdcfe' : '#ce9178';
          g.fillRect(60, y, 200 + ((y * 37) % (c.width - 300)), 14);
        }
        blob = await new Promise((r) => c.toBlob(r, 'image/png'));
      } else if (s.kind === 'zeros') {
        blob = new Blob([new Uint8Array(s.size)]);
      } else blob = new Blob([s.text]);
      dt.items.add(new File([blob], s.name, { type: s.type ?? '' }));
    }
    document.querySelector('#input').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, files);
}

describe('Packaged .vsix: images and PDFs in the chat', () => {
  it('a pasted screenshot shows as a chip with a thumbnail, goes as an image block, and the sent message shows it', async () => {
    const frame = await innerFrame();
    await frame.locator('#input:not([disabled])').waitFor({ timeout: 30_000 });
    await paste(frame, [{ kind: 'screenshot', name: 'screenshot.png', width: 1280, height: 720, type: 'image/png' }]);
    const chip = frame.locator('.attachment-chips .attachment-chip:not(.preparing)');
    await chip.waitFor({ timeout: 20_000 });
    assert.match(await chip.locator('img.chip-thumb').getAttribute('src'), /^data:image\/jpeg;base64,/, 'a thumbnail within the CSP (data:)');
    assert.match(await chip.locator('.chip-open').getAttribute('aria-label'), /^Open screenshot\.png: PNG image, 1280×720, about 1\.2k tokens$/);
    assert.equal(await chip.locator('.chip-remove').getAttribute('aria-label'), 'Remove screenshot.png');
    const before = ctx.api.messageRequests.length;
    ctx.api.queue({ kind: 'text', text: 'The error says a property of **undefined** was read.' });
    await frame.locator('#input').fill('What does this error mean?');
    await frame.locator('#input').press('Enter');
    const turn = frame.locator('.turn').last();
    await turn.getByText('was read').waitFor({ timeout: 20_000 });
    assert.equal(ctx.api.messageRequests.length, before + 1);
    const content = ctx.api.messageRequests.at(-1).body.messages.at(-1).content;
    assert.deepEqual(content.map((b) => b.type), ['image', 'text']);
    assert.equal(content[0].source.media_type, 'image/png');
    assert.ok(content[0].source.data.length > 1000);
    await turn.locator('.msg.user .attachment-row .attachment-chip img.chip-thumb').waitFor();
    assert.equal(await frame.locator('.attachment-chips .attachment-chip').count(), 0, 'the composer chips went with the message');
  });

  it('a 30 MB file and an .exe are refused by name, and nothing is sent', async () => {
    const frame = await innerFrame();
    const before = ctx.api.messageRequests.length;
    const notices = await frame.locator('.notice').count();
    await paste(frame, [{ kind: 'zeros', name: 'huge.png', size: 30 * 1024 * 1024 }, { kind: 'text', name: 'setup.exe', text: 'MZ\u0090\u0000 this program cannot be run in DOS mode' }]);
    await frame.locator('.notice').nth(notices + 1).waitFor({ timeout: 10_000 });
    const texts = (await frame.locator('.notice').allInnerTexts()).slice(notices).join('\n');
    assert.match(texts, /"huge\.png" was not attached: it is 30\.0 MB, and attachments can be at most 20 MB\./);
    assert.match(texts, /"setup\.exe" was not attached: only PNG, JPEG, GIF and WebP images and PDF files can be attached/);
    assert.equal(await frame.locator('.attachment-chips .attachment-chip').count(), 0);
    await frame.locator('#input').fill('');
    await frame.locator('#input').press('Enter');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(ctx.api.messageRequests.length, before, 'nothing was sent');
  });

  it('a PDF dropped from the workspace is a chip with its page count; the reply cites it as footnotes (screenshot)', async () => {
    const { makePdf } = require(join(process.cwd(), 'out', 'test', 'support', 'media.js'));
    const file = join(ctx.profile.workspace, 'design-spec.pdf');
    writeFileSync(file, makePdf(4, { text: (n) => `Section ${n}` }));
    const frame = await innerFrame();
    await frame.evaluate((uri) => {
      const dt = new DataTransfer();
      dt.setData('text/uri-list', uri);
      const app = document.getElementById('app');
      app.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      app.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, pathToFileURL(file).href);
    const chip = frame.locator('.attachment-chips .attachment-chip', { hasText: 'design-spec.pdf' });
    await chip.waitFor({ timeout: 20_000 });
    assert.match(await chip.innerText(), /4 p/);
    ctx.api.queue({
      kind: 'message',
      blocks: [
        { type: 'text', text: 'The spec asks for two things. First, ' },
        { type: 'text', text: 'buttons use the accent colour', citations: [{ type: 'page_location', cited_text: 'Section 2', document_index: 0, document_title: null, start_page_number: 2, end_page_number: 3 }] },
        { type: 'text', text: '; second, ' },
        { type: 'text', text: 'errors show inline', citations: [{ type: 'page_location', cited_text: 'Section 4', document_index: 0, document_title: null, start_page_number: 4, end_page_number: 5 }] },
        { type: 'text', text: '.' },
      ],
    });
    await frame.locator('#input').fill('What does the spec require? Compare with the screenshot.');
    await frame.locator('#input').press('Enter');
    const turn = frame.locator('.turn').last();
    await turn.locator('ol.citations li').nth(1).waitFor({ timeout: 20_000 });
    assert.match(await turn.locator('ol.citations li').first().innerText(), /design-spec\.pdf, p\. 2\s*Section 2/);
    const doc = ctx.api.messageRequests.at(-1).body.messages.at(-1).content[0];
    assert.equal(doc.type, 'document');
    assert.deepEqual(doc.citations, { enabled: true });
    await turn.scrollIntoViewIfNeeded();
    await ctx.page.screenshot({ path: join(ctx.shots, 'attachments.png') });
  });
});
