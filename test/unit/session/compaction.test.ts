// Compaction against the fake API through the real SDK: at the threshold and on demand, chunked summaries of a
// history too big for the summarizer, the API's own compaction where the model takes it, and what survives in the
// cache. Every request must be one the fake accepts: a refused request would end a turn in error.
import * as assert from 'node:assert/strict';
import type { ChatSession } from '../../../src/core/chatSession';
import { toMarkdown } from '../../../src/core/exportMarkdown';
import type { RequestSettings } from '../../../src/core/ports';
import type { SessionEvent } from '../../../src/shared/protocol';
import { DEFAULT_TEST_KEY, FakeApi, ScriptedReply, startFakeApi } from '../../fake-api/server';
import { prefixBlocks } from '../../fake-api/tokenizer';
import { FakeClock, Recorder, recordedSession } from '../core/helpers';
import { bodyOf, chatRequests, promptOf, requestText, scripted, summaryRequests } from './helpers';

const WINDOWS: Record<string, number> = { 'claude-small-test': 8000, 'claude-tiny-summarizer': 3000, 'claude-opus-5-5': 20_000, 'claude-sonnet-5-5': 30_000 };
const SYSTEM = 'You are a careful coding assistant. ' + 'Follow the project rules. '.repeat(60);

function start(api: FakeApi, settings: Partial<RequestSettings> & { session?: Record<string, unknown> } = {}): { session: ChatSession; rec: Recorder; settings: RequestSettings } {
  const s: RequestSettings = { model: 'claude-small-test', maxTokens: 1024, baseURL: api.url, maxAttempts: 1, systemPrompt: SYSTEM, ...settings };
  const { session, rec } = recordedSession({
    apiKey: async () => DEFAULT_TEST_KEY,
    settings: () => s,
    clock: new FakeClock(),
    contextWindow: (m) => WINDOWS[m] ?? 1_000_000,
  });
  return { session, rec, settings: s };
}

const of = <K extends SessionEvent['type']>(rec: Recorder, type: K) => rec.events.filter((e): e is Extract<SessionEvent, { type: K }> => e.type === type);
const notices = (rec: Recorder) => of(rec, 'notice').map((n) => n.message);

/** Sends `n` turns (each question and answer `size` characters); stops early at a turn that ends in error. */
async function chatTurns(session: ChatSession, chat: ScriptedReply[], n: number, size = 1200, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) {
    chat.push({ kind: 'text', text: `answer ${i} ` + 'z'.repeat(size) });
    await session.send(`question ${i} ` + 'y'.repeat(size));
    if (session.history.at(-1)?.status === 'error') {
      chat.pop();
      return;
    }
  }
}

