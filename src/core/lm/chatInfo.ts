// /v1/models entries -> LanguageModelChatInformation (as plain data): the real context window and output limit,
// tool calling, and image input where the model has it.
import type { ModelInfo } from '../modelCatalog';
import { fallbackWindow } from '../modelCatalog';
import { effectiveCaps } from './modelCaps';

export interface LmChatInfo {
  id: string;
  name: string;
  family: string;
  version: string;
  tooltip: string;
  detail: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { imageInput: boolean; toolCalling: boolean };
}

const DATE_SUFFIX = /-\d{8}$/;
const DEFAULT_OUTPUT = 8192;

/** The family of a model id: without a snapshot date (claude-opus-4-5-20251101 -> claude-opus-4-5). */
export function familyOf(id: string): string {
  return id.replace(DATE_SUFFIX, '');
}

export function chatInformation(models: readonly ModelInfo[]): LmChatInfo[] {
  const out: LmChatInfo[] = [];
  const seen = new Set<string>();
  for (const m of models) {
    if (!m.id || seen.has(m.id)) continue;
    seen.add(m.id);
    const window = m.contextWindow ?? fallbackWindow(m.id);
    if (!window) continue; // not a model we know how to budget for
    const caps = effectiveCaps(m.id, m.caps);
    const maxOutput = m.maxOutput ?? DEFAULT_OUTPUT;
    out.push({
      id: m.id,
      name: m.displayName || m.id,
      family: familyOf(m.id),
      version: m.id,
      tooltip: `${m.displayName || m.id} through the Anthropic API with your own key (Claude API Chat). Requests are billed to your Anthropic account.`,
      detail: 'Your API key',
      maxInputTokens: window,
      maxOutputTokens: maxOutput,
      capabilities: { imageInput: caps.imageInput, toolCalling: true },
    });
  }
  return out;
}
