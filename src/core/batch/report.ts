// The Markdown report of an ended batch: a summary (model, counts, tokens, cost at the batch price), the
// files that did not succeed with their reasons, then one section per file, headed by a link to the file.
import { addCost, costOf, emptyCostSum, promptTokens, Tokens, ZERO_TOKENS, addTokens, CostSum } from '../usage/cost';
import { formatCostSum, formatCount } from '../../shared/format';
import type { PriceBook } from '../usage/priceBook';
import { redact } from '../redact';
import type { UsageRecord } from '../../shared/usage';
import type { BatchResults, FileResult } from './results';
import type { BatchFileRef, PendingBatch } from './types';

export interface ReportInput {
  pending: Pick<PendingBatch, 'id' | 'model' | 'instruction' | 'created'>;
  results: BatchResults;
  book: PriceBook;
  /** How a file is linked; default its URI (a file: URI opens from the untitled report). */
  link?: (file: BatchFileRef) => string;
}

export interface BatchCost {
  tokens: Tokens;
  /** At the batch price (what is billed). */
  batch: CostSum;
  /** The same tokens at the standard price, for comparison. */
  standard: CostSum;
}

export function batchCost(usage: readonly UsageRecord[], book: PriceBook): BatchCost {
  const out: BatchCost = { tokens: ZERO_TOKENS, batch: emptyCostSum(), standard: emptyCostSum() };
  for (const r of usage) {
    out.tokens = addTokens(out.tokens, r);
    addCost(out.batch, r.model, r, costOf(r.model, r, true, book)?.total);
    addCost(out.standard, r.model, r, costOf(r.model, r, false, book)?.total);
  }
  return out;
}

/** Escapes the characters that would change a path's meaning inside link text or a heading. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);
}

function fileLink(r: FileResult, link: (f: BatchFileRef) => string): string {
  if (!r.file) return `\`${r.customId}\` (not in this batch)`;
  return `[${escapeMarkdown(r.file.label)}](<${link(r.file).replace(/[<>\s]/g, (c) => encodeURIComponent(c))}>)`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

function countsLine(res: BatchResults): string {
  const c = res.counts;
  const parts = (['succeeded', 'errored', 'canceled', 'expired', 'missing'] as const).filter((k) => c[k] > 0).map((k) => `${formatCount(c[k])} ${k === 'missing' ? 'without a result' : k}`);
  return `${plural(res.results.length, 'file')}: ${parts.join(', ') || 'none'}`;
}

function quote(text: string): string {
  return text.split('\n').map((l) => `> ${l}`.trimEnd()).join('\n');
}

/** A file's findings as a list (the same findings go to the Problems panel). */
function findingsLines(r: FileResult): string[] {
  const list = r.findings ?? [];
  const out = list.length ? [] : ['*No problems found.*'];
  for (const f of list) {
    const lines = f.startLine === f.endLine ? `line ${f.startLine}` : `lines ${f.startLine}–${f.endLine}`;
    out.push(`- **${f.severity}** · ${lines}: ${f.message.replace(/\s+/g, ' ').trim()}${f.replacement !== undefined ? ' *(fix offered in the Problems panel)*' : ''}`);
  }
  if (r.malformed) out.push('', `*${formatCount(r.malformed)} finding${r.malformed === 1 ? '' : 's'} did not match the schema and ${r.malformed === 1 ? 'was' : 'were'} dropped.*`);
  return out;
}

export function batchReport(input: ReportInput): string {
  const { pending, results } = input;
  const link = input.link ?? ((f: BatchFileRef) => f.uri);
  const cost = batchCost(results.usage, input.book);
  const out: string[] = [];
  out.push('# Claude batch review', '');
  out.push(quote(pending.instruction.trim()), '');
  out.push(`- **Model:** \`${pending.model}\` (Message Batches, billed at 50%)`);
  out.push(`- **Batch:** \`${pending.id}\`, submitted ${new Date(pending.created).toISOString().replace('T', ' ').slice(0, 16)} UTC`);
  out.push(`- **Files:** ${countsLine(results)}`);
  out.push(`- **Tokens:** ${formatCount(promptTokens(cost.tokens))} input, ${formatCount(cost.tokens.outputTokens)} output`);
  const standard = cost.standard.unknownTokens ? '' : ` (${formatCostSum(cost.standard)} at the standard price)`;
  out.push(`- **Cost:** ${formatCostSum(cost.batch)} at the batch price${standard}`, '');
  const failed = results.results.filter((r) => r.kind !== 'succeeded');
  if (failed.length) {
    out.push(`## Not completed (${formatCount(failed.length)})`, '');
    for (const r of failed) out.push(`- ${fileLink(r, link)}: ${r.reason ?? r.kind}`);
    out.push('', 'Choose **Retry These** in the notification to submit just these files as a new batch.', '');
  }
  for (const r of results.results) {
    out.push('---', '', `## ${fileLink(r, link)}`, '');
    if (r.kind === 'succeeded') {
      if (r.findings) out.push(...findingsLines(r), '');
      else out.push(r.text?.trim() || '*(The answer has no text.)*', '');
      if (r.reason) out.push(`*${r.reason}*`, '');
    } else {
      out.push(`*${r.reason ?? r.kind}*`, '');
    }
  }
  return redact(out.join('\n'), { headerValues: false }); // per-file errors come from the API: an echoed key never reaches the report
}
