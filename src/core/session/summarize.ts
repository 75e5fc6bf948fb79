// Client-side compaction: the turns to summarize become a plain-text transcript, which a cheap model
// (claudeChat.compaction.model) summarizes. When the transcript does not fit that model's window in one request, it
// is cut into chunks summarized one after another, each with the summary so far, so compaction never fails for lack
// of room; a chunk the API still calls too long is halved and tried again (bounded).
import type { Attachment } from '../attachments/types';
import type { Turn } from '../conversation';
import { isAbortError } from '../errors';
import { isRetryable, retryDelayMs } from '../retry';
import type { AnthropicClient } from '../sdk';
import type { Clock } from '../ports';

export const SUMMARY_MAX_TOKENS = 2048;
/** Characters per token when sizing chunks: conservative (real tokenizers give 3–4 for code and prose). */
const CHARS_PER_TOKEN_SAFE = 3;
/** Of a tool result, the transcript keeps the head and the tail. */
const RESULT_HEAD = 1500;
const RESULT_TAIL = 400;
const MAX_CHUNKS = 400;
const MAX_SPLITS = 4;
const MAX_ATTEMPTS = 3;

export const SUMMARIZER_SYSTEM =
  "You write the running summary of a conversation between a user and Claude, an AI assistant working in the user's code editor with workspace tools. " +
  'The summary replaces the conversation in Claude\'s context, so keep everything Claude needs to continue: the user\'s goals, requests and constraints; ' +
  'decisions and their reasons; files read or changed (with paths) and what changed in them; important facts, names, errors and results; the current task and next steps. ' +
  'Leave out pleasantries and anything superseded. Write concise Markdown bullet points, at most about 600 words. Output only the summary.';

function clip(text: string): string {
  if (text.length <= RESULT_HEAD + RESULT_TAIL + 100) return text;
  return `${text.slice(0, RESULT_HEAD)}\n… (${(text.length - RESULT_HEAD - RESULT_TAIL).toLocaleString('en-US')} characters left out) …\n${text.slice(-RESULT_TAIL)}`;
}

/** The images and PDFs a message carried, by name (the summarizer gets the transcript as text, not the files). */
function attached(atts: readonly Attachment[] | undefined): string {
  return atts?.length ? `\n[attached: ${atts.map((a) => `${a.name} (${a.mediaType === 'application/pdf' ? 'PDF' : 'image'})`).join(', ')}]` : '';
}

/** One turn (from block `from` to block `to`) as transcript text. */
export function turnTranscript(t: Turn, from = 0, to = t.blocks.length): string {
  const out: string[] = [from === 0 ? `## User\n${t.userText}${attached(t.attachments)}` : '## User (continued: the request above)'];
  const names = new Map(t.blocks.filter((b) => b.kind === 'tool_use').map((b) => [b.toolId, b.toolName ?? 'tool']));
  let speaker = '';
  for (const b of t.blocks.slice(from, to)) {
    if (b.kind === 'thinking' || b.kind === 'redacted_thinking') continue;
    if (b.kind !== 'tool_result' && speaker !== 'assistant') {
      out.push('## Assistant');
      speaker = 'assistant';
    }
    if (b.kind === 'text' && b.text.trim()) out.push(b.text);
    else if (b.kind === 'tool_use') out.push(`[tool call: ${b.toolName ?? 'tool'} ${JSON.stringify(b.input ?? {})}]`);
    else if (b.kind === 'tool_result') {
      speaker = 'tool';
      const name = names.get(b.toolId) ?? 'tool';
      out.push(b.cleared ? `[tool result of ${name}: cleared earlier]` : `[tool result of ${name}${b.isError ? ' (error)' : ''}:\n${clip(b.text)}${attached(b.attachments)}\n]`);
    }
  }
  return out.join('\n\n');
}

/** Transcript pieces, each at most `maxChars` (a longer turn is cut). */
export function pieces(texts: readonly string[], maxChars: number): string[] {
  const out: string[] = [];
  for (const t of texts) for (let i = 0; i < t.length; i += maxChars) out.push(t.slice(i, i + maxChars));
  return out;
}

/** Packs pieces into chunks of at most `maxChars`, in order. */
export function chunk(parts: readonly string[], maxChars: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const p of parts) {
    if (cur && cur.length + p.length + 2 > maxChars) {
      out.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n\n${p}` : p;
  }
  if (cur) out.push(cur);
  return out;
}

export interface SummarizeDeps {
  client(): Promise<AnthropicClient>;
  model: string;
  /** The summarizer model's context window. */
  window: number;
  signal: AbortSignal;
  clock: Clock;
  /** Each response's usage, for the usage counter and the compaction's cost. */
  record(apiUsage: Record<string, unknown>): void;
}

export interface SummaryResult {
  summary: string;
  requests: number;
}

/** The characters one request may carry: half the window for the transcript, the rest for the summaries and slack. */
export function chunkChars(window: number): number {
  return Math.max(2000, Math.floor((window * 0.5 - SUMMARY_MAX_TOKENS * 2 - 1000) * CHARS_PER_TOKEN_SAFE));
}

export async function summarizeChunked(previous: string | undefined, transcript: readonly string[], d: SummarizeDeps): Promise<SummaryResult> {
  const max = chunkChars(d.window);
  const chunks = chunk(pieces(transcript, max), max).slice(-MAX_CHUNKS);
  let summary = previous;
  let requests = 0;
  const step = async (text: string, depth: number, label: string): Promise<void> => {
    try {
      requests++;
      summary = await summarizeOnce(summary, text, label, d);
    } catch (e) {
      if (!isTooLong(e) || depth >= MAX_SPLITS || text.length < 200) throw e;
      const half = Math.ceil(text.length / 2);
      await step(text.slice(0, half), depth + 1, `${label}a`);
      await step(text.slice(half), depth + 1, `${label}b`);
    }
  };
  for (let i = 0; i < chunks.length; i++) await step(chunks[i], 0, `${i + 1} of ${chunks.length}`);
  return { summary: summary ?? '', requests };
}

function isTooLong(e: unknown): boolean {
  const err = e as { status?: number; error?: { error?: { message?: string } } };
  return err?.status === 400 && /prompt is too long/i.test(err.error?.error?.message ?? '');
}

async function summarizeOnce(previous: string | undefined, part: string, label: string, d: SummarizeDeps): Promise<string> {
  const prompt = [
    previous ? `<previous-summary>\n${previous}\n</previous-summary>` : '',
    `<conversation-part ${label}>\n${part}\n</conversation-part>`,
    previous ? 'Write the updated summary of the whole conversation so far: the previous summary plus this part.' : 'Write the summary of this conversation.',
  ].filter(Boolean).join('\n\n');
  for (let attempt = 1; ; attempt++) {
    try {
      const client = await d.client();
      const r = await client.messages.create(
        { model: d.model, max_tokens: SUMMARY_MAX_TOKENS, system: SUMMARIZER_SYSTEM, messages: [{ role: 'user', content: prompt }] },
        { signal: d.signal },
      );
      d.record({ ...r.usage });
      const text = r.content.map((b) => (b.type === 'text' ? b.text : '')).join('').trim();
      if (!text) throw new Error('the summarizer returned no text');
      return text.slice(0, SUMMARY_MAX_TOKENS * 8);
    } catch (e) {
      if (isAbortError(e) || d.signal.aborted || !isRetryable(e) || attempt >= MAX_ATTEMPTS) throw e;
      await d.clock.sleep(Math.min(10_000, retryDelayMs(e, attempt - 1, d.clock.now())), d.signal);
    }
  }
}
