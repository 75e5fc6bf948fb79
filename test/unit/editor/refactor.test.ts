// Refactor Selection's one-shot request against the fake API through the real SDK: the forced tool call, the
// cached system and file blocks, parsing, and the errors when the model does not propose a change.
import * as assert from 'node:assert/strict';
import { contextBlockText } from '../../../src/core/conversation';
import { instructionFor } from '../../../src/core/editor/presets';
import { RefactorOutcome, RefactorRequest, REFACTOR_TOOL_NAME, runRefactor } from '../../../src/core/editor/refactor';
import { createClient } from '../../../src/core/sdk';
import { DEFAULT_TEST_KEY, FakeApi, reply, startFakeApi, tokens } from '../../fake-api/server';

type Block = { type: string; text?: string; cache_control?: { type: string; ttl?: string } };
type Body = { system: Block[]; tools: { name: string }[]; tool_choice: unknown; messages: { role: string; content: Block[] }[]; max_tokens: number };

const text = `// calc.ts\n` + Array.from({ length: 150 }, (_, i) => `export function f${i}(x: number) { return x + ${i}; }`).join('\n') + '\n';
// The extension gets its client from KeyRoute; here the fake API on loopback is reached directly.
const requestRefactor = async (conn: { apiKey: string; baseURL: string }, r: RefactorRequest, signal?: AbortSignal): Promise<RefactorOutcome> =>
  runRefactor(await createClient(conn), r, signal);
const request = (over: Partial<RefactorRequest> = {}): RefactorRequest => ({
  model: 'claude-sonnet-5-5',
  maxTokens: 32_000,
  file: { label: 'src/calc.ts', languageId: 'typescript', text },
  selection: { text: 'export function f3(x: number) { return x + 3; }', startLine: 4, endLine: 4 },
  instruction: instructionFor('simplify'),
  ...over,
});

describe('editor: refactor request (forced tool call)', () => {
  let api: FakeApi;
  let conn: { apiKey: string; baseURL: string };
  before(async () => {
    api = await startFakeApi();
    conn = { apiKey: DEFAULT_TEST_KEY, baseURL: api.url };
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('forces propose_refactor, caches system and file, and puts the selection + instruction after the file', async () => {
    api.queue(reply.toolUse(REFACTOR_TOOL_NAME, { replacement: 'export const f3 = (x: number) => x + 3;', rationale: 'An arrow is shorter.' }));
    const out = await requestRefactor(conn, request());
    assert.deepEqual(out.kind === 'proposal' && [out.replacement, out.rationale], ['export const f3 = (x: number) => x + 3;', 'An arrow is shorter.']);
    const req = api.messageRequests[0];
    const body = req.body as Body;
    assert.deepEqual(body.tool_choice, { type: 'tool', name: REFACTOR_TOOL_NAME });
    assert.deepEqual(body.tools.map((t) => t.name), [REFACTOR_TOOL_NAME]);
    assert.deepEqual(body.system[0].cache_control, { type: 'ephemeral' });
    const [file, ask] = body.messages[0].content;
    assert.equal(file.text, contextBlockText({ id: 'x', label: 'src/calc.ts', text, kind: 'file' }));
    assert.deepEqual(file.cache_control, { type: 'ephemeral' });
    assert.equal(ask.cache_control, undefined, 'the selection and instruction are not cached');
    assert.match(ask.text!, /^The selection is line 5 of src\/calc\.ts:\n```typescript\nexport function f3/);
    assert.match(ask.text!, /Instruction: Simplify this code/);
    assert.equal(body.max_tokens, 32_000, 'streamed, so a large max_tokens is accepted');
    assert.equal(req.headers['x-stainless-retry-count'], '0');
    assert.equal(JSON.stringify(body).split('"cache_control"').length - 1, 2);
  });

  it('a second refactor on the same file reads the file from cache', async () => {
    api.queue(reply.toolUse(REFACTOR_TOOL_NAME, { replacement: 'a', rationale: 'r' }), reply.toolUse(REFACTOR_TOOL_NAME, { replacement: 'b', rationale: 'r' }));
    await requestRefactor(conn, request());
    await requestRefactor(conn, request({ selection: { text: 'export function f9(x: number) { return x + 9; }', startLine: 10, endLine: 10 }, instruction: instructionFor('types') }));
    const fileTokens = tokens(contextBlockText({ id: 'x', label: 'src/calc.ts', text, kind: 'file' }));
    assert.ok(api.messageRequests[0].usage!.cache_creation_input_tokens >= fileTokens);
    const second = api.messageRequests[1].usage!;
    assert.ok(second.cache_read_input_tokens >= fileTokens, `read ${second.cache_read_input_tokens} >= ${fileTokens}`);
    assert.ok(second.input_tokens < 200);
  });

  it('the 1h TTL goes on both breakpoints', async () => {
    api.queue(reply.toolUse(REFACTOR_TOOL_NAME, { replacement: 'a', rationale: 'r' }));
    await requestRefactor(conn, request({ cacheTtl: '1h' }));
    const body = api.messageRequests[0].body as Body;
    assert.deepEqual(body.system[0].cache_control, { type: 'ephemeral', ttl: '1h' });
    assert.deepEqual(body.messages[0].content[0].cache_control, { type: 'ephemeral', ttl: '1h' });
  });

  it('no tool call is a clear error that still reports the tokens spent', async () => {
    api.queue(reply.text('I would rather not change this code.'));
    const out = await requestRefactor(conn, request());
    assert.equal(out.kind, 'noProposal');
    assert.match(out.kind === 'noProposal' ? out.message : '', /did not propose a change \(no propose_refactor call\); it said: "I would rather not/);
    assert.ok(out.usage.input_tokens + (out.usage.cache_creation_input_tokens ?? 0) > 0);
  });

  it('a call without a replacement, and a cut-off proposal, are errors too', async () => {
    api.queue(reply.toolUse(REFACTOR_TOOL_NAME, { rationale: 'forgot it' }));
    const a = await requestRefactor(conn, request());
    assert.match(a.kind === 'noProposal' ? a.message : 'was a proposal', /no "replacement" text/);
    api.queue(reply.toolUse(REFACTOR_TOOL_NAME, { replacement: 'x'.repeat(400), rationale: 'long' }));
    const b = await requestRefactor(conn, request({ maxTokens: 20 }));
    assert.match(b.kind === 'noProposal' ? b.message : 'was a proposal', /cut off at the max_tokens limit/);
  });

  it('an API error is thrown after one attempt (no SDK retries)', async () => {
    api.queue(reply.overloaded());
    await assert.rejects(requestRefactor(conn, request()), (e: { status?: number }) => e.status === 529);
    assert.equal(api.messageRequests.length, 1);
  });

  it('aborting stops the request', async () => {
    api.queue({ ...reply.toolUse(REFACTOR_TOOL_NAME, { replacement: 'y'.repeat(4000), rationale: 'r' }), chunkSize: 10, delayMs: 20 });
    const ac = new AbortController();
    const p = requestRefactor(conn, request(), ac.signal);
    setTimeout(() => ac.abort(), 150);
    await assert.rejects(p, (e: Error) => /abort/i.test(e.name + e.message));
  });
});
