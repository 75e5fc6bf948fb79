// How often changes to the external tool set break the prompt cache, measured through the chat engine against the
// fake API (which keys its cache on the exact prefix bytes): the remembered order against VS Code's listing order.
import * as assert from 'node:assert/strict';
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { ChatSession } from '../../../src/core/chatSession';
import { ExternalToolSource, type ExternalTool } from '../../../src/core/lm/externalTools';
import { inputSchema } from '../../../src/core/lm/request';
import { createClient } from '../../../src/core/sdk';
import { WorkspaceToolRunner } from '../../../src/core/tools/runner';
import type { ExtraToolSource } from '../../../src/core/tools/types';
import type { WorkspacePort } from '../../../src/core/tools/workspace';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';

const tool = (name: string, version = 1): ExternalTool => ({
  name: `mcp_srv_${name}`,
  description: `Tool ${name}, version ${version}. ${'Explains what it does at length. '.repeat(10)}`,
  inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
  tags: ['mcp'],
  origin: { kind: 'mcp', server: 'srv' },
});

/** What VS Code lists before each of the 8 turns: restarts reorder it, a server adds a tool, a tool changes. */
const SCENARIO: ExternalTool[][] = [
  [tool('a'), tool('b'), tool('c')],
  [tool('c'), tool('a'), tool('b')], // a server restart: same tools, another order
  [tool('b'), tool('c'), tool('a')],
  [tool('d'), tool('a'), tool('b'), tool('c')], // a new tool
  [tool('a'), tool('d'), tool('c'), tool('b')],
  [tool('a'), tool('b', 2), tool('c'), tool('d')], // b's description changed
  [tool('d'), tool('c'), tool('b', 2), tool('a')],
  [tool('c'), tool('d'), tool('a'), tool('b', 2)],
];

/** The naive way: offer the tools in the order VS Code lists them. */
class ListingOrder implements ExtraToolSource {
  constructor(private readonly list: () => ExternalTool[]) {}
  definitions(): Tool[] {
    return this.list().map((t) => ({ name: t.name, description: t.description, input_schema: inputSchema(t.inputSchema) }));
  }
  owns(): boolean {
    return false;
  }
  sourceOf(): string | undefined {
    return undefined;
  }
  async run(): Promise<never> {
    throw new Error('not called');
  }
}

async function measure(api: FakeApi, stable: boolean): Promise<{ breaks: number; readShare: number }> {
  api.reset();
  let turn = 0;
  const list = () => SCENARIO[turn];
  const workspace = { folders: () => [] } as unknown as WorkspacePort;
  const runner = new WorkspaceToolRunner({ workspace, approver: { approve: async () => 'reject' }, trusted: true });
  runner.addSource(stable ? new ExternalToolSource({ available: list, invoke: async () => [], approve: async () => 'reject', workspaceAllowed: { has: () => false, add: async () => {} } }) : new ListingOrder(list));
  const session = new ChatSession({
    apiKey: async () => DEFAULT_TEST_KEY,
    settings: () => ({ model: 'claude-sonnet-5-5', maxTokens: 1024, baseURL: api.url, systemPrompt: `You help. ${'Context line. '.repeat(300)}` }),
    tools: runner,
    clientFactory: (k, b) => createClient({ apiKey: k, baseURL: b }),
  });
  for (turn = 0; turn < SCENARIO.length; turn++) await session.send(`question ${turn}`);
  const usage = api.messageRequests.map((r) => r.usage!);
  const breaks = usage.slice(1).filter((u) => u.cache_read_input_tokens === 0).length;
  const read = usage.slice(1).reduce((a, u) => a + u.cache_read_input_tokens, 0);
  const prompt = usage.slice(1).reduce((a, u) => a + u.cache_read_input_tokens + u.cache_creation_input_tokens + u.input_tokens, 0);
  return { breaks, readShare: read / prompt };
}

describe('external tools: cache breaks when the tool set changes', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());

  it('the remembered order breaks the cache only when the set or a definition really changed', async () => {
    const ours = await measure(api, true);
    const naive = await measure(api, false);
    console.log(`      ${SCENARIO.length - 1} follow-up requests; cache breaks: remembered order ${ours.breaks}, VS Code's listing order ${naive.breaks}; ` +
      `cache-read share ${(ours.readShare * 100).toFixed(1)}% vs ${(naive.readShare * 100).toFixed(1)}%`);
    assert.equal(ours.breaks, 2, 'one break for the new tool, one for the changed description');
    assert.equal(naive.breaks, 7, 'every reordering breaks the cache');
  });
});
