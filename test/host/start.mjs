// `npm start`: a VS Code with this extension loaded from source. Desktop VS Code via @vscode/test-electron when it
// can be downloaded; otherwise a local code-server on 127.0.0.1 whose URL is printed (open it in a browser).
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeProfile, startCodeServer } from './codeServer.mjs';
import { canDownloadVsCode, provisionCodeServer } from './provision.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

if (process.env.CLAUDE_CHAT_TEST_HOST !== 'code-server' && (await canDownloadVsCode())) {
  const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  const exe = await downloadAndUnzipVSCode('stable');
  spawn(exe, [`--extensionDevelopmentPath=${ROOT}`], { stdio: 'inherit', detached: true }).unref();
} else {
  const cs = provisionCodeServer();
  const profile = makeProfile();
  const server = await startCodeServer(cs, profile, { smokeDriver: true });
  const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${ROOT}`], ['skipWelcome', 'true']];
  console.log(`VS Code with Claude API Chat loaded from ${ROOT}:`);
  console.log(`  ${server.url}/?folder=${encodeURIComponent(profile.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  console.log('Press Ctrl+C to stop.');
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
