// Refactor Selection's one-shot request against the fake API through the real SDK: structured output
// (output_config.format) where the model has it, the tool fallback (forced only where accepted), the cached system and
// file blocks, schema checking, and the errors when the model does not propose a change.
import * as assert from 'node:assert/strict';
import { contextBlockText } from '../../../src/core/conversation';
import { instructionFor } from '../../../src/core/editor/presets';
import { CapabilityTable, jsonMode } from '../../../src/core/capabilities';
import { RefactorOutcome, RefactorRequest, REFACTOR_SPEC, REFACTOR_TOOL_NAME, runRefactor } from '../../../src/core/editor/refactor';
import { createClient } from '../../../src/core/sdk';
import { DEFAULT_TEST_KEY, FakeApi, reply, startFakeApi, tokens } from '../../fake-api/server';

type Block = { type: string; text?: string; cache_control?: { type: string; ttl?: string } };
type Body = {
  system: Block[]; tools?: { name: string; strict?: boolean }[]; tool_choice?: unknown; messages: { role: string; content: Block[] }[]; max_tokens: number;
  output_config?: { format?: { type: string; schema: unknown }; effort?: string }; thinking?: unknown;
};
const TOOL = { kind: 'tool', force: true } as const;

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

describe('editor: refactor request (structured output, tool fallback)', () => {
  let api: FakeApi;
  let conn: { apiKey: string; baseURL: string };
  before(async () => {
    api = await startFakeApi();
    conn = { apiKey: DEFAULT_TEST_KEY, baseURL: api.url };
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('asks for JSON through output_config.format (no tools, no tool_choice), caches system and file, selection + instruction after it', async () => {
    api.queue(reply.json({ replacement: 'export const f3 = (x: number) => x + 3;', rationale: 'An arrow is shorter.' }, { chunkSize: 9 }));
    const out = await requestRefactor(conn, request());
    assert.deepEqual(out.kind === 'proposal' && [out.replacement, out.rationale], ['export const f3 = (x: number) => x + 3;', 'An arrow is shorter.']);
    const req = api.messageRequests[0];
    const body = req.body as Body;
    assert.deepEqual(body.output_config?.format, { type: 'json_schema', schema: REFACTOR_SPEC.schema });
    assert.equal(body.tools, undefined);
    assert.equal(body.tool_choice, undefined);
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

  it('Opus 5.5 / Fable 5.1 / Mythos 5.1 and thinking "enabled": structured output, never the forced tool the API rejects', async () => {
    const table = new CapabilityTable();
    for (const model of ['claude-opus-5-5', 'claude-fable-5-1', 'claude-mythos-5-1']) {
      api.queue(reply.json({ replacement: 'x', rationale: 'r' }));
      const mode = jsonMode(table.get(model), 'adaptive');
      const out = await requestRefactor(conn, request({ model, mode, thinking: { type: 'adaptive' } }));
      assert.equal(out.kind, 'proposal', model);
      const body = api.messageRequests.at(-1)!.body as Body;
      assert.equal(body.tool_choice, undefined, model);
    }
    // The old request (a forced tool) is what those models reject, with the texts the reference quotes.
    const says = (text: string) => (e: { status?: number; error?: { error?: { message?: string } } }) => e.status === 400 && e.error?.error?.message === text;
    await assert.rejects(requestRefactor(conn, request({ model: 'claude-opus-5-5', mode: TOOL })), says('tool_choice: type "tool" and "any" are not supported for this model.'));
    await assert.rejects(requestRefactor(conn, request({ mode: TOOL, thinking: { type: 'enabled', budget_tokens: 2048 } })), says('Thinking may not be enabled when tool_choice forces tool use.'));
  });

  it('falls back to the propose_refactor tool on a model without structured output: forced where accepted, else auto; not strict', async () => {
    api.models.add({ id: 'claude-no-grammar', structuredOutputs: false });
    api.models.add({ id: 'claude-no-grammar-noforce', structuredOutputs: false });
    api.features.rejectForcedToolChoice.push('claude-no-grammar-noforce');
    const table = new CapabilityTable({ overrides: () => ({ 'claude-no-grammar': { structuredOutputs: false }, 'claude-no-grammar-noforce': { structuredOutputs: false, forcedToolChoice: false } }) });
    api.queue(reply.toolUse(REFACTOR_TOOL_NAME, { replacement: 'a', rationale: 'r' }));
    const forced = await requestRefactor(conn, request({ model: 'claude-no-grammar', mode: jsonMode(table.get('claude-no-grammar'), 'off') }));
    assert.equal(forced.kind, 'proposal');
    let body = api.messageRequests.at(-1)!.body as Body;
    assert.deepEqual(body.tool_choice, { type: 'tool', name: REFACTOR_TOOL_NAME });
    assert.equal(body.output_config, undefined);
    assert.equal(body.tools?.[0].strict, undefined, 'strict tools need the grammar support the model lacks');
    api.queue(reply.toolUse(REFACTOR_TOOL_NAME, { replacement: 'b', rationale: 'r' }));
    const auto = await requestRefactor(conn, request({ model: 'claude-no-grammar-noforce', mode: jsonMode(table.get('claude-no-grammar-noforce'), 'off') }));
    assert.equal(auto.kind, 'proposal');
    body = api.messageRequests.at(-1)!.body as Body;
    assert.deepEqual(body.tool_choice, { type: 'auto' });
    // With auto the model may answer in text instead: a clear error, nothing applied.
    api.queue(reply.text('I would rather explain.'));
    const none = await requestRefactor(conn, request({ model: 'claude-no-grammar-noforce', mode: { kind: 'tool', force: false } }));
    assert.match(none.kind === 'noProposal' ? none.message : 'was a proposal', /did not answer with a propose_refactor call, so nothing was applied; it said: "I would rather explain\."/);
  });

  it('a second refactor on the same file reads the file from cache', async () => {
    api.queue(reply.json({ replacement: 'a', rationale: 'r' }), reply.json({ replacement: 'b', rationale: 'r' }));
    await requestRefactor(conn, request());
    await requestRefactor(conn, request({ selection: { text: 'export function f9(x: number) { return x + 9; }', startLine: 10, endLine: 10 }, instruction: instructionFor('types') }));
    const fileTokens = tokens(contextBlockText({ id: 'x', label: 'src/calc.ts', text, kind: 'file' }));
    assert.ok(api.messageRequests[0].usage!.cache_creation_input_tokens >= fileTokens);
    const second = api.messageRequests[1].usage!;
    assert.ok(second.cache_read_input_tokens >= fileTokens, `read ${second.cache_read_input_tokens} >= ${fileTokens}`);
    assert.ok(second.input_tokens < 200);
  });

  it('the 1h TTL goes on both breakpoints', async () => {
    api.queue(reply.json({ replacement: 'a', rationale: 'r' }));
    await requestRefactor(conn, request({ cacheTtl: '1h' }));
    const body = api.messageRequests[0].body as Body;
    assert.deepEqual(body.system[0].cache_control, { type: 'ephemeral', ttl: '1h' });
    assert.deepEqual(body.messages[0].content[0].cache_control, { type: 'ephemeral', ttl: '1h' });
  });

  it('an answer that is not the JSON asked for is a clear error that still reports the tokens spent', async () => {
    api.queue(reply.text('I would rather not change this code.'));
    const out = await requestRefactor(conn, request());
    assert.equal(out.kind, 'noProposal');
    assert.match(out.kind === 'noProposal' ? out.message : '', /not the JSON that was asked for, so nothing was applied; it said: "I would rather not/);
    assert.ok(out.usage.input_tokens + (out.usage.cache_creation_input_tokens ?? 0) > 0);
  });

  it('JSON that fails the schema, and a cut-off proposal, are errors that say so (never a proposal)', async () => {
    api.queue(reply.json({ rationale: 'forgot it' }));
    const a = await requestRefactor(conn, request());
    assert.match(a.kind === 'noProposal' ? a.message : 'was a proposal', /does not match the expected format \(replacement: .*\), so nothing was applied/);
    api.queue(reply.json({ replacement: 42, rationale: 'wrong type' }));
    const typed = await requestRefactor(conn, request());
    assert.equal(typed.kind, 'noProposal');
    api.queue(reply.toolUse(REFACTOR_TOOL_NAME, { rationale: 'no replacement' }));
    const tool = await requestRefactor(conn, request({ mode: TOOL }));
    assert.match(tool.kind === 'noProposal' ? tool.message : 'was a proposal', /does not match the expected format \(replacement/);
    api.queue(reply.json({ replacement: 'x'.repeat(400), rationale: 'long' }));
    const b = await requestRefactor(conn, request({ maxTokens: 20 }));
    assert.match(b.kind === 'noProposal' ? b.message : 'was a proposal', /cut off at the max_tokens limit/);
  });

  it('an API error is thrown after one attempt (no SDK retries)', async () => {
    api.queue(reply.overloaded());
    await assert.rejects(requestRefactor(conn, request()), (e: { status?: number }) => e.status === 529);
    assert.equal(api.messageRequests.length, 1);
  });

  it('aborting stops the request', async () => {
    api.queue({ ...reply.json({ replacement: 'y'.repeat(4000), rationale: 'r' }), chunkSize: 10, delayMs: 20 });
    const ac = new AbortController();
    const p = requestRefactor(conn, request(), ac.signal);
    setTimeout(() => ac.abort(), 150);
    await assert.rejects(p, (e: Error) => /abort/i.test(e.name + e.message));
  });
});
