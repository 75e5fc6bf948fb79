// A findings-mode batch's answers into the Problems panel: each file's findings are placed on its current text when
// that text is still what was submitted (same hash); a file changed since then gets none (its findings are counted as
// dropped), since nothing says where their lines went.
import * as vscode from 'vscode';
import { textHash } from '../../core/batch/findings';
import type { FinishedBatch } from '../../core/batch/job';
import { describeDropped, type Dropped, NO_DROPS, placeFindings, type PlacedFinding } from '../../core/review/reconcile';
import { currentText } from '../editor/files';

export interface FindingsSink {
  set(uri: vscode.Uri, placed: readonly PlacedFinding[], doc?: vscode.TextDocument): void;
}

export interface PlacedSummary {
  shown: number;
  files: number;
  dropped: Dropped;
}

export async function placeBatchFindings(finished: FinishedBatch, sink: FindingsSink): Promise<PlacedSummary | undefined> {
  const mode = finished.pending.findings;
  if (!mode) return undefined;
  const sum: PlacedSummary = { shown: 0, files: 0, dropped: { ...NO_DROPS } };
  for (const r of finished.results.results) {
    if (!r.file || !r.findings) continue;
    const uri = vscode.Uri.parse(r.file.uri, true);
    let text: string;
    try {
      text = await currentText(r.file.uri);
    } catch {
      sum.dropped.changed += r.findings.length; // the file is gone
      continue;
    }
    const same = mode.hashes[r.customId] === textHash(text);
    if (!same) {
      sum.dropped.changed += r.findings.length;
      sink.set(uri, []);
      continue;
    }
    const { placed, dropped } = placeFindings(r.findings, r.file.label, text, text, r.malformed ?? 0);
    for (const k of Object.keys(dropped) as (keyof Dropped)[]) sum.dropped[k] += dropped[k];
    sink.set(uri, placed);
    sum.shown += placed.length;
    if (placed.length) sum.files++;
  }
  return sum;
}

export function describePlaced(s: PlacedSummary): string {
  const note = describeDropped(s.dropped);
  const shown = s.shown ? `${s.shown} finding${s.shown === 1 ? '' : 's'} in ${s.files} file${s.files === 1 ? '' : 's'} are in the Problems panel` : 'no findings to show';
  return `${shown}${note ? ` (${note.replace('changed since the review', 'changed since the batch was submitted')})` : ''}`;
}
