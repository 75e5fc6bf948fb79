// The host side of the key route: a modal that names the host before the API key first goes there, the
// remembered answers in globalState (this machine only, never synced, out of a repository's reach), and the
// route itself, built once for every path that sends the key.
import * as vscode from 'vscode';
import type { Endpoint } from '../core/endpoint';
import { ApprovedHosts, HostApproval, KeyRoute } from '../core/keyRoute';
import type { Logger } from '../core/ports';
import { inspectBaseURL, SECTION } from './config';

const APPROVED_KEY = 'claudeChat.approvedKeyHosts';
const MAX_APPROVED = 50;

export class GlobalStateApprovedHosts implements ApprovedHosts {
  constructor(private readonly state: vscode.Memento) {}
  private list(): string[] {
    const v = this.state.get<unknown>(APPROVED_KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }
  has(origin: string): boolean {
    return this.list().includes(origin);
  }
  async add(origin: string): Promise<void> {
    const next = [...this.list().filter((o) => o !== origin), origin].slice(-MAX_APPROVED);
    await this.state.update(APPROVED_KEY, next);
  }
}

export class ModalHostApproval implements HostApproval {
  async confirm(ep: Endpoint): Promise<boolean> {
    const allow = `Send Key to ${ep.hostPort}`;
    const detail =
      `The claudeChat.baseURL setting points at ${ep.baseURL}. Every request to it carries your Anthropic API key` +
      `${ep.loopback ? ' (over plain http, on this machine)' : ''}. Allow this only if you run or trust that server.\n\n` +
      'You are asked once per host; a different host asks again.';
    const choice = await vscode.window.showWarningMessage(`Send your Anthropic API key to ${ep.hostPort}?`, { modal: true, detail }, allow);
    return choice === allow;
  }
}

/**
 * Only when VS Code runs the extension's own test suite (ExtensionMode.Test, never for a user): the modal cannot
 * be answered there (the test workbench refuses message dialogs, so it would always say no), so the in-host tests
 * answer through this object instead, and see which hosts were asked about. The real modal is driven in the
 * packaged-.vsix UI tests (test/host/ui/smoke.test.mjs), the refusal path also in test/unit/core/keyRoute.test.ts.
 */
export class TestHostApproval implements HostApproval {
  answer = true;
  readonly asked: string[] = [];
  async confirm(ep: Endpoint): Promise<boolean> {
    this.asked.push(ep.hostPort);
    return this.answer;
  }
}

export function createKeyRoute(context: vscode.ExtensionContext, logger: Logger): { route: KeyRoute; testApproval?: TestHostApproval; disposable: vscode.Disposable } {
  const testApproval = context.extensionMode === vscode.ExtensionMode.Test ? new TestHostApproval() : undefined;
  const route = new KeyRoute({
    approval: testApproval ?? new ModalHostApproval(),
    approved: new GlobalStateApprovedHosts(context.globalState),
    setting: inspectBaseURL,
    logger,
  });
  const disposable = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${SECTION}.baseURL`)) route.resetDeclined();
  });
  return { route, testApproval, disposable };
}
