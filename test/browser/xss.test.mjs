// XSS corpus through the real renderer bundle in real Chromium, streamed as model output in 3–7
// character deltas. Asserts: nothing executes (__pwned, dialogs), no request leaves the page, no CSP
// violation under the webview CSP, the DOM holds only allowlisted markup, and every payload's text is
// still visible. Run alone: npx mocha --config test/browser/.mocharc.json
import * as assert from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { bundle, launchChromium } from './chromium.mjs';
import { markerOf, PAYLOADS } from './payloads.mjs';

const SCHEMES_KEPT = /^(https?:\/\/|mailto:)/i;

describe('renderer XSS corpus in Chromium', function () {
  this.timeout(180000);
  let server;
  let origin;
  let browser;
  let js;
  let css;
  const nonce = randomBytes(16).toString('base64');
  const strayHits = [];

  before(async () => {
    [js, css] = await Promise.all([bundle('test/browser/harness.ts'), bundle('src/webview/chat/render/render.css')]);
    server = http.createServer((req, res) => {
      const path = new URL(req.url, 'http://x').pathname;
      if (path === '/csp.html' || path === '/plain.html') {
        const headers = { 'content-type': 'text/html; charset=utf-8' };
        if (path === '/csp.html') {
          // The webview CSP from DESIGN.md, with this server as ${webview.cspSource}.
          headers['content-security-policy'] = `default-src 'none'; img-src ${origin} data:; style-src ${origin}; ` +
            `font-src ${origin}; script-src 'nonce-${nonce}'`;
        }
        res.writeHead(200, headers);
        res.end(`<!doctype html><html><head><meta charset="utf-8"><title>xss</title>` +
          `<link rel="stylesheet" href="/render.css"></head><body class="vscode-dark">` +
          `<script nonce="${nonce}" src="/harness.js"></script></body></html>`);
      } else if (path === '/harness.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(js);
      } else if (path === '/render.css') {
        res.writeHead(200, { 'content-type': 'text/css' });
        res.end(css);
      } else {
        strayHits.push(req.url);
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise((res) => server.listen(0, '127.0.0.1', res));
    origin = `http://127.0.0.1:${server.address().port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((res) => (server ? server.close(res) : res()));
  });

  const corpus = () => PAYLOADS.map((p) => p.replaceAll('LEAK', `${origin}/leak`));

  /** A page with recorders for requests and dialogs; requests to other origins are aborted. */
  async function openPage(file) {
    const page = await browser.newPage();
    const seen = { requests: [], dialogs: [], console: [] };
    page.on('request', (r) => seen.requests.push(r.url()));
    page.on('dialog', (d) => {
      seen.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => seen.console.push(m.text()));
    await page.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
    await page.goto(`${origin}/${file}`);
    await page.waitForFunction(() => typeof window.__xss === 'object');
    return { page, seen };
  }

  function assertQuiet(seen, file) {
    const own = new Set([`${origin}/${file}`, `${origin}/harness.js`, `${origin}/render.css`]);
    assert.deepStrictEqual(seen.requests.filter((u) => !own.has(u)), [], 'requests left the page');
    assert.deepStrictEqual(seen.dialogs, [], 'a dialog opened');
    assert.deepStrictEqual(strayHits, [], 'the server saw unexpected requests');
  }

  function assertReport(rep, payload, label) {
    assert.deepStrictEqual(rep.problems, [], `${label}: unsafe DOM for ${JSON.stringify(payload)}`);
    assert.ok(rep.text.includes(markerOf(payload)), `${label}: text of ${JSON.stringify(payload)} not visible: ${rep.text}`);
    for (const h of rep.hrefs) assert.match(h, SCHEMES_KEPT, `${label}: href ${h}`);
    for (const l of rep.links) assert.match(l, SCHEMES_KEPT, `${label}: onLink(${l})`);
  }

  for (const file of ['csp.html', 'plain.html']) {
    const mode = file === 'csp.html' ? 'under the webview CSP' : 'without a CSP (the sanitizer alone)';
    describe(mode, () => {
      let page;
      let seen;
      before(async () => ({ page, seen } = await openPage(file)));
      after(async () => page?.close());
      afterEach(async () => {
        const [pwned, csp] = await page.evaluate(() => [window.__pwnLog.slice(), window.__csp.slice()]);
        assert.deepStrictEqual(pwned, [], 'a payload executed');
        assert.deepStrictEqual(csp, [], 'a CSP violation means the sanitizer let something through');
        assertQuiet(seen, file);
      });

      it(`streams each of the ${PAYLOADS.length} payloads in 3–7 char deltas safely`, async () => {
        assert.ok(PAYLOADS.length >= 50);
        const payloads = corpus();
        const reports = await page.evaluate(async (ps) => {
          const out = [];
          for (let i = 0; i < ps.length; i++) out.push(await window.__xss.stream(ps[i], i + 1));
          return out;
        }, payloads);
        reports.forEach((rep, i) => assertReport(rep, payloads[i], 'stream'));
        // Links the model offered reach the host only through onLink, and only with http(s).
        assert.ok(reports.some((r) => r.links.includes('https://ok.example')));
      });

      it('streams the whole corpus as one message', async () => {
        const payloads = corpus();
        const text = payloads.join('\n\n');
        const rep = await page.evaluate(async (t) => window.__xss.stream(t, 99), text);
        assert.deepStrictEqual(rep.problems, []);
        for (const p of payloads) assert.ok(rep.text.includes(markerOf(p)), `missing ${markerOf(p)}`);
        const whole = await page.evaluate((t) => window.__xss.whole(t), text);
        assert.strictEqual(rep.html, whole.html, 'streamed and setText() output differ');
      });

      it('renders each payload at once with setText()', async () => {
        const payloads = corpus();
        const reports = await page.evaluate((ps) => ps.map((p) => window.__xss.whole(p)), payloads);
        reports.forEach((rep, i) => assertReport(rep, payloads[i], 'setText'));
      });
    });
  }

  describe('the detectors themselves', () => {
    it('see an inline handler run without a CSP, and a same-origin image load', async () => {
      const { page, seen } = await openPage('plain.html');
      await page.evaluate((u) => {
        window.__xss.canaryHandler();
        window.__xss.canaryImage(u);
      }, `${origin}/leak/canary.png`);
      await page.waitForFunction(() => window.__pwnLog.length > 0);
      await page.waitForTimeout(200);
      assert.deepStrictEqual(await page.evaluate(() => window.__pwnLog), ['CANARY']);
      assert.ok(seen.requests.includes(`${origin}/leak/canary.png`));
      strayHits.length = 0;
      await page.close();
    });

    it('see a CSP violation when an inline handler is inserted under the CSP', async () => {
      const { page } = await openPage('csp.html');
      await page.evaluate(() => window.__xss.canaryHandler());
      await page.waitForFunction(() => window.__csp.length > 0);
      assert.deepStrictEqual(await page.evaluate(() => window.__pwnLog), []);
      await page.close();
    });
  });
});
