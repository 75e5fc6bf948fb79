// A realistic tool round through the real SDK against the fake API, which checks tool_use/tool_result pairing.
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, ToolResultBlockParam, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import * as assert from 'node:assert/strict';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';
import { harness, makeWorkspace, NodePort, SECRET } from './nodePort';

describe('tools: a round against the fake API through the real SDK', () => {
  let api: FakeApi;
  let w: ReturnType<typeof makeWorkspace>;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => {
    api.reset();
    w = makeWorkspace();
  });
  afterEach(() => w.cleanup());

  it('tool_use -> runner -> tool_result is accepted, and the tool definitions stay byte-identical', async () => {
    const h = harness(NodePort.single(w.ws));
    const client = new Anthropic({ apiKey: DEFAULT_TEST_KEY, baseURL: api.url, maxRetries: 0 });
    api.queue(
      { kind: 'message', blocks: [{ type: 'tool_use', name: 'read_file', input: { path: 'a.txt' } }], stopReason: 'tool_use' },
      {
        kind: 'message',
        blocks: [
          { type: 'text', text: 'Let me look further.' },
          { type: 'tool_use', name: 'search_text', input: { query: 'needle' } },
          { type: 'tool_use', name: 'read_file', input: { path: '../outside/secret.txt' } },
        ],
        stopReason: 'tool_use',
      },
      { kind: 'text', text: 'a.txt says hello world.' },
    );
    const messages: MessageParam[] = [{ role: 'user', content: 'What does a.txt say?' }];
    const send = () => client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 1024, tools: h.runner.definitions(), messages });
    const rounds: ToolResultBlockParam[][] = [];
    let reply = await send();
    while (reply.stop_reason === 'tool_use') {
      messages.push({ role: 'assistant', content: reply.content });
      const uses = reply.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
      const results = await h.run(uses.map((u) => ({ id: u.id, name: u.name, input: u.input })));
      const blocks: ToolResultBlockParam[] = results.map((r) => ({ type: 'tool_result', tool_use_id: r.toolUseId, content: r.content, ...(r.isError ? { is_error: true } : {}) }));
      rounds.push(blocks);
      messages.push({ role: 'user', content: blocks });
      reply = await send(); // the fake answers 400 if a tool_use is left without its tool_result
    }
    assert.equal(reply.content[0].type === 'text' && reply.content[0].text, 'a.txt says hello world.');

    const reqs = api.messageRequests;
    assert.equal(reqs.length, 3);
    assert.deepEqual(api.scriptErrors, []);
    const bodies = reqs.map((r) => r.body as { tools: unknown; messages: { role: string; content: unknown }[] });
    const toolsJson = JSON.stringify(bodies[0].tools);
    assert.ok(toolsJson.length > 1000);
    assert.equal(JSON.stringify(bodies[1].tools), toolsJson, 'tool definitions are byte-identical in every request');
    assert.equal(JSON.stringify(bodies[2].tools), toolsJson);

    // Round 1: the result the server got is what the runner produced.
    const sent1 = bodies[1].messages[2].content as { type: string; tool_use_id: string; content: string; is_error?: boolean }[];
    assert.equal(sent1[0].type, 'tool_result');
    assert.equal(sent1[0].content, 'a.txt (2 lines)\n     1\thello\n     2\tworld');
    assert.equal(sent1[0].is_error, undefined);
    // Round 2: two parallel calls answered in one user turn, in order; the escape is an is_error, no secret sent.
    const sent2 = bodies[2].messages[4].content as { tool_use_id: string; content: string; is_error?: boolean }[];
    assert.equal(sent2.length, 2);
    assert.deepEqual(sent2.map((b) => b.tool_use_id), rounds[1].map((b) => b.tool_use_id));
    assert.match(sent2[0].content, /src\/main.ts:2: return needle\(\);/);
    assert.equal(sent2[1].is_error, true);
    assert.match(sent2[1].content, /"\.\." is not allowed/);
    assert.ok(!JSON.stringify(bodies).includes(SECRET));
    // Earlier rounds are sent again unchanged, so the cached prefix keeps matching.
    assert.equal(JSON.stringify(bodies[2].messages.slice(0, 3)), JSON.stringify(bodies[1].messages));
  });
});
