// claudeChat.modelCapabilities: the user's corrections to the capability table (core/capabilities.ts), read fresh and
// validated; each problem is shown once per session so a typo does not silently change what the chat offers.
import * as vscode from 'vscode';
import { type ModelCapabilities, parseCapabilityOverrides } from '../core/capabilities';
import type { Logger } from '../core/ports';

export const CAPABILITIES_SETTING = 'modelCapabilities';

export function capabilityOverrides(logger: Logger): () => Record<string, Partial<ModelCapabilities>> {
  const warned = new Set<string>();
  return () => {
    const raw = vscode.workspace.getConfiguration('claudeChat').get<unknown>(CAPABILITIES_SETTING);
    const { overrides, problems } = parseCapabilityOverrides(raw);
    for (const p of problems) {
      if (warned.has(p)) continue;
      warned.add(p);
      logger.warn(p);
      void vscode.window.showWarningMessage(`Claude API Chat: ${p}`);
    }
    return overrides;
  };
}
