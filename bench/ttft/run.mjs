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

/** One send, timed in the webview: [ms from keydown to painted, wall time of the keydown]. */
function timeSend(frame, view, text) {
  return frame.evaluate(([turnSel, bodySel, msg]) => new Promise((resolveRun) => {
    const input = document.querySelector('#input');
    const before = document.querySelectorAll(turnSel).length;
    let t0 = 0;
    const seen = {};
    const onMsg = (e) => {
      const type = e.data && e.data.type;
      if (typeof type === 'string' && !(type in seen)) seen[type] = performance.now() - t0;
    };
    // After the page's own listener (registered earlier): how long the page spent on the message.
    const afterMsg = (e) => {
      const type = e.data && e.data.type;
      if (typeof type === 'string' && !(`${type}+` in seen)) seen[`${type}+`] = performance.now() - t0 - seen[type];
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
    input.value = msg;
    t0 = performance.now();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  }), [view.turn, view.body, text]);
}

export async function run({ log = console.log, vsix = PACKAGED_VSIX } = {}) {
  const { api, page, close } = await launchPackaged({ vsixes: [vsix, packageBaseline()] });
  const arrivals = [];
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

    const times = { ours: [], baseline: [] };
    const before = { ours: [], baseline: [] };
    for (let i = 0; i < SENDS * 2; i++) {
      const name = i % 2 === 0 ? 'ours' : 'baseline';
      const frame = name === 'ours' ? ours : baseline;
      const n = arrivals.length;
      const [ms, wall0, seen] = await timeSend(frame, VIEWS[name], `ping ${i}`);
      if (process.env.TTFT_DEBUG) log(name, ms.toFixed(1), JSON.stringify(seen, (k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v)), arrivals.length > n ? (arrivals[n] - wall0).toFixed(1) : '-');
      await VIEWS[name].done(frame).waitFor({ timeout: 30_000 });
      times[name].push(ms);
      if (arrivals.length > n) before[name].push(arrivals[n] - wall0);
    }
    await page.screenshot({ path: join(ROOT, 'bench-output', 'ttft.png') });
    const r = {
      sends: SENDS,
      oursMedianMs: median(times.ours),
      baselineMedianMs: median(times.baseline),
      ratio: median(times.ours) / median(times.baseline),
      oursBeforeRequestMedianMs: median(before.ours),
      baselineBeforeRequestMedianMs: median(before.baseline),
      runs: times,
      beforeRequest: before,
    };
    log(`time to first token, Enter keydown -> first reply text painted, median of ${SENDS} sends each, same code-server run:`);
    log(`  baseline (fetch + <div>): ${r.baselineMedianMs.toFixed(1)} ms   (keydown -> request at the API: ${r.baselineBeforeRequestMedianMs.toFixed(1)} ms)`);
    log(`  this extension:           ${r.oursMedianMs.toFixed(1)} ms   (keydown -> request at the API: ${r.oursBeforeRequestMedianMs.toFixed(1)} ms)`);
    log(`  ratio: ${r.ratio.toFixed(2)}x the floor   (target <= 1.1x)`);
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
