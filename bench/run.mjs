// `npm run bench`: prints figures and ratios (never pass/fail on timing). Writes bench-output/summary.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measureActivation } from './host/activation.mjs';
import { packageVsix } from '../test/host/provision.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench-output');
mkdirSync(OUT, { recursive: true });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const summary = {};


const vsix = packageVsix(ROOT);
summary.sizes = {
  extensionJs: statSync(join(ROOT, 'dist', 'extension.js')).size,
  sdkJs: statSync(join(ROOT, 'dist', 'sdk.js')).size,
  webviewJs: statSync(join(ROOT, 'dist', 'webview.js')).size,
  hljsLanguages: Object.fromEntries(readdirSync(join(ROOT, 'dist', 'hljs')).map((f) => [f, statSync(join(ROOT, 'dist', 'hljs', f)).size])),
  webviewCss: statSync(join(ROOT, 'dist', 'webview.css')).size,
  vsix: statSync(vsix).size,
};
console.log('\n== Sizes (production build) ==');
console.log(`dist/extension.js  ${kb(summary.sizes.extensionJs)}   (target <= 550 KB)`);
console.log(`dist/sdk.js        ${kb(summary.sizes.sdkJs)}   (the Anthropic SDK, required on the first request only)`);
console.log(`dist/webview.js    ${kb(summary.sizes.webviewJs)}   (target <= 220 KB)`);
const langs = Object.values(summary.sizes.hljsLanguages);
console.log(`dist/hljs/*.js     ${langs.length} highlight.js languages loaded on first use, ${kb(Math.min(...langs))} to ${kb(Math.max(...langs))} each, ${kb(langs.reduce((a, b) => a + b, 0))} in all`);
console.log(`dist/webview.css   ${kb(summary.sizes.webviewCss)}`);
console.log(`claude-api-chat.vsix ${kb(summary.sizes.vsix)}   (target <= 400 KB)`);

console.log('\n== activate() in a real VS Code (code-server 1.139, packaged .vsix, 3 launches) ==');
summary.activation = await measureActivation(vsix, 3);
console.log(`activate(): median ${summary.activation.median.toFixed(2)} ms; runs ${summary.activation.runs.map((t) => t.toFixed(2)).join(', ')} ms   (target <= 10 ms)`);

// Further benchmarks register here as modules exporting `run(): Promise<object>`.
for (const [name, rel] of [['render', 'bench/render/run.mjs'], ['ttft', 'bench/ttft/run.mjs'], ['ttftHost', 'bench/ttft/node.mjs'], ['chat', 'bench/chat/run.mjs'],
  ['stores', 'bench/stores/run.mjs'], ['cache', 'bench/cache/run.mjs'], ['attachments', 'bench/attachments/run.mjs'], ['composer', 'bench/composer/run.mjs'],
  ['session', 'bench/session/run.mjs']]) {
  const file = join(ROOT, rel);
  if (!existsSync(file)) continue;
  console.log(`\n== ${name} ==`);
  const mod = await import(pathToFileURL(file).href);
  summary[name] = await mod.run();
}

// The memory benchmark needs --expose-gc: a child node process; its figures come back as JSON on stdout.
console.log('\n== memory ==');
summary.memory = JSON.parse(execFileSync(process.execPath, ['--expose-gc', join(ROOT, 'bench', 'memory', 'run.mjs'), '--json'], { stdio: ['ignore', 'pipe', 'inherit'] }).toString());

writeFileSync(join(OUT, 'summary.json'), JSON.stringify(summary, null, 2));
console.log(`\nWrote ${join('bench-output', 'summary.json')}`);
