// The machine packages the browser and host suites need, checked (and, as root with apt, installed) in one place,
// before the first suite that needs them. Anything missing that cannot be installed is named in one message with
// the command that installs it, instead of surfacing later as a launch or native-compile failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const log = (m) => process.stderr.write(`[provision] ${m}\n`);

/** Debian packages per purpose. `chromium` drives the webview and host suites; the rest build code-server's natives. */
export const PACKAGES = {
  browser: ['chromium'],
  codeServer: ['libkrb5-dev', 'build-essential', 'python3'],
};

const hasCommand = (c) => spawnSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' }).status === 0;

/** Whether a Debian package is installed (dpkg's own status, not a guess from files). */
export function isInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && /install ok installed/.test(r.stdout);
}

export function chromiumPath() {
  for (const c of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (c && existsSync(c)) return c;
  }
  return undefined;
}

export class MissingPackagesError extends Error {}

/**
 * Makes sure `wanted` (Debian package names) are present. As root with apt-get: one `apt-get update` and one
 * `apt-get install`. Otherwise throws one message naming what is missing and how to install it.
 * On a machine without dpkg, only Chromium can be checked (by path); the rest is left to the build to report.
 */
export function ensurePackages(wanted) {
  const dpkg = hasCommand('dpkg-query');
  let missing;
  if (dpkg) missing = wanted.filter((p) => !(p === 'chromium' && chromiumPath()) && !isInstalled(p));
  else missing = wanted.includes('chromium') && !chromiumPath() ? ['chromium'] : [];
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && hasCommand('apt-get')) {
    log(`installing Debian packages: ${missing.join(' ')} (apt-get)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    // apt's own output is long; it is shown only when something fails.
    const quiet = { stdio: ['ignore', 'pipe', 'pipe'], env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 };
    const started = Date.now();
    const upd = spawnSync('apt-get', ['update', '-qq'], quiet);
    const inst = upd.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', ...missing], quiet) : upd;
    if (inst.status !== 0) process.stderr.write(`${inst.stdout ?? ''}${inst.stderr ?? ''}`.split('\n').slice(-40).join('\n') + '\n');
    else log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
    const still = missing.filter((p) => (p === 'chromium' ? !chromiumPath() : !isInstalled(p)));
    if (inst.status === 0 && still.length === 0) return;
    throw new MissingPackagesError(`apt-get could not install ${still.join(' ') || missing.join(' ')} (exit ${inst.status}). Install them by hand: apt-get update && apt-get install -y ${missing.join(' ')}`);
  }
  const how = dpkg ? `sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}` : 'install Chromium and set CHROMIUM_PATH to its executable';
  throw new MissingPackagesError(`Missing packages for the browser and host tests: ${missing.join(', ')}. Install them with: ${how}`);
}
