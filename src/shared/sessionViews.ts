// What the chat view is shown of a long session (issue 16): a turn's checkpoint, a compaction's divider, the context
// meter. Part of the host<->webview protocol (re-exported by protocol.ts); kept apart so the hub stays small.

/** The files an agent turn changed. */
export interface CheckpointView {
  paths: string[];
  /** False when the contents were dropped to stay within the size bound. */
  available: boolean;
}

/** Where a summary replaced the turns before it in the request: a divider in the transcript that expands to it. */
export interface CompactionView {
  id: string;
  /** The divider sits before this turn (when `blockIndex` > 0, part of the turn is summarized too). */
  turnId: string;
  blockIndex: number;
  summary: string;
  /** Turns the summary covers. */
  turns: number;
  reason: 'threshold' | 'manual' | 'overflow';
  model: string;
  /** Written by the API's server-side compaction. */
  server: boolean;
  cost?: number;
  at: number;
}

/** The context meter: tokens in the context against the model's window, split by what they are. */
export interface MeterView {
  model: string;
  tokens: number;
  window?: number;
  /** From the API's usage or count (true), or estimated from characters (false). */
  exact: boolean;
  parts: { system: number; context: number; history: number; tools: number };
  /** Colour changes at this share of the window (claudeChat.contextMeter.warnAt). */
  warnAt: number;
  /** Automatic compaction fires at this share; undefined when it is off. */
  compactAt?: number;
}
