// Per-conversation request options the chat offers next to the model picker (effort, tool choice, web tools), and the
// cache verdict and web blocks a turn shows. Plain data shared by the engine, the protocol and the webview.

export const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
/** output_config.effort. */
export type Effort = (typeof EFFORTS)[number];

/** tool_choice when tools are offered: auto, none (Off), any (Must use a tool). */
export type ToolChoiceMode = 'auto' | 'none' | 'any';
export const TOOL_CHOICE_MODES: readonly ToolChoiceMode[] = ['auto', 'none', 'any'];

/** What the controls next to the model picker show: only what the chosen model accepts. */
export interface ControlsView {
  effort: {
    /** Levels the model accepts; empty = the model takes no effort parameter (the control is hidden). */
    options: Effort[];
    /** The conversation's choice; 'default' = the claudeChat.effort setting / the model's default. */
    value: Effort | 'default';
    /** What 'default' means for this model. */
    modelDefault?: Effort;
  };
  toolChoice: {
    options: ToolChoiceMode[];
    value: ToolChoiceMode;
    /** False when no tools are offered at all (nothing to choose). */
    available: boolean;
  };
  web: {
    on: boolean;
    /** Web tools may be turned on (not in Restricted Mode, and the model has them). */
    available: boolean;
    /** Why not, when not available. */
    note?: string;
  };
}

export type CacheReason = 'expired' | 'model' | 'tools' | 'system' | 'context' | 'settings' | 'messages' | 'compacted' | 'short' | 'unknown';

/** Whether a request's prefix was read from the prompt cache, and when not, why (core/cacheDoctor.ts). */
export interface CacheView {
  state: 'read' | 'partial' | 'written' | 'miss' | 'uncached';
  reason?: CacheReason;
  /** One sentence for the turn footer. */
  detail: string;
  readTokens: number;
  /** Tokens that could have been read and were not. */
  missedTokens?: number;
}

/** A web search hit or a fetched page, as a card shows it. Untrusted text: rendered as text, links http(s) only. */
export interface SourceView {
  url: string;
  title: string;
  pageAge?: string;
}

/** A web citation in a reply's text: the source it links to and the quoted text. */
export interface WebCitationView {
  url: string;
  title?: string;
  citedText: string;
}
