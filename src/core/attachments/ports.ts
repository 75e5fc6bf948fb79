// How the attachments reach the editor (host/attachments/ implements these with the VS Code API).
import type { AttachmentLimits } from './limits';
import type { IncomingFile, Refusal } from './types';

export interface AttachmentFilesPort {
  /** The attach button: a file picker for images and PDFs; the chosen files read (or refused: too large, unreadable). */
  pick(): Promise<(IncomingFile | Refusal)[]>;
  /**
   * Files dragged from VS Code (explorer, editor tabs), by URI. The URIs come from the webview, so only files inside
   * a workspace folder (by real path, symlinks resolved) are read.
   */
  read(uris: readonly string[]): Promise<(IncomingFile | Refusal)[]>;
  /** Opens an attachment in an editor tab: its source file when it still exists, else the stored copy at `path`. */
  open(target: { path: string; uri?: string }): Promise<void>;
  /** Opens a stored PDF at a page, outside the editor (a browser or the system's viewer). */
  openPdfAt(path: string, page: number): Promise<void>;
}

export interface AttachmentDeps {
  /** Folder of the attachment store (one subfolder per conversation). */
  dir: string;
  files: AttachmentFilesPort;
  /** Read fresh on every use (claudeChat.attachments.*). */
  limits: () => AttachmentLimits;
}
