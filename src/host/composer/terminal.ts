// @terminal: the last command's output in the active terminal. VS Code 1.139 has no finalized API to read what a
// terminal shows; the finalized shell-integration API (1.93) streams each command's output from the moment the
// command starts (TerminalShellExecution.read()), so this keeps the newest command of each terminal as it runs,
// bounded to the last 32 KB, in memory only. It needs shell integration in that terminal (bash, zsh, fish, pwsh
// with VS Code's injection); without it there is nothing to read, and the mention says so.
import * as vscode from 'vscode';
import type { Outcome, TerminalOutput } from '../../core/composer/ports';
import { lastChars, plainTerminalText } from '../../core/composer/terminalText';
import { DisposableStore } from '../../core/lifecycle';

export const MAX_TERMINAL_CHARS = 32 * 1024;
/** Seen in 1.139: output is handed over in 50 ms batches, and the last batch of a command that ends sooner is dropped. */
const NO_OUTPUT = '[No output reached Claude API Chat: the command printed nothing, or it ended within about 50 ms (VS Code then does not hand its output to extensions). Run it again with more time, or paste the output.]';

interface Capture {
  command?: string;
  raw: string;
  exitCode?: number;
  running: boolean;
}

export class TerminalCapture implements vscode.Disposable {
  private readonly last = new WeakMap<vscode.Terminal, Capture>();
  private readonly byExecution = new WeakMap<vscode.TerminalShellExecution, Capture>();
  private readonly store = new DisposableStore();

  constructor() {
    this.store.add(vscode.window.onDidStartTerminalShellExecution((e) => void this.capture(e.terminal, e.execution)));
    this.store.add(
      vscode.window.onDidEndTerminalShellExecution((e) => {
        const c = this.byExecution.get(e.execution);
        if (c) c.exitCode = e.exitCode;
      }),
    );
  }

  private async capture(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    const c: Capture = { command: execution.commandLine?.value || undefined, raw: '', running: true };
    this.last.set(terminal, c);
    this.byExecution.set(execution, c);
    try {
      for await (const data of execution.read()) {
        c.raw = lastChars(c.raw + data, MAX_TERMINAL_CHARS * 2);
      }
    } catch {
      // the terminal closed while reading: keep what came
    } finally {
      c.running = false;
    }
  }

  output(): Outcome<TerminalOutput> {
    const t = vscode.window.activeTerminal;
    if (!t) return { ok: false, message: 'no terminal is open.' };
    const c = this.last.get(t);
    if (!c) {
      return {
        ok: false,
        message: t.shellIntegration
          ? `no command has run in "${t.name}" since Claude API Chat started. Run it again, then mention @terminal.`
          : `"${t.name}" has no shell integration, so VS Code cannot hand over its output (it works in bash, zsh, fish and PowerShell with terminal.integrated.shellIntegration.enabled). Copy the output into the message instead.`,
      };
    }
    let output = lastChars(plainTerminalText(c.raw), MAX_TERMINAL_CHARS);
    if (!c.running && !output.trim()) output = NO_OUTPUT;
    return { ok: true, value: { name: t.name, command: c.command, exitCode: c.running ? undefined : c.exitCode, output: c.running ? `${output}\n[still running]` : output } };
  }

  dispose(): void {
    this.store.dispose();
  }
}
