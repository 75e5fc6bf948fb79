// The vscode.lm message and response parts as plain data, so the mapping to and from the Messages API lives in
// core/ and is tested in plain node. host/lm/convert.ts turns VS Code's part classes into these and back.

/** One part of a message a caller sends (LanguageModelInputPart, plus the proposed parts seen at run time). */
export type LmPart =
  | { kind: 'text'; value: string }
  /** LanguageModelDataPart: an image, JSON, text, or a marker some callers send (e.g. mime `cache_control`). */
  | { kind: 'data'; mimeType: string; data: Uint8Array }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; content: LmPart[]; isError?: boolean }
  /** LanguageModelPromptTsxPart: prompt-tsx JSON only @vscode/prompt-tsx renders; sent as JSON text (lossy). */
  | { kind: 'tsx'; value: unknown }
  /** LanguageModelThinkingPart (proposed): dropped on input; the provider restores its own thinking (thinkingMemory.ts). */
  | { kind: 'thinking'; value: string }
  | { kind: 'unknown' };

/** LanguageModelChatMessageRole: 1 user, 2 assistant, 3 system (proposed `languageModelSystem`; Copilot sends it). */
export type LmRole = 1 | 2 | 3;

export interface LmMessage {
  role: LmRole;
  content: LmPart[];
}

/** LanguageModelChatTool. */
export interface LmTool {
  name: string;
  description: string;
  inputSchema?: unknown;
}

/** What the provider reports back while a reply streams (LanguageModelResponsePart, plus thinking when available). */
export type LmResponsePart =
  | { kind: 'text'; value: string }
  | { kind: 'toolCall'; callId: string; name: string; input: object }
  | { kind: 'thinking'; value: string };

export const ROLE = { user: 1, assistant: 2, system: 3 } as const;
