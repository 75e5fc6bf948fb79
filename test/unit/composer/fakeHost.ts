// A ComposerHost in plain node: the tools' NodePort over a real temp workspace (real files, real symlinks, the dev
// dependency's ripgrep), and scriptable fakes for what only the editor has (symbols, terminal, git, modal answers).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ComposerHost, ComposerSettings, GitChanges, Outcome, SymbolBody, SymbolHit, TerminalOutput } from '../../../src/core/composer/ports';
import { DEFAULT_INSTRUCTION_SETTINGS } from '../../../src/core/composer/instructions';
import { Emitter } from '../../../src/core/lifecycle';
import { NodePort } from '../tools/nodePort';

export class FakeComposerHost implements ComposerHost {
  readonly workspace: NodePort;
  readonly logger = { info: (m: string) => this.logs.push(m), warn: (m: string) => this.logs.push(m), error: (m: string) => this.logs.push(m) };
  readonly logs: string[] = [];
  isTrusted = true;
  settingsValue: ComposerSettings = {
    instructions: { ...DEFAULT_INSTRUCTION_SETTINGS },
    commands: { promptFiles: true, claudeCommands: true },
    maxFileBytes: 256 * 1024,
    confirmTokens: 50_000,
  };
  readonly repoChanged = new Emitter<void>();
  readonly filesChanged = new Emitter<void>();
  readonly onDidChangeRepoFiles = this.repoChanged.event;
  readonly onDidChangeFiles = this.filesChanged.event;
  symbolHits: SymbolHit[] = [];
  bodies = new Map<string, SymbolBody>();
  terminalOutcome: Outcome<TerminalOutput> = { ok: false, message: 'no terminal is open.' };
  gitOutcome: Outcome<GitChanges> = { ok: false, message: 'Git is turned off in this window (the git.enabled setting is false).' };
  confirmAnswers: boolean[] = [];
  readonly confirms: string[] = [];
  readonly refactors: string[] = [];
  compact?: () => Promise<void>;

  constructor(readonly root: string) {
    this.workspace = NodePort.single(root);
  }

  trusted(): boolean {
    return this.isTrusted;
  }
  settings(): ComposerSettings {
    return this.settingsValue;
  }
  uriOf(path: string): string {
    return `file://${path}`;
  }
  async symbols(query: string): Promise<SymbolHit[]> {
    return this.symbolHits.filter((s) => s.name.toLowerCase().includes(query.toLowerCase()));
  }
  async symbolBody(hit: SymbolHit): Promise<SymbolBody | undefined> {
    return this.bodies.get(hit.name);
  }
  async terminal(): Promise<Outcome<TerminalOutput>> {
    return this.terminalOutcome;
  }
  async git(): Promise<Outcome<GitChanges>> {
    return this.gitOutcome;
  }
  async confirm(message: string): Promise<boolean> {
    this.confirms.push(message);
    return this.confirmAnswers.shift() ?? false;
  }
  async refactor(instruction: string): Promise<void> {
    this.refactors.push(instruction);
  }
  costSummary(): string {
    return 'This session: $0.01 for 1 request';
  }
}

/** A temp workspace `ws` (with the files given) next to an `outside` folder; `cleanup` removes both. */
export function tempWorkspace(files: Record<string, string | Buffer> = {}): { tmp: string; ws: string; outside: string; write(rel: string, text: string | Buffer): string; cleanup(): void } {
  const tmp = mkdtempSync(join(tmpdir(), 'composer-'));
  const ws = join(tmp, 'ws');
  const outside = join(tmp, 'outside');
  mkdirSync(ws, { recursive: true });
  mkdirSync(outside, { recursive: true });
  const write = (rel: string, text: string | Buffer) => {
    const p = join(ws, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { tmp, ws, outside, write, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}