describe('Compaction (against the fake API)', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      models: [
        { id: 'claude-small-test', max_input_tokens: WINDOWS['claude-small-test'], max_tokens: 4096, created_at: '2025-01-01T00:00:00Z' },
        { id: 'claude-tiny-summarizer', max_input_tokens: WINDOWS['claude-tiny-summarizer'], max_tokens: 4096 },
        { id: 'claude-opus-5-5', max_input_tokens: WINDOWS['claude-opus-5-5'] },
        { id: 'claude-sonnet-5-5', max_input_tokens: WINDOWS['claude-sonnet-5-5'] },
      ],
    });
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('at the threshold: older turns become a summary; the next request is valid and smaller; a divider and a notice with the cost', async () => {
    const s = scripted(api);
    const { session, rec } = start(api);
    await chatTurns(session, s.chat, 14);
    assert.ok(rec.ended.every((t) => t.status === 'complete'), `no request refused: ${rec.ended.map((t) => t.error?.message).filter(Boolean).join('; ')}`);
    const compacted = of(rec, 'compacted');
    assert.ok(compacted.length >= 1, 'compacted');
    assert.equal(compacted[0].compaction.reason, 'threshold');
    assert.equal(compacted[0].compaction.model, 'claude-haiku-5-5', 'summarized by the cheap model (no server-side compaction here)');
    assert.ok(summaryRequests(api).every((r) => bodyOf(r).model === 'claude-haiku-5-5'));
    const n = notices(rec).find((m) => m.startsWith('Compacted'))!;
    assert.match(n, /because the context passed the compaction threshold: \d+ earlier turns are now a summary, written by claude-haiku-5-5; cost \$0\.\d{4}\. The request went from about [\d,]+ to [\d,]+ tokens/);
    const chats = chatRequests(api);
    const first = chats.findIndex((r) => requestText(r).includes('conversation-summary'));
    assert.ok(first > 0);
    assert.ok(promptOf(chats[first]) < promptOf(chats[first - 1]) * 0.8, `smaller: ${promptOf(chats[first])} after ${promptOf(chats[first - 1])}`);
    assert.doesNotMatch(requestText(chats.at(-1)!), /question 0 /, 'the oldest turn is no longer sent');
    assert.match(requestText(chats.at(-1)!), /question 13 /, 'the newest turn is');
    assert.equal(session.history.length, 14, 'the full history stays');
    // The cache doctor (issue 18) is told: the miss right after the compaction is named as its cause, not a fault.
    const reasons = session.history.map((t) => t.cache?.reason);
    assert.equal(reasons.filter((r) => r === 'compacted').length, 1, JSON.stringify(reasons));
    assert.ok(!reasons.includes('messages') && !reasons.includes('unknown'), JSON.stringify(reasons));
    assert.ok(chats.every((r) => promptOf(r) <= WINDOWS['claude-small-test']));
    const md = toMarkdown(session.conversation);
    assert.match(md, /Compacted here/);
    assert.match(md, /question 0 /, 'the export keeps every turn');
    const usage = rec.events.filter((e) => e.type === 'usage').map((e) => (e as { record: { kind: string; model: string } }).record);
    assert.ok(usage.some((u) => u.kind === 'compaction' && u.model === 'claude-haiku-5-5'), 'the summary request is in the usage like any other');
  });

  it('on demand (/compact): summarizes all but the newest turn, even below the threshold', async () => {
    const s = scripted(api);
    const { session, rec } = start(api);
    await chatTurns(session, s.chat, 3);
    const before = promptOf(chatRequests(api).at(-1)!);
    assert.equal(await session.compactNow(), 'done');
    const c = of(rec, 'compacted')[0].compaction;
    assert.equal(c.reason, 'manual');
    assert.equal(c.turns, 2);
    await chatTurns(session, s.chat, 1, 1200, 3);
    const after = chatRequests(api).at(-1)!;
    assert.match(requestText(after), /conversation-summary/);
    assert.doesNotMatch(requestText(after), /question 1 /);
    assert.match(requestText(after), /question 2 /);
    assert.ok(promptOf(after) < before, `${promptOf(after)} < ${before}`);
    assert.equal(await new Promise((r) => r(session.compactNow())), 'done', 'again: the new summary carries the old one');
    assert.match(JSON.stringify(bodyOf(summaryRequests(api).at(-1)!).messages), /previous-summary/);
  });

  it('never fails for lack of room: a history bigger than the window and the summarizer is summarized in chunks', async () => {
    const s = scripted(api, (n, r) => `- Summary ${n} (${requestText(r).includes('previous-summary') ? 'with the previous one' : 'first'}).`);
    const { session, rec } = start(api, { session: { autoCompact: false, summaryModel: 'claude-tiny-summarizer' } });
    await chatTurns(session, s.chat, 30);
    const last = rec.ended.at(-1)!;
    assert.equal(last.status, 'error', 'automatic compaction is off: the request that no longer fits is not sent');
    assert.equal(last.error?.action, 'trim');
    assert.match(last.error!.message, /no longer fits .* automatic compaction is off/);
    assert.equal(chatRequests(api).length, rec.ended.length - 1, 'the one that would not fit was never sent (so never refused)');
    assert.ok(session.history.length > 10, `${session.history.length} turns`);
    assert.equal(await session.compactNow(), 'done');
    const chunks = summaryRequests(api);
    assert.ok(chunks.length >= 8, `chunked: ${chunks.length} requests`);
    assert.ok(chunks.every((r) => promptOf(r) <= WINDOWS['claude-tiny-summarizer']), 'each chunk fit the summarizer');
    assert.ok(chunks.slice(1).every((r) => requestText(r).includes('with the previous one') || requestText(r).includes('previous-summary')), 'each chunk carries the summary so far');
    const c = of(rec, 'compacted')[0].compaction;
    assert.equal(c.model, 'claude-tiny-summarizer');
    assert.match(notices(rec).find((m) => m.startsWith('Compacted'))!, new RegExp(`in ${chunks.length} requests \\(chunked\\)`));
    await session.retry();
    assert.equal(rec.ended.at(-1)!.status, 'complete', 'the message goes through after compaction');
    assert.ok(promptOf(chatRequests(api).at(-1)!) < WINDOWS['claude-small-test'] * 0.5);
  });

  it('a chunk the API still calls too long is halved and tried again', async () => {
    const tooLong = { kind: 'error' as const, status: 400, message: 'prompt is too long: 3500 tokens > 3000 maximum' };
    const s = scripted(api, (n) => (n === 1 ? tooLong : `- Summary ${n}.`));
    const { session, rec } = start(api, { session: { summaryModel: 'claude-tiny-summarizer' } });
    await chatTurns(session, s.chat, 4);
    assert.equal(await session.compactNow(), 'done');
    const reqs = summaryRequests(api);
    const part = (i: number) => /<conversation-part ([^>]+)>/.exec(requestText(reqs[i]))![1];
    assert.equal(part(0), `1 of ${reqs.length - 2}`);
    assert.deepEqual([part(1), part(2)], [`1 of ${reqs.length - 2}a`, `1 of ${reqs.length - 2}b`], 'the refused chunk went again in two halves');
    assert.equal(of(rec, 'compacted')[0].compaction.turns, 3);
  });

  it("uses the API's compaction where the model takes it; the block goes back first and the fake accepts it", async () => {
    const s = scripted(api);
    const { session, rec } = start(api, { model: 'claude-opus-5-5' });
    session.attach({ id: 'doc', label: 'docs/guide.md', kind: 'file', text: 'Guide line. '.repeat(300) });
    await chatTurns(session, s.chat, 14, 2400);
    assert.ok(rec.ended.every((t) => t.status === 'complete'), rec.ended.map((t) => t.error?.message).join('; '));
    const compaction = api.messageRequests.find((r) => bodyOf(r).compaction !== undefined)!;
    assert.ok(compaction, 'an on-demand compaction request');
    assert.deepEqual(bodyOf(compaction).compaction, { type: 'summarize' });
    assert.match(String(compaction.headers['anthropic-beta']), /compact-2026-09-04/);
    assert.equal(summaryRequests(api).length, 0, 'no client-side summary');
    const after = chatRequests(api).find((r) => JSON.stringify(bodyOf(r).messages[0]).includes('"compaction"'))!;
    assert.ok(after, 'the compaction block is sent back');
    const block = (bodyOf(after).messages[0].content as Record<string, unknown>[])[0];
    assert.equal(bodyOf(after).messages[0].role, 'assistant');
    assert.ok(typeof block.signature === 'string' && typeof block.encrypted_content === 'string');
    assert.match(String(after.headers['anthropic-beta']), /compact-2026-09-04/);
    assert.match(JSON.stringify(bodyOf(after).system), /<document path=\\"docs\/guide.md\\"/, 'the attached context moved after the system prompt, ahead of the block');
    const docBlocks = bodyOf(after).messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as { type: string; text?: string }[]) : [])).filter((b) => b.type === 'text' && b.text?.startsWith('<document'));
    assert.equal(docBlocks.length, 0, 'not in the messages any more');
    const next = chatRequests(api)[chatRequests(api).indexOf(after) + 1];
    if (next && JSON.stringify(bodyOf(next).messages[0]) === JSON.stringify(bodyOf(after).messages[0])) {
      const head = prefixBlocks(bodyOf(next) as never).filter((b) => b.section !== 'messages').reduce((n, b) => n + b.tokens, 0);
      assert.ok(next.usage!.cache_read_input_tokens >= head, 'tools, system and context are read from the cache');
    }
    const c = of(rec, 'compacted')[0].compaction;
    assert.equal(c.server, true);
    assert.match(notices(rec).find((m) => m.startsWith('Compacted'))!, /by the API's compaction on claude-opus-5-5; cost \$/);
    const usage = rec.events.filter((e) => e.type === 'usage').map((e) => (e as { record: { kind: string; cacheReadTokens: number } }).record);
    assert.ok(usage.some((u) => u.kind === 'compaction' && u.cacheReadTokens > 0), 'the compaction read the conversation from the cache');
  });

  it('the cache prefix survives: system, tools and the attached context are read from the cache right after a compaction', async () => {
    const s = scripted(api);
    const { session, rec } = start(api, { model: 'claude-sonnet-5-5' });
    session.attach({ id: 'doc', label: 'docs/guide.md', kind: 'file', text: 'Guide line. '.repeat(1500) });
    await chatTurns(session, s.chat, 24, 2400);
    assert.ok(rec.ended.every((t) => t.status === 'complete'));
    const chats = chatRequests(api);
    const first = chats.findIndex((r) => requestText(r).includes('conversation-summary'));
    assert.ok(first > 0, 'compacted');
    const body = bodyOf(chats[first]);
    const blocks = prefixBlocks(body as never);
    const stable = blocks.filter((b) => b.section !== 'messages' || b.path === 'messages.0.content.0').reduce((n, b) => n + b.tokens, 0);
    assert.ok(chats[first].usage!.cache_read_input_tokens >= stable, `read ${chats[first].usage!.cache_read_input_tokens} of the stable ${stable}`);
    assert.ok(stable > 4000);
  });
});
