// Host test runner: in-host mocha tests inside a real VS Code extension host, then the user flow driven in the
// real webview of the packaged .vsix. Uses @vscode/test-electron where VS Code can be downloaded; offline (this
// machine) it provisions code-server from npm into a cache folder and drives it with Debian's Chromium.
// Prints a closing `N passed, N failed` line; exits 1 on any failure.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Mocha from 'mocha';
import { copyLogs, installVsix, launchBrowser, makeProfile, startCodeServer } from './codeServer.mjs';
import { findChromium, hostMode, packageVsix, provisionCodeServer } from './provision.mjs';
import { runStartCheck } from './startCheck.mjs';
import { mcpConfig, packageTestExtension, TEST_EXTENSIONS } from './testExtensions.mjs';
import { uiContext } from './ui/context.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'test-output', 'host');
const SUITE = join(ROOT, 'out', 'test', 'host', 'suite', 'index.js');
const verbose = process.argv.includes('--verbose') || !!process.env.CLAUDE_CHAT_TEST_VERBOSE;
// While working on one part: --only=in-host,restricted,ui,start picks launches (--in-host-only and --ui-only are
// short for one of them); --files=a.test.js,b.test.js picks the in-host suite's files, --uifiles=smoke.test.mjs,…
// the UI specs (smoke sets the key); CLAUDE_CHAT_TEST_GREP=<text> runs only the tests whose title has it.
// Without them, everything runs.
const grep = process.env.CLAUDE_CHAT_TEST_GREP || '';
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3).split(',');
const only = arg('only') ?? (process.argv.includes('--in-host-only') ? ['in-host'] : process.argv.includes('--ui-only') ? ['ui'] : undefined);
const suiteFiles = arg('files');
const wanted = (launch) => !only || only.includes(launch);
const log = (m) => process.stderr.write(`[host-tests] ${m}\n`);

async function runElectron() {
  const { runTests } = await import('@vscode/test-electron');
  const profile = makeProfile();
  const resultFile = join(OUT, 'host-results.json');
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: SUITE,
    launchArgs: [profile.workspace, '--disable-extensions', `--user-data-dir=${profile.userData}`],
    extensionTestsEnv: { CLAUDE_CHAT_RESULT_FILE: resultFile },
  }).catch(() => undefined);
  return readResults(resultFile, 'in-host (electron)');
}

function readResults(file, label) {
  if (!existsSync(file)) {
    log(`${label}: no result file was written`);
    return { passes: 0, failures: 1 };
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  log(`${label}: ${r.passes} passed, ${r.failures} failed`);
  return r;
}

/**
 * Launch A: the extension from this folder, with the in-host mocha suite (smoke-test driver on). `opts` makes a
 * smaller extra launch: other settings and workspace files, workspace trust left on, chosen suite files.
 */
async function runInHost(cs, chromium, opts = {}) {
  const defaultFiles = { 'hello.ts': 'export const greet = (n: string) => `hi ${n}`;\n', '.vscode/mcp.json': mcpConfig(ROOT, cs.node) };
  const { name = 'in-host', settings = {}, workspaceFiles = defaultFiles, trust = false, files, timeoutMs = 420_000 } = opts;
  const profile = makeProfile({ settings, workspaceFiles });
  // The vscode.lm consumer and tool provider: installed, since the payload takes one development extension.
  if (name === 'in-host') for (const ext of TEST_EXTENSIONS) installVsix(cs, profile, packageTestExtension(ROOT, ext));
  const resultFile = join(OUT, `${name}-results.json`);
  rmSync(resultFile, { force: true });
  const server = await startCodeServer(cs, profile, { smokeDriver: true, trust, log: verbose ? (s) => process.stderr.write(s) : () => {} });
  const browser = await launchBrowser(cs, chromium);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let exitCode;
    const exited = new Promise((res) => {
      void page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; res(code); });
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = Array.isArray(args) ? formatArgs(args) : String(args);
      if (verbose || /passing|failing|pending|✔|✓|[0-9]+\) |Error|AssertionError/.test(line)) process.stdout.write(`${line}\n`);
    });
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(SUITE)],
      ['enableProposedApi', ''],
      ['skipWelcome', 'true'],
      ['extensionEnvironment', JSON.stringify({ CLAUDE_CHAT_RESULT_FILE: resultFile, CLAUDE_CHAT_TEST_GREP: grep, ...(files ? { CLAUDE_CHAT_SUITE_FILES: files.join(',') } : {}) })],
    ];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer;
    const timeout = new Promise((res) => { timer = setTimeout(() => res('timeout'), timeoutMs); });
    const r = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (r === 'timeout') {
      await page.screenshot({ path: join(OUT, `${name}-timeout.png`) }).catch(() => {});
      log(`${name} tests timed out after ${timeoutMs / 1000} s`);
      return { passes: 0, failures: 1 };
    }
    log(`extension host exited with code ${exitCode}`);
    return readResults(resultFile, name);
  } finally {
    await browser.close();
    await server.stop();
    copyLogs(profile, join(OUT, `logs-${name}`));
  }
}

