// `npm start`: a VS Code with this extension, for a person to try. Desktop VS Code via @vscode/test-electron when it
// can be downloaded; otherwise a local code-server on 127.0.0.1 whose URL is printed (open it in a browser).
// code-server gets the freshly built .vsix installed like any extension: no development payload and no smoke-test
// driver, so modal dialogs wait for the person instead of confirming themselves. The installed copy's dist/ is a
// link to this folder's dist/, so `npm run watch` plus "Developer: Reload Window" picks up a rebuild.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installVsix, makeProfile, startCodeServer } from './codeServer.mjs';
import { hostMode, packageVsix, provisionAll } from './provision.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Installs the packaged extension into `profile` and points its dist/ at the working tree's. Returns its folder. */
export function installForPerson(cs, profile, vsix) {
  installVsix(cs, profile, vsix);
  const folder = readdirSync(profile.extensions).find((n) => n.startsWith('claude-api-chat.claude-api-chat-'));
  if (!folder) throw new Error(`the .vsix did not install into ${profile.extensions}`);
  const installed = join(profile.extensions, folder);
  rmSync(join(installed, 'dist'), { recursive: true, force: true });
  symlinkSync(join(ROOT, 'dist'), join(installed, 'dist'), 'dir');
  return installed;
}

/** Starts code-server for a person: packaged extension installed, no smoke-test driver. */
export async function startForPerson(cs, { settings = {}, workspaceFiles = {}, log } = {}) {
  const vsix = packageVsix(ROOT);
  const profile = makeProfile({ settings, workspaceFiles });
  installForPerson(cs, profile, vsix);
  const server = await startCodeServer(cs, profile, { smokeDriver: false, log });
  return { server, profile, url: `${server.url}/?folder=${encodeURIComponent(profile.workspace)}` };
}

async function main() {
  if ((await hostMode()) === 'electron') {
    const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
    const exe = await downloadAndUnzipVSCode('stable');
    spawn(exe, [`--extensionDevelopmentPath=${ROOT}`], { stdio: 'inherit', detached: true }).unref();
    return;
  }
  const { cs } = await provisionAll();
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/ is missing: run `npm run build` first.');
  const { server, url, profile } = await startForPerson(cs);
  console.log('VS Code with Claude API Chat installed from a freshly built .vsix:');
  console.log(`  ${url}`);
  console.log(`Profile (settings, extensions, workspace): ${profile.root}`);
  console.log('`npm run watch` in another terminal, then "Developer: Reload Window", picks up a rebuild. Ctrl+C stops.');
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
