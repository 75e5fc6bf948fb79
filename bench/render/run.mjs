// Render benchmark: a 60k- and a 120k-character answer (~20 code blocks each), each streamed in the
// same number of deltas through the real renderer bundle in Debian's Chromium, against a naive
// renderer that re-parses and re-sanitizes the whole message per delta. flush() after every append()
// so the per-delta cost is measured rather than hidden by animation-frame coalescing.
//
// Alone: node bench/render/run.mjs [--deltas N] [--naive-120k]
// From bench/run.mjs: `run()` (prints the table, writes bench-output/render.json, returns figures).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundle, launchChromium } from '../../test/browser/chromium.mjs';
import { makeAnswer, makeShape, splitDeltas } from './content.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

function summarize(kind, size, r) {
  return {
    renderer: kind,
    chars: r.chars,
    deltas: r.handle.length,
    p50: quantile(r.handle, 0.5),
    p95: quantile(r.handle, 0.95),
    max: Math.max(...r.handle),
    totalMs: sum(r.handle) + r.finishMs,
    layoutP50: quantile(r.withLayout, 0.5),
    layoutP95: quantile(r.withLayout, 0.95),
    layoutTotalMs: sum(r.withLayout) + r.finishMs,
    finishMs: r.finishMs,
    domNodes: r.nodes,
    splits: r.stats?.splits,
    maxOpenChars: r.stats?.maxOpenChars,
    size,
  };
}

