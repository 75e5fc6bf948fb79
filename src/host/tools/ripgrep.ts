// Where VS Code keeps its own ripgrep, under vscode.env.appRoot (shared/reference/vscode-lm-and-conventions.md
// §4.1): @vscode/ripgrep-universal/bin/<platform>-<arch>/ since 1.122, @vscode/ripgrep/bin/ before, and the
// same under node_modules.asar.unpacked on desktop builds. Never rg from PATH: a workspace could put one there.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function ripgrepCandidates(appRoot: string, platform: string = process.platform, arch: string = process.arch): string[] {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  const pa = `${platform}-${arch}`;
  const rels = [`@vscode/ripgrep-universal/bin/${pa}/${exe}`, `@vscode/ripgrep/bin/${exe}`, `vscode-ripgrep/bin/${exe}`];
  return rels.flatMap((rel) => [join(appRoot, 'node_modules', rel), join(appRoot, 'node_modules.asar.unpacked', rel)]);
}

/** The first candidate that is a file, or undefined (search_text then uses its worker fallback). */
export function findVsCodeRipgrep(appRoot: string | undefined): string | undefined {
  if (!appRoot) return undefined;
  return ripgrepCandidates(appRoot).find((p) => {
    try {
      return existsSync(p) && statSync(p).isFile();
    } catch {
      return false;
    }
  });
}
