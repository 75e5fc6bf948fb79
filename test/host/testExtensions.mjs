// The small test extensions of test/extensions/ (a vscode.lm consumer, a tool provider) as .vsix files, and the test
// MCP server's workspace config. The test payload takes one development extension (the extension under test), so
// these are installed into the profile instead (reference vscode-lm-and-conventions.md §1.7).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_EXTENSIONS = ['lm-consumer', 'lm-tools'];

/** Packages test/extensions/<name> (its package.json + the compiled out/test/extensions/<name>/*.js). */
export function packageTestExtension(root, name) {
  const built = join(root, 'out', 'test', 'extensions', name);
  if (!existsSync(join(built, 'extension.js'))) throw new Error(`${built}/extension.js is missing: run \`npm run compile-tests\` first`);
  const stage = mkdtempSync(join(tmpdir(), `claude-test-ext-${name}-`));
  copyFileSync(join(root, 'test', 'extensions', name, 'package.json'), join(stage, 'package.json'));
  for (const f of readdirSync(built)) if (f.endsWith('.js')) copyFileSync(join(built, f), join(stage, f));
  const vsix = join(stage, `${name}.vsix`);
  const vsce = join(root, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: stage, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(vsix)) throw new Error(`packaging the test extension ${name} failed:\n${r.stdout}\n${r.stderr}`);
  return vsix;
}

/** `.vscode/mcp.json` for the test workspace: the stdio server "calc" run by the given node. */
export function mcpConfig(root, node) {
  const server = join(root, 'test', 'extensions', 'mcp-server', 'server.mjs');
  return JSON.stringify({ servers: { calc: { type: 'stdio', command: node, args: [server] } } }, null, 2);
}