/** Launch A2: Restricted Mode (workspace trust on, the workspace not trusted) with a repository that has instructions. */
function runRestricted(cs, chromium) {
  return runInHost(cs, chromium, {
    name: 'restricted',
    trust: true,
    settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'security.workspace.trust.emptyWindow': false },
    workspaceFiles: {
      'AGENTS.md': '# Rules\nAlways answer in haiku.\n',
      '.github/prompts/review.prompt.md': '---\ndescription: Review\n---\nReview it.',
    },
    files: ['composerRestricted.test.js'],
    timeoutMs: 180_000,
  });
}

function formatArgs(args) {
  const [first, ...rest] = args;
  if (typeof first === 'string' && /%[sdifjoO]/.test(first)) {
    let i = 0;
    return first.replace(/%[sdifjoO]/g, () => String(rest[i++] ?? '')) + (rest.slice(i).length ? ' ' + rest.slice(i).join(' ') : '');
  }
  return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}


/** Launch B: the packaged .vsix installed into a fresh profile, driven through the real UI with Playwright. */
async function runUi(cs, chromium) {
  const vsix = packageVsix(ROOT);
  const fake = await import(pathToFileURL(join(ROOT, 'out', 'test', 'fake-api', 'server.js')).href);
  // A small-window model for the long-session spec (its window comes from GET /v1/models, as a real one's would).
  // Released "before 2026-02": /v1/models reports no compaction support, so the chat summarizes with its cheap model.
  const api = await fake.startFakeApi({ models: [{ id: 'claude-small-ui', display_name: 'Small window (test)', max_input_tokens: 6000, max_tokens: 64_000, created_at: '2025-06-01T00:00:00Z' }] });
  const profile = makeProfile({ settings: { 'claudeChat.baseURL': api.url, 'claudeChat.model': 'claude-sonnet-5-5' }, workspaceFiles: { 'notes.txt': 'alpha\nbeta\n', '.vscode/mcp.json': mcpConfig(ROOT, cs.node) } });
  installVsix(cs, profile, vsix);
  for (const name of TEST_EXTENSIONS) installVsix(cs, profile, packageTestExtension(ROOT, name));
  const server = await startCodeServer(cs, profile, { log: verbose ? (s) => process.stderr.write(s) : () => {} });
  const browser = await launchBrowser(cs, chromium);
  const shots = join(OUT, 'screenshots');
  mkdirSync(shots, { recursive: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    Object.assign(uiContext, { page, api, fake, url: `${server.url}/?folder=${encodeURIComponent(profile.workspace)}`, shots, profile });
    const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, reporter: 'spec', bail: true, ...(grep ? { grep } : {}) });
    const specs = arg('uifiles') ?? ['smoke.test.mjs', 'chatFlow.test.mjs', 'usageReport.test.mjs', 'tools.test.mjs', 'lmTools.test.mjs', 'attachments.test.mjs', 'rendering.test.mjs', 'reviewWeb.test.mjs', 'composer.test.mjs', 'longSession.test.mjs'];
    for (const f of ['hooks.mjs', ...specs]) mocha.addFile(join(ROOT, 'test', 'host', 'ui', f));
    await mocha.loadFilesAsync();
    const stats = await new Promise((res) => {
      const runner = mocha.run(() => res(runner.stats));
    });
    log(`ui (packaged .vsix): ${stats.passes} passed, ${stats.failures} failed`);
    return { passes: stats.passes, failures: stats.failures };
  } finally {
    await browser.close();
    await server.stop();
    await api.close();
    copyLogs(profile, join(OUT, 'logs-ui'));
  }
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(SUITE)) throw new Error(`${SUITE} is missing: run \`npm run compile-tests\` first (npm test does it).`);
  const mode = await hostMode();
  log(`mode: ${mode}${process.env.CLAUDE_CHAT_TEST_HOST ? ' (CLAUDE_CHAT_TEST_HOST)' : ''}`);
  const results = [];
  if (mode === 'electron') {
    results.push(await runElectron());
  } else {
    const cs = provisionCodeServer();
    const chromium = findChromium();
    if (wanted('in-host')) results.push(await runInHost(cs, chromium, suiteFiles ? { files: suiteFiles } : {}));
    if (wanted('restricted')) results.push(await runRestricted(cs, chromium));
    if (wanted('ui')) results.push(await runUi(cs, chromium));
    mkdirSync(join(OUT, 'screenshots'), { recursive: true });
    if (wanted('start')) results.push(await runStartCheck(cs, chromium, join(OUT, 'screenshots')));
  }
  const passes = results.reduce((a, r) => a + r.passes, 0);
  const failures = results.reduce((a, r) => a + r.failures, 0);
  console.log(`host: ${passes} passed, ${failures} failed`);
  process.exit(failures === 0 && passes > 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  console.log('host: 0 passed, 1 failed');
  process.exit(1);
});
