// An environment for nested npm and code-server runs that does not leak the outer `npm test` / `npm start`.
// npm exports its config (npm_config_*), its user agent (which names the outer node, and code-server's postinstall
// refuses node 20 by reading it), lifecycle variables, and PATH entries of its own; a nested `npm install` must not
// see any of them.
import { delimiter } from 'node:path';

export function cleanEnv(base = process.env) {
  const env = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    if (/^npm_/i.test(k)) continue; // npm_config_*, npm_package_*, npm_lifecycle_*, npm_execpath, npm_node_execpath…
    if (k === 'INIT_CWD' || k === 'NODE' || k === 'COLOR') continue;
    env[k] = v;
  }
  // `npm run` prepends <pkg>/node_modules/.bin for every ancestor and its own node-gyp shim directory.
  env.PATH = (base.PATH ?? '')
    .split(delimiter)
    .filter((p) => p && !/node_modules[\\/]\.bin$/.test(p) && !/node-gyp-bin$/.test(p))
    .join(delimiter);
  return env;
}