async function serve(js) {
  const nonce = randomBytes(16).toString('base64');
  const server = http.createServer((req, res) => {
    if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cross-origin-resource-policy': 'same-origin' });
      res.end(js);
      return;
    }
    if (req.url !== '/') {
      res.writeHead(404);
      res.end();
      return;
    }
    const origin = `http://${req.headers.host}`;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      // The webview CSP; cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
      'content-security-policy': `default-src 'none'; img-src ${origin} data:; style-src ${origin}; font-src ${origin}; script-src 'nonce-${nonce}'`,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>render bench</title></head><body>` +
      `<script nonce="${nonce}" src="/bench.js"></script></body></html>`);
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

const f = (x, d = 2) => x.toFixed(d);
/** One open block of each shape at 120k, and an 800 KB table. */
const SHAPES = [['paragraph', 120000], ['table', 120000], ['list', 120000], ['blockquote', 120000], ['table', 800000]];

/**
 * Run the benchmark. Returns { runs, ratios, targets } and writes bench-output/render.json.
 * Figures only: timing never fails a build.
 */
export async function run({ sizes = [60000, 120000], deltas = 2000, naiveSizes = [60000], shapes = SHAPES, log = console.log, outFile = join(ROOT, 'bench-output', 'render.json') } = {}) {
  const js = await bundle(join(ROOT, 'bench', 'render', 'page.ts'), { minify: true });
  const { server, url } = await serve(js);
  const browser = await launchChromium();
  const runs = [];
  try {
    const warmup = splitDeltas(makeAnswer(8000, { codeBlocks: 3, seed: 3 }), 300);
    const plan = [...sizes.map((s) => ['incremental', s]), ...naiveSizes.map((s) => ['naive', s]), ...shapes.map(([shape, s]) => ['incremental', s, shape])];
    for (const [kind, size, shape] of plan) {
      const page = await browser.newPage(); // a fresh page per run: no heap or layout carried over
      await page.goto(url);
      await page.waitForFunction(() => typeof window.__bench === 'object');
      if (!runs.length && !(await page.evaluate(() => window.__bench.crossOriginIsolated()))) log('(note: page not cross-origin isolated; timer resolution 100 µs)');
      const text = shape ? makeShape(shape, size) : makeAnswer(size);
      const r = await page.evaluate(([k, d, w]) => window.__bench.run(k, d, w), [kind, splitDeltas(text, deltas), warmup]);
      runs.push({ ...summarize(kind, size, r), shape: shape ?? 'mixed' });
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }

  const get = (kind, size) => runs.find((r) => r.renderer === kind && r.size === size && r.shape === 'mixed');
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  const inc = get('incremental', small);
  const incL = get('incremental', large);
  const naive = get('naive', small);
  const ratios = {
    largeOverSmall: incL && inc ? incL.totalMs / inc.totalMs : undefined,
    largeOverSmallWithLayout: incL && inc ? incL.layoutTotalMs / inc.layoutTotalMs : undefined,
    naiveOverIncremental: naive && inc ? naive.totalMs / inc.totalMs : undefined,
    naiveOverIncrementalWithLayout: naive && inc ? naive.layoutTotalMs / inc.layoutTotalMs : undefined,
  };
  const targets = {
    linear: ratios.largeOverSmall !== undefined ? ratios.largeOverSmall <= 2.3 : undefined,
    tenTimesFaster: ratios.naiveOverIncremental !== undefined ? ratios.naiveOverIncremental >= 10 : undefined,
  };

  log(`\nRender benchmark: ${deltas} deltas per answer, append()+flush() per delta (ms); "+layout" forces layout after each delta`);
  log('renderer     chars    p50     p95     max      total      +layout p50  +layout p95  +layout total');
  for (const r of runs.filter((x) => x.shape === 'mixed')) {
    log(`${r.renderer.padEnd(11)} ${String(r.chars).padStart(6)} ${f(r.p50, 3).padStart(7)} ${f(r.p95, 3).padStart(7)} ${f(r.max).padStart(7)} ` +
      `${f(r.totalMs, 1).padStart(9)}  ${f(r.layoutP50, 3).padStart(11)}  ${f(r.layoutP95, 3).padStart(11)}  ${f(r.layoutTotalMs, 1).padStart(12)}`);
  }
  if (ratios.largeOverSmall !== undefined) {
    log(`ratio ${large / 1000}k/${small / 1000}k total: ${f(ratios.largeOverSmall)} (+layout ${f(ratios.largeOverSmallWithLayout)})   target <= 2.3: ${targets.linear ? 'met' : 'MISSED'}`);
  }
  if (ratios.naiveOverIncremental !== undefined) {
    log(`naive/incremental at ${small / 1000}k total: ${f(ratios.naiveOverIncremental, 1)}x (+layout ${f(ratios.naiveOverIncrementalWithLayout, 1)}x)   target >= 10x: ${targets.tenTimesFaster ? 'met' : 'MISSED'}`);
  }

  const shaped = runs.filter((x) => x.shape !== 'mixed');
  if (shaped.length) {
    log(`\nOne open block to the end (worst case), ${deltas} deltas, append()+flush() per delta (ms); splits = block parses of the open tail`);
    log('shape         chars    p50     p95     max      total   +layout p95  +layout total  finish  splits  max open chars');
    for (const r of shaped) {
      log(`${r.shape.padEnd(11)} ${String(r.chars).padStart(7)} ${f(r.p50, 3).padStart(7)} ${f(r.p95, 3).padStart(7)} ${f(r.max).padStart(7)} ${f(r.totalMs, 1).padStart(9)}  ` +
        `${f(r.layoutP95, 3).padStart(11)}  ${f(r.layoutTotalMs, 1).padStart(12)}  ${f(r.finishMs, 1).padStart(6)}  ${String(r.splits ?? '-').padStart(6)}  ${String(r.maxOpenChars ?? '-').padStart(14)}`);
    }
    const big = shaped.find((x) => x.shape === 'table' && x.size >= 800000);
    if (big) log(`${(big.size / 1000).toFixed(0)} KB table, streamed to the end: ${f(big.totalMs / 1000)} s (+layout ${f(big.layoutTotalMs / 1000)} s)   target <= 2 s`);
    const worst = Math.max(...shaped.filter((x) => x.size === 120000).map((x) => x.p95));
    log(`worst p95 per frame of a 120k open block: ${f(worst, 2)} ms   target <= 4 ms`);
  }

  const result = { deltas, runs, ratios, targets, chromium: '/usr/bin/chromium' };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(result, null, 2));
  log(`wrote ${outFile}`);
  return result;
}

export { run as runRenderBench };

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--deltas');
  const deltas = at >= 0 ? Number(args[at + 1]) : 2000;
  const naiveSizes = args.includes('--naive-120k') ? [60000, 120000] : [60000];
  run({ deltas, naiveSizes }).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
