// Time to first token against this host's floor. One code-server run with two extensions installed: ours (the
// packaged .vsix) and the baseline in bench/ttft/baseline (~90 lines of plain JS: fetch, append text to a <div>).
// Both are measured the same way, inside their webviews: Enter keydown -> first reply text in the DOM -> the next
// animation frame (painted). Sends alternate between the two (SENDS each), the fake API answers at once.
// Each send is also split at the moment the fake API takes the request (wall clocks of the webview and of this
// process: performance.timeOrigin + now(), the same machine), so "before the request" and "after it" show where
// the difference lies.
//
// Alone: node bench/ttft/run.mjs (after npm run build:prod and npm run package). From bench/run.mjs: run().
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCommand } from '../../test/host/ui/workbench.mjs';
import { allowKeyHost, extensionFrame, launchPackaged, median, PACKAGED_VSIX } from '../support/workbench.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SENDS = Number(process.env.TTFT_SENDS || 12);
/** Between the typed text (an input event) and Enter; 0 sets the text and presses Enter at once, as before. */
const TYPE_PAUSE_MS = Number(process.env.TTFT_TYPE_PAUSE_MS ?? 150);
/** Between one reply's end and typing the next message. */
const IDLE_MS = Number(process.env.TTFT_IDLE_MS ?? 1000);

/** Packages bench/ttft/baseline into bench-output/ttft-baseline.vsix. */
export function packageBaseline() {
  const out = join(ROOT, 'bench-output', 'ttft-baseline.vsix');
  mkdirSync(dirname(out), { recursive: true });
  execFileSync(join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out],
    { cwd: join(ROOT, 'bench', 'ttft', 'baseline'), stdio: 'pipe' });
  return out;
}

const VIEWS = {
  ours: { id: 'claude-api-chat.claude-api-chat', turn: '.turn', body: '.reply-body', done: (f) => f.locator('.turn').last().locator('.usage') },
  baseline: { id: 'bench.ttft-baseline', turn: '.turn', body: '.reply', done: (f) => f.locator('.turn.done').last() },
};

/**
 * Types `text` as a user does before Enter (the text, an input event, then TYPE_PAUSE_MS): each view may use the
 * moment, as it would for a person typing.
 */
async function type(frame, text) {
  await frame.evaluate((msg) => {
    const input = document.querySelector('#input');
    input.value = msg;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await new Promise((r) => setTimeout(r, TYPE_PAUSE_MS));
}

/** One send, timed in the webview: [ms from keydown to painted, wall time of the keydown]. */
function timeSend(frame, view, text) {
  return frame.evaluate(([turnSel, bodySel, msg]) => new Promise((resolveRun) => {
    const input = document.querySelector('#input');
    const before = document.querySelectorAll(turnSel).length;
    let t0 = 0;
    const seen = {};
    // The types a message carries (ours may batch several: {type: 'batch', messages}).
    const types = (d) => (d && d.type === 'batch' && Array.isArray(d.messages) ? d.messages.map((m) => m && m.type) : [d && d.type]);
    const onMsg = (e) => {
      for (const type of types(e.data)) if (typeof type === 'string' && !(type in seen)) seen[type] = performance.now() - t0;
    };
    // After the page's own listener (registered earlier): how long the page spent on the message.
    const afterMsg = (e) => {
      for (const type of types(e.data)) if (typeof type === 'string' && !(`${type}+` in seen)) seen[`${type}+`] = performance.now() - t0 - seen[type];
    };
    window.addEventListener('message', onMsg, true);
    window.addEventListener('message', afterMsg);
    const obs = new MutationObserver(() => {
      const turns = document.querySelectorAll(turnSel);
      if (turns.length <= before) return;
      const body = turns[turns.length - 1].querySelector(bodySel);
      if (body && body.textContent.trim().length > 0) {
        obs.disconnect();
        const domMs = performance.now() - t0;
        requestAnimationFrame(() => {
          window.removeEventListener('message', onMsg, true);
          window.removeEventListener('message', afterMsg);
          resolveRun([performance.now() - t0, performance.timeOrigin + t0, { ...seen, dom: domMs }]);
        });
      }
    });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true });
    if (input.value !== msg) input.value = msg;
    t0 = performance.now();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  }), [view.turn, view.body, text]);
}

/**
 * "The fake API answers at once" holds only once node has compiled the fake's request path: its first ~20 requests
 * with tools and a history take ~8 ms each to validate and tokenize, later ones ~1 ms, while the baseline's tiny
 * request is cheap from the start. Replays the requests the warm-up sends made (each extension's own) from this
 * process, so neither side is timed against a cold fake.
 */
