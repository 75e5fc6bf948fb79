// The fake's web search and web fetch server tools through the real SDK: the stream shape (§6.4), results with
// encrypted content that must come back unchanged, citations, errors inside the block, max_uses, usage, pause_turn
// and its continuation, plus cache diagnostics.
import Anthropic from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { reply } from '../../fake-api/server';
import { assistant, MODEL, rejectsWith, sdk, useFakeApi, user } from './helpers';

const search = { type: 'web_search_20250305' as const, name: 'web_search' as const, max_uses: 2 };
const fetchTool = { type: 'web_fetch_20250910' as const, name: 'web_fetch' as const, citations: { enabled: true } };
const RESULTS = [{ url: 'https://code.visualstudio.com/api', title: 'VS Code API', page_age: 'May 1, 2026' }, { url: 'https://example.org/x', title: 'Other' }];
const base = { model: MODEL, max_tokens: 2048, messages: [user('What is the VS Code API?')] };

describe('fake API: web search and web fetch server tools', () => {
  const api = useFakeApi();

  it('streams server_tool_use with input_json_delta, the result whole in content_block_start, then cited text', async () => {
    api().queue(reply.webSearch('vs code api', RESULTS, [{ text: 'It is documented online.', citations: [{ url: RESULTS[0].url, title: 'VS Code API', cited_text: 'The VS Code API' }] }], { chunkSize: 6 }));
    const events: Anthropic.RawMessageStreamEvent[] = [];
    const stream = sdk(api()).messages.stream({ ...base, tools: [search] });
    stream.on('streamEvent', (e) => events.push(e));
    const m = await stream.finalMessage();
    const starts = events.filter((e): e is Anthropic.RawContentBlockStartEvent => e.type === 'content_block_start').map((e) => e.content_block);
    assert.deepEqual(starts.map((b) => b.type), ['server_tool_use', 'web_search_tool_result', 'text']);
    assert.match((starts[0] as Anthropic.ServerToolUseBlock).id, /^srvtoolu_01/);
    const result = starts[1] as Anthropic.WebSearchToolResultBlock;
    assert.equal(result.tool_use_id, (starts[0] as Anthropic.ServerToolUseBlock).id);
    assert.ok(Array.isArray(result.content) && result.content.every((r) => r.encrypted_content.length > 10));
    const deltas = events.filter((e): e is Anthropic.RawContentBlockDeltaEvent => e.type === 'content_block_delta').map((e) => e.delta.type);
    assert.ok(deltas.includes('input_json_delta') && deltas.includes('citations_delta'));
    assert.deepEqual((m.content[0] as Anthropic.ServerToolUseBlock).input, { query: 'vs code api' });
    const cited = m.content[2] as Anthropic.TextBlock;
    assert.equal(cited.citations?.[0].type, 'web_search_result_location');
    assert.equal((cited.citations?.[0] as Anthropic.CitationsWebSearchResultLocation).url, RESULTS[0].url);
    assert.deepEqual(m.usage.server_tool_use, { web_search_requests: 1, web_fetch_requests: 0 });
  });

  it('max_uses turns the extra search into max_uses_exceeded (not billed); domain lists filter and both lists are a 400', async () => {
    const script = reply.message([
      { type: 'server_tool_use', name: 'web_search', input: { query: 'a' } }, { type: 'web_search_tool_result', results: RESULTS },
      { type: 'server_tool_use', name: 'web_search', input: { query: 'b' } }, { type: 'web_search_tool_result', results: RESULTS },
      { type: 'server_tool_use', name: 'web_search', input: { query: 'c' } }, { type: 'web_search_tool_result', results: RESULTS },
      { type: 'text', text: 'Done.' },
    ]);
    api().queue(script);
    const m = await sdk(api()).messages.create({ ...base, tools: [{ ...search, allowed_domains: ['code.visualstudio.com'] }] });
    const results = m.content.filter((b): b is Anthropic.WebSearchToolResultBlock => b.type === 'web_search_tool_result');
    assert.deepEqual(results.map((r) => (Array.isArray(r.content) ? r.content.map((x) => x.url) : r.content.error_code)), [[RESULTS[0].url], [RESULTS[0].url], 'max_uses_exceeded']);
    assert.deepEqual(m.usage.server_tool_use, { web_search_requests: 2, web_fetch_requests: 0 });
    await rejectsWith(sdk(api()).messages.create({ ...base, tools: [{ ...search, allowed_domains: ['a.com'], blocked_domains: ['b.com'] }] }), Anthropic.BadRequestError);
  });

  it('results go back unchanged or the request is a 400; fetch only reaches URLs already in the conversation', async () => {
    api().queue(reply.webSearch('q', RESULTS, [{ text: 'ok' }]));
    const m = await sdk(api()).messages.create({ ...base, tools: [search, fetchTool] });
    const next = { ...base, tools: [search, fetchTool], messages: [...base.messages, assistant(m.content as Anthropic.ContentBlockParam[]), user('and more?')] };
    api().queue(reply.message([{ type: 'server_tool_use', name: 'web_fetch', input: { url: RESULTS[0].url } }, { type: 'web_fetch_tool_result', url: RESULTS[0].url, title: 'API', text: 'page' },
      { type: 'server_tool_use', name: 'web_fetch', input: { url: 'https://evil.example/steal' } }, { type: 'web_fetch_tool_result', url: 'https://evil.example/steal', text: 'x' }]));
    const n = await sdk(api()).messages.create(next);
    const fetched = n.content.filter((b): b is Anthropic.WebFetchToolResultBlock => b.type === 'web_fetch_tool_result').map((b) => b.content.type === 'web_fetch_result' ? b.content.url : b.content.error_code);
    assert.deepEqual(fetched, [RESULTS[0].url, 'url_not_in_prior_context']);
    const tampered = structuredClone(next);
    const back = (tampered.messages[1].content as Anthropic.WebSearchToolResultBlock[]).find((b) => b.type === 'web_search_tool_result')!;
    (back.content as Anthropic.WebSearchResultBlock[])[0].encrypted_content = 'forged';
    const err = await rejectsWith(sdk(api()).messages.create(tampered), Anthropic.BadRequestError);
    assert.match(err.message, /encrypted_content/);
  });

  it('stops with pause_turn at the iteration limit; the continuation (sent back as-is) answers the pending call first', async () => {
    api().features.serverIterations = 0;
    api().queue(reply.message([{ type: 'text', text: 'Let me search.' }, { type: 'server_tool_use', name: 'web_search', input: { query: 'q' } }]));
    const first = await sdk(api()).messages.create({ ...base, tools: [search] });
    assert.equal(first.stop_reason, 'pause_turn');
    assert.equal(first.content.at(-1)?.type, 'server_tool_use');
    api().features.serverIterations = 10;
    api().queue(reply.message([{ type: 'web_search_tool_result', results: RESULTS }, { type: 'text', text: 'Found it.' }]));
    const cont = { ...base, tools: [search], messages: [...base.messages, assistant(first.content as Anthropic.ContentBlockParam[])] };
    const second = await sdk(api()).messages.create(cont);
    const head = second.content[0] as Anthropic.WebSearchToolResultBlock;
    assert.equal(head.tool_use_id, (first.content[1] as Anthropic.ServerToolUseBlock).id);
    assert.equal(second.stop_reason, 'end_turn');
    // Without the tool the continuation is invalid.
    await rejectsWith(sdk(api()).messages.create({ ...cont, tools: [] }), Anthropic.BadRequestError);
  });

  it('a server tool the request does not offer cannot be scripted', async () => {
    api().queue(reply.webSearch('q', RESULTS, [{ text: 'x' }]));
    await rejectsWith(sdk(api()).messages.create(base), Anthropic.InternalServerError);
    assert.match(api().scriptErrors[0], /server tool/);
  });

  it('cache diagnostics: null without divergence, the reason when the model, system or messages changed', async () => {
    const client = sdk(api());
    const one = await client.messages.create({ ...base, system: 'Be brief.', diagnostics: { previous_message_id: null } });
    assert.equal(one.diagnostics, null);
    const same = await client.messages.create({ ...base, system: 'Be brief.', diagnostics: { previous_message_id: one.id } });
    assert.equal(same.diagnostics, null);
    const sys = await client.messages.create({ ...base, system: 'Be long.', diagnostics: { previous_message_id: same.id } });
    assert.equal(sys.diagnostics?.cache_miss_reason?.type, 'system_changed');
    const model = await client.messages.create({ ...base, model: 'claude-haiku-5-5', system: 'Be long.', diagnostics: { previous_message_id: sys.id } });
    assert.equal(model.diagnostics?.cache_miss_reason?.type, 'model_changed');
    const lost = await client.messages.create({ ...base, diagnostics: { previous_message_id: 'msg_unknown' } });
    assert.equal(lost.diagnostics?.cache_miss_reason?.type, 'previous_message_not_found');
    const s = await client.messages.stream({ ...base, messages: [user('other')], system: 'Be long.', model: 'claude-haiku-5-5', diagnostics: { previous_message_id: model.id } }).finalMessage();
    assert.equal(s.diagnostics?.cache_miss_reason?.type, 'messages_changed');
  });
});
