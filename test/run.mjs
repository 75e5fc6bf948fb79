// `npm test`: unit tests (mocha, plain node), the provisioning step, the webview suite (real Chromium), then host
// tests (a real VS Code). Prints one closing `N passed, N failed` line over all of them and exits non-zero on any
// failure or if no test ran.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2]; // 'unit' | 'browser' | 'host' | undefined (all)

function run(label, cmd, args) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  const out = r.stdout ?? '';
  let passed = 0;
  let failed = 0;
  const host = /host: (\d+) passed, (\d+) failed/.exec(out);
  if (host) {
    passed = Number(host[1]);
    failed = Number(host[2]);
  } else {
    passed = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
    failed = Number(/(\d+) failing/.exec(out)?.[1] ?? 0);
  }
  if (r.status !== 0 && failed === 0) failed = 1; // crashed before reporting
  return { passed, failed };
}

const results = [];
if (!only || only === 'unit') results.push(run('unit tests (mocha, plain node)', 'npx', ['mocha', '--config', '.mocharc.json']));
const needsMachine = !only || only === 'browser' || only === 'host';
// One provisioning step before the first suite that needs a browser or a VS Code: Debian packages (as root with
// apt), then code-server into the cache. Its failure is one clear message, and the suites that need it count as failed.
if (needsMachine) {
  process.stdout.write('\n=== provisioning (browser and VS Code for the tests) ===\n');
  const p = spawnSync('node', [join('test', 'host', 'provision.mjs')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (p.status !== 0) {
    console.log('provisioning failed (see the [provision] message above); the browser and host suites did not run');
    results.push({ passed: 0, failed: 1 });
  } else {
    if ((!only || only === 'browser') && existsSync(join(ROOT, 'test', 'browser', '.mocharc.json'))) results.push(run('webview tests (real Chromium)', 'npx', ['mocha', '--config', join('test', 'browser', '.mocharc.json')]));
    if (!only || only === 'host') results.push(run('host tests (real VS Code)', 'node', [join('test', 'host', 'run.mjs')]));
  }
}
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