async function warmFake(api, times = 60) {
  for (const rec of api.messageRequests.slice(-2)) {
    const body = JSON.stringify(rec.body);
    for (let i = 0; i < times; i++) {
      const res = await fetch(`${api.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': String(rec.headers['x-api-key']), 'anthropic-version': '2023-06-01' }, body });
      await res.arrayBuffer();
    }
  }
}

export async function run({ log = console.log, vsix = PACKAGED_VSIX } = {}) {
  const { api, page, close } = await launchPackaged({ vsixes: [vsix, packageBaseline()] });
  const arrivals = [];
  // The fake's own time per request (body received -> response headers): validating and tokenizing a request with
  // tools and a history costs the fake more than the baseline's one-line request; "answered at once" leaves it out.
  const fakeMs = [];
  const onRequest = api.onRequest.bind(api);
  api.onRequest = (req, res) => {
    let end = 0;
    req.on('end', () => { end = performance.now(); });
    const writeHead = res.writeHead.bind(res);
    res.writeHead = (...a) => {
      if (req.method === 'POST' && req.url === '/v1/messages') fakeMs.push(performance.now() - end);
      return writeHead(...a);
    };
    return onRequest(req, res);
  };
  api.setResponder(() => {
    arrivals.push(performance.timeOrigin + performance.now());
    return { kind: 'text', text: 'pong '.repeat(20), chunkSize: 10 };
  });
  try {
    const ours = await extensionFrame(page, VIEWS.ours.id);
    await ours.locator('#input:not([disabled])').waitFor({ timeout: 30_000 });
    await allowKeyHost(page, 5_000);
    // The keyboard focus is in the chat webview now; give it back to the workbench before F1.
    await page.locator('.monaco-workbench .part.editor').click();
    await runCommand(page, 'Show TTFT Baseline');
    const baseline = await extensionFrame(page, VIEWS.baseline.id);

    // Warm-up: our SDK loads on the first request, and the key goes to 127.0.0.1 only once the user allowed it.
    await ours.locator('#input').fill('warm up');
    await ours.locator('#input').press('Enter');
    await allowKeyHost(page, 5_000);
    await VIEWS.ours.done(ours).waitFor({ timeout: 30_000 });
    await baseline.locator('#input').fill('warm up');
    await baseline.locator('#input').press('Enter');
    await VIEWS.baseline.done(baseline).waitFor({ timeout: 30_000 });

    await warmFake(api);

    const times = { ours: [], baseline: [] };
    const before = { ours: [], baseline: [] };
    const fake = { ours: [], baseline: [] };
    const net = { ours: [], baseline: [] };
    for (let i = 0; i < SENDS * 2; i++) {
      const name = i % 2 === 0 ? 'ours' : 'baseline';
      const frame = name === 'ours' ? ours : baseline;
      // A person reads the reply before the next message: what the last one left to do (saving it) is done.
      await new Promise((r) => setTimeout(r, IDLE_MS));
      if (TYPE_PAUSE_MS > 0) await type(frame, `ping ${i}`);
      const n = arrivals.length;
      const f = fakeMs.length;
      const [ms, wall0, seen] = await timeSend(frame, VIEWS[name], `ping ${i}`);
      if (process.env.TTFT_DEBUG) log(name, ms.toFixed(1), JSON.stringify(seen, (k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v)), arrivals.length > n ? (arrivals[n] - wall0).toFixed(1) : '-', 'wall0', wall0.toFixed(1));
      await VIEWS[name].done(frame).waitFor({ timeout: 30_000 });
      times[name].push(ms);
      if (arrivals.length > n) before[name].push(arrivals[n] - wall0);
      if (fakeMs.length > f) { fake[name].push(fakeMs[f]); net[name].push(ms - fakeMs[f]); }
    }
    await page.screenshot({ path: join(ROOT, 'bench-output', 'ttft.png') });
    const r = {
      sends: SENDS,
      oursMedianMs: median(times.ours),
      baselineMedianMs: median(times.baseline),
      ratio: median(times.ours) / median(times.baseline),
      oursBeforeRequestMedianMs: median(before.ours),
      baselineBeforeRequestMedianMs: median(before.baseline),
      fakeMedianMs: { ours: median(fake.ours), baseline: median(fake.baseline) },
      netRatio: median(net.ours) / median(net.baseline),
      typePauseMs: TYPE_PAUSE_MS,
      idleMs: IDLE_MS,
      runs: times,
      beforeRequest: before,
      fakeMs: fake,
    };
    log(`time to first token, Enter keydown -> first reply text painted, median of ${SENDS} sends each, same code-server run:`);
    log(`  baseline (fetch + <div>): ${r.baselineMedianMs.toFixed(1)} ms   (keydown -> request at the API: ${r.baselineBeforeRequestMedianMs.toFixed(1)} ms)`);
    log(`  this extension:           ${r.oursMedianMs.toFixed(1)} ms   (keydown -> request at the API: ${r.oursBeforeRequestMedianMs.toFixed(1)} ms)`);
    log(`  ratio: ${r.ratio.toFixed(2)}x the floor   (target <= 1.1x)`);
    log(`  the fake's own time per request (validating, tokenizing): ${r.fakeMedianMs.ours.toFixed(1)} ms for ours, ${r.fakeMedianMs.baseline.toFixed(1)} ms for the baseline's; without it: ${r.netRatio.toFixed(2)}x`);
    log(`  (typed ${TYPE_PAUSE_MS} ms before Enter, ${IDLE_MS} ms after each reply: TTFT_TYPE_PAUSE_MS, TTFT_IDLE_MS)`);
    return r;
  } finally {
    await close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  mkdirSync(join(ROOT, 'bench-output'), { recursive: true });
  run().then((r) => writeFileSync(join(ROOT, 'bench-output', 'ttft.json'), JSON.stringify(r, null, 2)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
