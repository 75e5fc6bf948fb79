// Fakes for the attachment tests: the editor's file port (picker, dragged URIs, open) and the webview's image work
// (a node stand-in for canvas downscaling: it answers with a real, smaller PNG of the size a browser would make).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { limitsFrom, type AttachmentLimits } from '../../../src/core/attachments/limits';
import type { AttachmentDeps, AttachmentFilesPort } from '../../../src/core/attachments/ports';
import { sniff } from '../../../src/core/attachments/sniff';
import type { IncomingFile, Refusal } from '../../../src/core/attachments/types';
import type { HostToWebview, WebviewToHost } from '../../../src/shared/protocol';
import { makePng } from '../../support/media';

export class FakeFiles implements AttachmentFilesPort {
  readonly calls: [string, ...unknown[]][] = [];
  /** What the next pick() returns. */
  picked: (IncomingFile | Refusal)[] = [];
  /** What read() returns per URI. */
  readonly byUri = new Map<string, IncomingFile | Refusal>();

  async pick() {
    this.calls.push(['pick']);
    return this.picked;
  }
  async read(uris: readonly string[]) {
    this.calls.push(['read', [...uris]]);
    return uris.map((u) => this.byUri.get(u) ?? { refused: `"${u}" was not attached: it is not in this workspace.` });
  }
  async open(target: { path: string; uri?: string }) {
    this.calls.push(['open', target]);
  }
  async openPdfAt(path: string, page: number) {
    this.calls.push(['openPdfAt', path, page]);
  }
}

export const TINY_THUMB = `data:image/png;base64,${makePng(4, 3).toString('base64')}`;

/** What the webview answers to prepareImage: the size, a thumbnail, and a smaller PNG when over maxEdge/maxBase64. */
export async function fakePrepare(m: Extract<HostToWebview, { type: 'prepareImage' }>): Promise<Extract<WebviewToHost, { type: 'imagePrepared' }>> {
  const s = sniff(Buffer.from(m.data, 'base64'));
  if (s.kind !== 'image') return { type: 'imagePrepared', requestId: m.requestId, error: 'The source image cannot be decoded.' };
  const { width, height } = s;
  const base = { type: 'imagePrepared' as const, requestId: m.requestId, width, height, thumbnail: TINY_THUMB };
  if (Math.max(width, height) <= m.maxEdge && m.data.length <= m.maxBase64) return base;
  const scale = Math.min(1, m.maxEdge / Math.max(width, height));
  const smaller = makePng(Math.max(1, Math.floor(width * scale)), Math.max(1, Math.floor(height * scale)), () => [90, 90, 90]);
  return { ...base, data: smaller.toString('base64'), mediaType: 'image/png' };
}

export function attachmentDeps(files = new FakeFiles(), limits: () => AttachmentLimits = () => limitsFrom(5, true)): AttachmentDeps & { files: FakeFiles } {
  return { dir: mkdtempSync(join(tmpdir(), 'attachments-')), files, limits };
}
