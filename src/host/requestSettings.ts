// The claudeChat.* settings of the request options: effort, the web tools, cache diagnostics. Read fresh on every call.
// claudeChat.web.enabled turns the web tools on for new conversations; like the base URL it is read from the user's
// own settings only (a repository cannot turn on tools that send its text to the web), and it is declared
// application-scoped in package.json. Restricted Mode turns the web tools off, as it does the workspace tools.
import * as vscode from 'vscode';
import { isEffort } from '../core/capabilities';
import type { RequestSettings } from '../core/ports';
import { clampInt } from '../core/settingRanges';

const SECTION = 'claudeChat';
export const WEB_MAX_USES = { min: 1, max: 20, fallback: 5 };

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function readRequestOptions(): Pick<RequestSettings, 'effort' | 'web' | 'webDefault' | 'cacheDiagnostics'> {
  const c = vscode.workspace.getConfiguration(SECTION);
  const effort = c.get<unknown>('effort');
  const tools = c.get<unknown>('web.tools');
  const which = Array.isArray(tools) ? strings(tools) : ['web_search', 'web_fetch'];
  const enabled = c.inspect<unknown>('web.enabled');
  const out: Pick<RequestSettings, 'effort' | 'web' | 'webDefault' | 'cacheDiagnostics'> = {
    web: {
      search: which.includes('web_search'),
      fetch: which.includes('web_fetch'),
      allowedDomains: strings(c.get<unknown>('web.allowedDomains')),
      blockedDomains: strings(c.get<unknown>('web.blockedDomains')),
      maxUses: clampInt(c.get<unknown>('web.maxUses'), WEB_MAX_USES),
    },
    webDefault: enabled?.globalValue === true,
    cacheDiagnostics: c.get<boolean>('cacheDiagnostics', true) !== false,
  };
  if (isEffort(effort)) out.effort = effort;
  return out;
}

/** Why the web tools are off now, or undefined: they follow the workspace tools in Restricted Mode. */
export function webBlocked(): string | undefined {
  return vscode.workspace.isTrusted ? undefined : 'Web search and fetch are off in Restricted Mode, like the workspace tools. Trust the workspace to use them.';
}

/** Settings whose change alters what the controls next to the model picker offer. */
export const CONTROL_SETTINGS = ['model', 'effort', 'web', 'modelCapabilities', 'thinking', 'tools.enabled'].map((k) => `${SECTION}.${k}`);
