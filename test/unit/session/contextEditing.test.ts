// Context editing against the fake API: old read_file results leave the request once they are `keepRounds` rounds
// old, in batches of at least `clearAtLeast` tokens; client-side with a placeholder the model sees, or through the
// API's clear_tool_uses edit with a `keep` that clears exactly the same results. Other tools' results stay.
import * as assert from 'node:assert/strict';
import type { ChatSession } from '../../../src/core/chatSession';
import type { ContextCapabilities } from '../../../src/core/session/longSession';
import type { ToolCall, ToolResult, ToolRunner } from '../../../src/core/tools/types';
import { DEFAULT_TEST_KEY, FakeApi, RecordedRequest, startFakeApi } from '../../fake-api/server';
import { countInputTokens } from '../../fake-api/tokenizer';
import { FakeClock, Recorder, recordedSession } from '../core/helpers';
import { bodyOf, promptOf } from './helpers';

const ROUNDS = 6;
const schema = { type: 'object' as const, properties: { path: { type: 'string' } } };
const tools: ToolRunner = {
  definitions: () => ['read_file', 'search_text', 'list_directory'].map((name) => ({ name, description: name, input_schema: schema })),
  run: async (calls: ToolCall[]): Promise<ToolResult[]> =>
    calls.map((c) => ({ toolUseId: c.id, isError: false, content: c.name === 'read_file' ? `${(c.input as { path: string }).path}:\n${'R'.repeat(3000)}` : 'a.ts\nb.ts' })),
};

function run(api: FakeApi, session: Record<string, unknown>, capabilities?: ContextCapabilities): { s: ChatSession; rec: Recorder } {
  const { session: s, rec } = recordedSession({
    apiKey: async () => DEFAULT_TEST_KEY,
    settings: () => ({ model: 'claude-sonnet-5-5', maxTokens: 1024, baseURL: api.url, session: { keepRounds: 2, clearAtLeast: 1500, minClearTokens: 500, ...session } }),
    clock: new FakeClock(),
    tools,
    contextCapabilities: () => capabilities,
  });
  return { s, rec };
}

function script(api: FakeApi): void {
  for (let i = 0; i < ROUNDS; i++) {
    api.queue({ kind: 'message', blocks: [{ type: 'tool_use', name: 'read_file', input: { path: `f${i}.ts` } }, { type: 'tool_use', name: 'list_directory', input: { path: `d${i}` } }] });
  }
  api.queue({ kind: 'text', text: 'All read.' });
}

type Result = { type: string; tool_use_id: string; content: string };
/** Per request: the content of each read_file result (by round), and of the list_directory ones. */
function results(r: RecordedRequest): { reads: string[]; lists: string[] } {
  const blocks = bodyOf(r).messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as Result[]) : [])).filter((b) => b.type === 'tool_result');
  const reads = blocks.filter((b) => /^toolu_/.test(b.tool_use_id) && !/^a\.ts/.test(b.content));
  return { reads: reads.map((b) => b.content), lists: blocks.filter((b) => /^a\.ts/.test(b.content)).map((b) => b.content) };
}

describe('Context editing (against the fake API)', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('client-side: results N rounds old become a placeholder, in batches; newer results and other tools stay', async () => {
    script(api);
    const { s, rec } = run(api, { editing: 'client' });
    await s.send('read all the files');
    assert.equal(rec.ended.at(-1)!.status, 'complete', 'every request was valid');
    const reqs = api.messageRequests;
    assert.equal(reqs.length, ROUNDS + 1);
    const last = results(reqs.at(-1)!);
    assert.equal(last.reads.length, ROUNDS);
    for (let i = 0; i < 4; i++) assert.match(last.reads[i], new RegExp(`^\\[Cleared to save context: the result of read_file "f${i}\\.ts" \\(3,007 characters\\)\\. Call the tool again if you need it\\.\\]$`));
    for (let i = 4; i < ROUNDS; i++) assert.match(last.reads[i], /^f\d\.ts:\nRRR/, `round ${i} is recent: kept`);
    assert.ok(last.lists.every((l) => l === 'a.ts\nb.ts'), 'list_directory results are never cleared');
    // Batches: cleared at request 4 (rounds 0-1) and request 6 (rounds 2-3), never undone.
    const cleared = reqs.map((r) => results(r).reads.filter((x) => x.startsWith('[Cleared')).length);
    assert.deepEqual(cleared, [0, 0, 0, 0, 2, 2, 4]);
    const notes = rec.events.filter((e) => e.type === 'notice').map((e) => (e as { message: string }).message);
    assert.deepEqual(notes.filter((m) => m.startsWith('Cleared')).length, 2);
    assert.match(notes[0], /^Cleared 2 old tool results \(about 1,504 tokens\) from the request to save context; the model sees a placeholder/);
    assert.equal(s.history[0].blocks.filter((b) => b.cleared).length, 4, 'the decision is kept on the blocks (and stored)');
    assert.ok(!reqs.some((r) => bodyOf(r).context_management), 'nothing asked of the API');
    assert.ok(promptOf(reqs[6]) < promptOf(reqs[3]) + 1000, 'the request stopped growing with old results');
  });

  it("server-side: the API's clear_tool_uses edit with a keep that clears exactly the results we chose", async () => {
    script(api);
    const { s, rec } = run(api, { editing: 'auto' }, { clearToolUses: true });
    await s.send('read all the files');
    assert.equal(rec.ended.at(-1)!.status, 'complete');
    const reqs = api.messageRequests;
    const edits = reqs.map((r) => (bodyOf(r).context_management as { edits: { keep: { value: number }; exclude_tools: string[] }[] } | undefined)?.edits[0]);
    assert.equal(edits[0], undefined, 'no edit before there is a tool result');
    assert.deepEqual(edits.slice(1).map((e) => e?.keep.value), [1, 2, 3, 2, 3, 2], 'keep = read_file uses not cleared');
    assert.deepEqual(edits[1]!.exclude_tools, ['list_directory']);
    assert.match(String(reqs[1].headers['anthropic-beta']), /context-management-2025-06-27/);
    assert.ok(results(reqs[6]).reads.every((x) => x.startsWith('f')), 'the request carries every result; the API clears them');
    const unedited = countInputTokens({ ...bodyOf(reqs[6]), context_management: undefined } as never);
    assert.ok(unedited - promptOf(reqs[6]) > 4 * 700, `the API cleared four results: ${unedited} -> ${promptOf(reqs[6])}`);
    assert.equal(s.history[0].blocks.filter((b) => b.cleared).length, 4);
  });

  it('off: every result stays', async () => {
    script(api);
    const { s } = run(api, { editing: 'off' });
    await s.send('read all the files');
    const last = results(api.messageRequests.at(-1)!);
    assert.ok(last.reads.every((x) => x.startsWith('f')));
    assert.ok(!api.messageRequests.some((r) => bodyOf(r).context_management));
  });
});
