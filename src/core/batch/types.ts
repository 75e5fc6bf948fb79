// The data of one Message Batches review, shared by the pure steps (plan, poll, results, report, store).

/** A file in a batch: its workspace-relative label and document URI, keyed elsewhere by custom_id. */
export interface BatchFileRef {
  label: string;
  uri: string;
}

/** A file read for a batch: what the request is built from. */
export interface BatchFileInput extends BatchFileRef {
  customId: string;
  languageId?: string;
  text: string;
}

/** A submitted batch that has not been reported yet: persisted so polling survives a window reload. */
export interface PendingBatch {
  /** msgbatch_… */
  id: string;
  /** Epoch ms when it was submitted. */
  created: number;
  model: string;
  instruction: string;
  maxTokens: number;
  /** The API base URL it was submitted to ('' = the SDK's default): its id only exists there. */
  baseURL: string;
  /** Which workspace submitted it (so another window does not pick it up); '' outside a workspace. */
  workspace: string;
  /** custom_id -> file, in submission order. */
  files: Record<string, BatchFileRef>;
  /** Set when the answers are findings for the Problems panel (core/review): how they come back, and each file's hash. */
  findings?: BatchFindings;
}

/** The findings mode of a batch. */
export interface BatchFindings {
  /** Structured output, or the report_findings tool (forced or offered). */
  mode: 'format' | 'tool-forced' | 'tool-auto';
  /** custom_id -> SHA-256 (hex, 16 chars) of the file's text as submitted: a file changed since then loses its findings. */
  hashes: Record<string, string>;
}

/** The request counts the API reports while a batch runs. */
export interface BatchCounts {
  processing: number;
  succeeded: number;
  errored: number;
  canceled: number;
  expired: number;
}

