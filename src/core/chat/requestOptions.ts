// The per-conversation request options (effort, tool choice, web tools) against what the model accepts (the
// capability table, core/capabilities.ts): what the controls next to the model picker offer, and what a request
// actually sends. A choice the model does not take is kept on the conversation but not sent (switching back to a
// model that takes it restores it).
import type { Conversation } from '../conversation';
import { effortToSend, type ModelCapabilities, toolChoiceOptions } from '../capabilities';
import type { RequestSettings } from '../ports';
import type { ControlsView } from '../../shared/protocol';

export interface OptionsContext {
  caps: ModelCapabilities;
  /** Why the web tools may not be used now (Restricted Mode), or undefined. */
  webBlocked?: string;
  /** Whether the workspace tools are offered (tool choice matters only with some tool). */
  workspaceTools: boolean;
}

function webOn(conv: Conversation, s: RequestSettings): boolean {
  return conv.webTools ?? s.webDefault ?? false;
}

function webUsable(s: RequestSettings, o: OptionsContext): string | undefined {
  if (o.webBlocked) return o.webBlocked;
  if (!o.caps.webSearch && !o.caps.webFetch) return 'This model has no web tools.';
  if (!s.web || (!s.web.search && !s.web.fetch)) return 'Both web tools are off in claudeChat.web.tools.';
  return undefined;
}

export function controlsFor(conv: Conversation, s: RequestSettings, o: OptionsContext): ControlsView {
  const blocked = webUsable(s, o);
  const web = !blocked && webOn(conv, s);
  const options = toolChoiceOptions(o.caps, s.thinking);
  const chosen = conv.toolChoice ?? 'auto';
  const effort: ControlsView['effort'] = { options: [...o.caps.efforts], value: conv.effort ?? 'default' };
  const modelDefault = s.effort && o.caps.efforts.includes(s.effort) ? s.effort : o.caps.defaultEffort;
  if (modelDefault) effort.modelDefault = modelDefault;
  return {
    effort,
    toolChoice: { options, value: options.includes(chosen) ? chosen : 'auto', available: o.workspaceTools || web },
    web: { on: web, available: !blocked, ...(blocked ? { note: blocked } : {}) },
  };
}

/** The settings one request of this conversation goes out with. */
export function withConversationOptions(s: RequestSettings, conv: Conversation, o: OptionsContext): RequestSettings {
  const out: RequestSettings = { ...s };
  const effort = effortToSend(o.caps, conv.effort ?? s.effort);
  if (effort) out.effort = effort;
  else delete out.effort;
  const choice = conv.toolChoice ?? 'auto';
  out.toolChoice = toolChoiceOptions(o.caps, s.thinking).includes(choice) ? choice : 'auto';
  const blocked = webUsable(s, o);
  if (blocked || !webOn(conv, s) || !s.web) delete out.web;
  else out.web = { ...s.web, search: s.web.search && o.caps.webSearch, fetch: s.web.fetch && o.caps.webFetch };
  return out;
}

/** The settings of the open conversation: its model and system prompt, then its request options where caps are known. */
export function conversationSettings(
  s: RequestSettings,
  conv: Conversation,
  capabilities: ((model: string) => ModelCapabilities) | undefined,
  webBlocked: string | undefined,
  workspaceTools: boolean,
): RequestSettings {
  const merged = { ...s, model: conv.model ?? s.model, systemPrompt: conv.systemPrompt ?? s.systemPrompt };
  const caps = capabilities?.(merged.model);
  return caps ? withConversationOptions(merged, conv, { caps, webBlocked, workspaceTools }) : merged;
}
