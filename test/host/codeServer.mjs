// Starts a real VS Code (code-server) on 127.0.0.1 with a private profile, and Chromium on it via playwright-core.
// Recipe: ../shared/reference/vscode-host-recipe.md.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, writeFileSync, cpSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.enableExperiments': false,
  'npm.fetchOnlinePackageInfo': false,
  'github.gitAuthentication': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'window.restoreWindows': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A private profile: user-data with settings, an extensions dir, a workspace, and a config.yaml. */
export function makeProfile({ settings = {}, workspaceFiles = {}, keep = false } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'claude-chat-host-'));
  const userData = join(root, 'user-data');
  const extensions = join(root, 'extensions');
  const workspace = join(root, 'workspace');
  const home = join(root, 'home');
  for (const d of [join(userData, 'User'), extensions, workspace, home]) mkdirSync(d, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
  for (const [name, text] of Object.entries(workspaceFiles)) {
    mkdirSync(join(workspace, name, '..'), { recursive: true });
    writeFileSync(join(workspace, name), text);
  }
  const config = join(root, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  return { root, userData, extensions, workspace, home, config, keep };
}

function childEnv(profile, extraEnv) {
  const env = { ...process.env };
  delete env.ANTHROPIC_API_KEY; // the tests decide where the key comes from (extraEnv may set it)
  delete env.ANTHROPIC_BASE_URL;
  delete env.VSCODE_IPC_HOOK_CLI;
  return { ...env, HOME: profile.home, EXTENSIONS_GALLERY: '{}', ...extraEnv };
}

export function installVsix(cs, profile, vsixPath) {
  const r = spawnSync(cs.node, [join(cs.dir, 'node_modules/code-server/out/node/entry.js'), '--config', profile.config,
    '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions, '--install-extension', vsixPath],
  { env: childEnv(profile, {}), encoding: 'utf8' });
  if (r.status !== 0 || !/successfully installed/.test(r.stdout)) {
    throw new Error(`installing ${vsixPath} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout.trim();
}

/** `trust`: leave workspace trust on (for a Restricted Mode launch; the profile's settings must enable it too). */
export async function startCodeServer(cs, profile, { smokeDriver = false, env = {}, log = () => {}, trust = false } = {}) {
  const port = await freePort();
  const args = [join(cs.dir, 'node_modules/code-server/out/node/entry.js'), '--config', profile.config, '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--disable-proxy', '--user-data-dir', profile.userData,
    '--extensions-dir', profile.extensions];
  if (smokeDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(profile.workspace);
  const child = spawn(cs.node, args, { env: childEnv(profile, env), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const onData = (d) => {
    const s = d.toString();
    output.push(s);
    log(s);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (${child.exitCode}):\n${output.join('')}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz within 60 s:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await new Promise((r) => child.once('exit', r));
    clearTimeout(t);
  };
  return { url, port, child, output, stop };
}

export async function launchBrowser(cs, chromiumPath) {
  const require = createRequire(join(cs.dir, 'package.json'));
  let playwright;
  try {
    playwright = require('playwright-core');
  } catch {
    playwright = (await import('playwright-core')).default;
  }
  return playwright.chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
}

export function copyLogs(profile, dest) {
  if (!dest) return;
  mkdirSync(dest, { recursive: true });
  const logs = join(profile.userData, 'logs');
  if (existsSync(logs)) cpSync(logs, join(dest, 'vscode-logs'), { recursive: true });
}
