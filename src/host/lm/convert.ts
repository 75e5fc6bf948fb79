// VS Code's language model part classes <-> the plain parts of core/lm/parts.ts. Only finalized classes are used;
// the proposed LanguageModelThinkingPart is looked up at run time and used only when VS Code has it.
import * as vscode from 'vscode';
import type { LmMessage, LmPart, LmResponsePart, LmRole, LmTool } from '../../core/lm/parts';

type ThinkingCtor = new (value: string) => unknown;

/** The proposed LanguageModelThinkingPart class, if this VS Code has it (reporting one needs no proposal check). */
function thinkingClass(): ThinkingCtor | undefined {
  const c = (vscode as unknown as Record<string, unknown>).LanguageModelThinkingPart;
  return typeof c === 'function' ? (c as ThinkingCtor) : undefined;
}

export function toLmPart(p: unknown): LmPart {
  if (p instanceof vscode.LanguageModelTextPart) return { kind: 'text', value: p.value };
  if (p instanceof vscode.LanguageModelDataPart) return { kind: 'data', mimeType: p.mimeType, data: p.data };
  if (p instanceof vscode.LanguageModelToolCallPart) return { kind: 'toolCall', callId: p.callId, name: p.name, input: p.input };
  if (p instanceof vscode.LanguageModelToolResultPart) {
    return { kind: 'toolResult', callId: p.callId, content: p.content.map(toLmPart) };
  }
  if (p instanceof vscode.LanguageModelPromptTsxPart) return { kind: 'tsx', value: p.value };
  const Thinking = thinkingClass();
  if (Thinking && p instanceof Thinking) return { kind: 'thinking', value: String((p as { value?: unknown }).value ?? '') };
  return { kind: 'unknown' };
}

export function toLmMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): LmMessage[] {
  return messages.map((m) => ({ role: (m.role === 1 || m.role === 2 || (m.role as number) === 3 ? m.role : 1) as LmRole, content: m.content.map(toLmPart) }));
}

export function toLmTools(tools: readonly vscode.LanguageModelChatTool[] | undefined): LmTool[] {
  return (tools ?? []).map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
}

/** A response part as VS Code's class; thinking only where the class exists (else left out). */
export function toResponsePart(p: LmResponsePart): vscode.LanguageModelResponsePart | undefined {
  switch (p.kind) {
    case 'text':
      return new vscode.LanguageModelTextPart(p.value);
    case 'toolCall':
      return new vscode.LanguageModelToolCallPart(p.callId, p.name, p.input);
    case 'thinking': {
      const Thinking = thinkingClass();
      return Thinking ? (new Thinking(p.value) as vscode.LanguageModelResponsePart) : undefined;
    }
  }
}

/** The text of a token-count request, for the estimate: text, tool inputs and results, JSON of the rest. */
export function countText(input: string | vscode.LanguageModelChatRequestMessage): string {
  if (typeof input === 'string') return input;
  return input.content.map((p) => partText(toLmPart(p))).join('\n');
}

function partText(p: LmPart): string {
  switch (p.kind) {
    case 'text':
    case 'thinking':
      return p.value;
    case 'toolCall':
      return `${p.name} ${safeJson(p.input)}`;
    case 'toolResult':
      return p.content.map(partText).join('\n');
    case 'tsx':
      return safeJson(p.value);
    case 'data':
      return p.mimeType.startsWith('image/') ? ' '.repeat(6000) : new TextDecoder().decode(p.data.subarray(0, 400_000)); // ~1,500 tokens per image
    case 'unknown':
      return '';
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}
