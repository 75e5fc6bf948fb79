// The caller gate's questions in VS Code: a modal per calling extension (Allow / Allow once / Deny), the answers in
// globalState (this machine, out of a repository's reach), and the command that lists and revokes them.
import * as vscode from 'vscode';
import { CallerConsent, MapConsentStore, UNKNOWN_CALLER, type Caller, type ConsentAnswer, type ConsentAsker } from '../../core/lm/consent';

const STATE_KEY = 'claudeChat.providerCallers';

export const CONSENT_LABELS = { allow: 'Allow', once: 'Allow Once', deny: 'Deny' } as const;

/** Who asked, for the question: the extension's display name and id, VS Code itself, or "an unnamed extension". */
export function callerOf(requestInitiator: unknown): Caller {
  if (typeof requestInitiator !== 'string' || !requestInitiator.trim()) return { id: UNKNOWN_CALLER, label: 'An extension VS Code did not name' };
  const id = requestInitiator.trim().slice(0, 200);
  if (id === 'core') return { id, label: 'VS Code (its chat or model picker)' };
  const name = (vscode.extensions.getExtension(id)?.packageJSON as { displayName?: unknown } | undefined)?.displayName;
  return { id, label: typeof name === 'string' && name.trim() ? `${name.trim().slice(0, 100)} (${id})` : id };
}

export class ModalConsentAsker implements ConsentAsker {
  async ask(caller: Caller): Promise<ConsentAnswer | undefined> {
    const detail =
      'Each request it sends goes to the Anthropic API with your key and is billed to your account; it shows in the Claude usage counter. ' +
      '"Allow" and "Deny" are remembered; change them with "Claude: Manage Extension Access to Claude".';
    const choice = await vscode.window.showWarningMessage(`Allow ${caller.label} to use Claude with your API key?`, { modal: true, detail }, CONSENT_LABELS.allow, CONSENT_LABELS.once, CONSENT_LABELS.deny);
    return choice === CONSENT_LABELS.allow ? 'allow' : choice === CONSENT_LABELS.once ? 'once' : choice === CONSENT_LABELS.deny ? 'deny' : undefined;
  }
}

/**
 * Only in the extension's own tests (ExtensionMode.Test): the test workbench refuses message dialogs, so the
 * in-host tests answer here and see who was asked. The real modal is driven in the packaged-.vsix UI tests.
 */
export class TestConsentAsker implements ConsentAsker {
  answer: ConsentAnswer | undefined = 'allow';
  readonly asked: string[] = [];
  async ask(caller: Caller): Promise<ConsentAnswer | undefined> {
    this.asked.push(caller.id);
    return this.answer;
  }
}

export function createConsent(context: vscode.ExtensionContext): { consent: CallerConsent; testAsker?: TestConsentAsker } {
  const testAsker = context.extensionMode === vscode.ExtensionMode.Test ? new TestConsentAsker() : undefined;
  const store = new MapConsentStore(() => context.globalState.get<unknown>(STATE_KEY), (v) => Promise.resolve(context.globalState.update(STATE_KEY, v)));
  return { consent: new CallerConsent(store, testAsker ?? new ModalConsentAsker(), context.extension.id), testAsker };
}

/** "Claude: Manage Extension Access to Claude": every remembered answer, and revoking one. */
export async function manageCallerAccess(consent: CallerConsent): Promise<void> {
  const entries = consent.remembered();
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('No extension has asked to use Claude with your API key yet. The first request from each one asks you.');
    return;
  }
  const items = entries.map(([id, v]) => ({ label: callerOf(id).label, description: v === 'allow' ? 'allowed' : 'denied', detail: 'Select to forget this answer: the next request asks again.', id }));
  const pick = await vscode.window.showQuickPick(items, { title: 'Extensions that may use Claude with your API key', placeHolder: 'Select one to revoke its answer', matchOnDescription: true });
  if (!pick) return;
  await consent.revoke(pick.id);
  void vscode.window.showInformationMessage(`Forgot the answer for ${pick.label}: its next request asks again.`);
}
