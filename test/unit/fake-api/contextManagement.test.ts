// The fake's context management (spec-more §7): beta gating, clearing edits, threshold and on-demand compaction,
// compaction blocks sent back, count_tokens. Driven through the real SDK's beta client.
import Anthropic from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { CLEARED_TOOL_RESULT } from '../../fake-api/contextManagement';
import { assistant, MODEL, sdk, useFakeApi, user } from './helpers';

type Params = Record<string, unknown>;
const CM = 'context-management-2025-06-27';
const COMPACT = 'compact-2026-01-12';
const ON_DEMAND = 'compact-2026-09-04';
const big = (tag: string, n = 4000) => `${tag} ` + 'x'.repeat(n);

/** A conversation of `n` read_file rounds, each answered with a large result. */
function toolConversation(n: number): Anthropic.MessageParam[] {
  const out: Anthropic.MessageParam[] = [user('Read the files.')];
  for (let i = 0; i < n; i++) {
    out.push(assistant([{ type: 'tool_use', id: `toolu_${i}`, name: i === 0 ? 'list_directory' : 'read_file', input: { path: `f${i}.ts` } }]));
    out.push(user([{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: big(`file ${i}`) }]));
  }
  return out;
}

async function expectError(p: Promise<unknown>, status: number, pattern: RegExp, code?: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    const err = e as { status?: number; message: string; errorCode?: string | null };
    assert.equal(err.status, status, err.message);
    assert.match(err.message, pattern);
    if (code) assert.equal(err.errorCode, code);
    return;
  }
  assert.fail(`expected a ${status} error matching ${pattern}`);
}

describe('fake API: context management (beta)', () => {
  const api = useFakeApi();
  const create = (body: Params, betas: string[] = []) =>
    sdk(api()).beta.messages.create({ model: MODEL, max_tokens: 256, ...body, betas } as unknown as Anthropic.Beta.MessageCreateParamsNonStreaming);

  describe('gating', () => {
    it('refuses context_management and compaction without their beta, and the two together', async () => {
      const messages = [user('hi')];
      await expectError(create({ messages, context_management: { edits: [] } }), 400, /"context_management: Extra inputs are not permitted"/);
      await expectError(create({ messages, compaction: { type: 'summarize' } }), 400, /compaction: Extra inputs are not permitted/);
      await expectError(create({ messages, compaction: { type: 'summarize' }, context_management: { edits: [] } }, [CM, ON_DEMAND]), 400, /cannot be combined with context_management/);
      await expectError(create({ messages, context_management: { edits: [{ type: 'compact_20260112' }] } }, [CM]), 400, /Input tag 'compact_20260112'/);
      const ok = await create({ messages, context_management: { edits: [] } }, [CM]);
      assert.deepEqual(ok.context_management, { applied_edits: [] });
    });

    it('checks the edits: thinking first, keep > 0, a compaction trigger of at least 50,000', async () => {
      const messages = [user('hi')];
      await expectError(
        create({ messages, context_management: { edits: [{ type: 'clear_tool_uses_20250919' }, { type: 'clear_thinking_20251015' }] } }, [CM]),
        400,
        /clear_thinking_20251015 must be listed first/,
      );
      await expectError(create({ messages, context_management: { edits: [{ type: 'clear_thinking_20251015', keep: { type: 'thinking_turns', value: 0 } }] } }, [CM]), 400, /keep\.value: Input should be greater than 0/);
      await expectError(
        create({ messages, context_management: { edits: [{ type: 'compact_20260112', trigger: { type: 'input_tokens', value: 49_999 } }] } }, [COMPACT]),
        400,
        /trigger\.value: Input should be greater than or equal to 50000/,
      );
    });
  });

  describe('clear_tool_uses_20250919', () => {
    it('clears all but the last `keep` results, reports it in the final message_delta, and bills only what is left', async () => {
      const messages = toolConversation(6);
      const edit = { type: 'clear_tool_uses_20250919', trigger: { type: 'tool_uses', value: 1 }, keep: { type: 'tool_uses', value: 2 } };
      const stream = sdk(api()).beta.messages.stream({ model: MODEL, max_tokens: 64, messages, betas: [CM], context_management: { edits: [edit] } } as never);
      let deltaCm: unknown;
      stream.on('streamEvent', (e: { type: string; context_management?: unknown }) => {
        if (e.type === 'message_delta') deltaCm = e.context_management;
      });
      const msg = await stream.finalMessage();
      const applied = (deltaCm as { applied_edits: { type: string; cleared_tool_uses: number; cleared_input_tokens: number }[] }).applied_edits;
      assert.equal(applied.length, 1);
      assert.equal(applied[0].cleared_tool_uses, 4);
      assert.ok(applied[0].cleared_input_tokens > 3 * 900, String(applied[0].cleared_input_tokens));
      assert.deepEqual(msg.context_management, deltaCm, 'the SDK copies it into the message');
      // Billing: the plain request costs more by exactly what was cleared.
      const plain = await create({ messages });
      const billed = (u: { input_tokens: number; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null }) =>
        u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
      assert.equal(billed(plain.usage) - billed(msg.usage), applied[0].cleared_input_tokens);
    });

    it('keeps excluded tools, skips when it cannot clear clear_at_least, and count_tokens reports the original size', async () => {
      const messages = toolConversation(4);
      const counts = await sdk(api()).beta.messages.countTokens({
        model: MODEL, messages, betas: [CM],
        context_management: { edits: [{ type: 'clear_tool_uses_20250919', trigger: { type: 'tool_uses', value: 1 }, keep: { type: 'tool_uses', value: 0 }, exclude_tools: ['list_directory'] }] },
      } as never);
      const cm = (counts as unknown as { context_management: { original_input_tokens: number } }).context_management;
      assert.ok(cm.original_input_tokens - counts.input_tokens > 2 * 900, 'three read_file results cleared');
      const body = api().requests.at(-1)!.body as Params;
      assert.ok(JSON.stringify(body).includes('file 0 '), 'the request itself is recorded as sent');
      const skipped = await create({
        messages,
        context_management: { edits: [{ type: 'clear_tool_uses_20250919', trigger: { type: 'tool_uses', value: 1 }, keep: { type: 'tool_uses', value: 0 }, clear_at_least: { type: 'input_tokens', value: 1_000_000 } }] },
      }, [CM]);
      assert.deepEqual(skipped.context_management, { applied_edits: [] });
      const under = await create({ messages, context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] } }, [CM]);
      assert.deepEqual(under.context_management, { applied_edits: [] }, 'the default trigger (100,000 input tokens) is not reached');
    });

    it('the placeholder replaces the cleared results the model sees (the cache hashes the edited prompt)', async () => {
      const messages = toolConversation(3);
      const edits = [{ type: 'clear_tool_uses_20250919', trigger: { type: 'tool_uses', value: 1 }, keep: { type: 'tool_uses', value: 0 } }];
      const a = await create({ messages, context_management: { edits } }, [CM]);
      const cleared = messages.map((m) =>
        Array.isArray(m.content) ? { ...m, content: m.content.map((b) => (b.type === 'tool_result' ? { ...b, content: CLEARED_TOOL_RESULT } : b)) } : m,
      );
      const b = await create({ messages: cleared });
      assert.equal(a.usage.input_tokens, b.usage.input_tokens, 'the same prompt as one that carries the placeholder');
    });
  });

  describe('threshold compaction (compact_20260112)', () => {
    it('starts the reply with a compaction block once the trigger is reached; iterations carry its usage', async () => {
      const messages = [user(big('a', 120_000)), assistant('ok'), user(big('b', 120_000))];
      const edits = [{ type: 'compact_20260112', trigger: { type: 'input_tokens', value: 50_000 } }];
      const r = await create({ messages, context_management: { edits } }, [COMPACT]);
      assert.equal(r.content[0].type, 'compaction');
      assert.equal(r.content[1].type, 'text');
      const iters = r.usage.iterations as { type: string; input_tokens: number; output_tokens: number }[];
      assert.deepEqual(iters.map((i) => i.type), ['compaction', 'message']);
      assert.ok(iters[0].input_tokens > 60_000, `the compaction read the whole context (${iters[0].input_tokens})`);
      assert.equal(r.usage.input_tokens, iters[1].input_tokens, 'top level = the message iteration only');
      assert.ok(r.usage.input_tokens < 5_000, 'sampled from the compacted context');
      const paused = await create({ messages, context_management: { edits: [{ ...edits[0], pause_after_compaction: true }] } }, [COMPACT]);
      assert.equal(paused.stop_reason, 'compaction');
      assert.deepEqual(paused.content.map((b) => b.type), ['compaction']);
      // Below the trigger: no compaction, but iterations are always there with the beta on.
      const small = await create({ messages: [user('hello')], context_management: { edits } }, [COMPACT]);
      assert.equal(small.content[0].type, 'text');
      assert.deepEqual((small.usage.iterations as { type: string }[]).map((i) => i.type), ['message']);
    });
  });

  describe('on-demand compaction (compaction: summarize)', () => {
    const history = [user('Plan the refactor of parser.ts'), assistant('Step 1: split the lexer.'), user('And the tests?'), assistant('Add one per token kind.')];

    it('answers with only a signed compaction block that later requests send first; everything before it is ignored', async () => {
      const r = await create({ messages: history, compaction: { type: 'summarize' } }, [ON_DEMAND]);
      assert.equal(r.stop_reason, 'compaction');
      assert.equal(r.content.length, 1);
      const block = r.content[0] as unknown as { type: string; content: string; encrypted_content: string; signature: string };
      assert.equal(block.type, 'compaction');
      assert.match(block.content, /parser\.ts/);
      assert.ok(block.encrypted_content && block.signature);
      assert.equal(r.usage.input_tokens, 0);
      assert.equal((r.usage.iterations as { type: string }[])[0].type, 'compaction');
      assert.equal(api().pendingReplies, 0);
      const next = await create({ messages: [assistant([block as never]), user('Continue with step 2')] }, [ON_DEMAND]);
      assert.equal(next.content[0].type, 'text');
      const withOld = await create({ messages: [...history, assistant([block as never]), user('Continue with step 2')] }, [ON_DEMAND]);
      assert.equal(withOld.usage.input_tokens, next.usage.input_tokens, 'messages before the block are ignored');
    });

    it('refuses tampered, misplaced, duplicated and extra-field blocks with the SDK error codes', async () => {
      const r = await create({ messages: history, compaction: { type: 'summarize' } }, [ON_DEMAND]);
      const block = r.content[0] as unknown as Record<string, unknown>;
      const send = (content: unknown[], more: Anthropic.MessageParam[] = []) => create({ messages: [{ role: 'assistant', content } as never, ...more, user('go on')] }, [ON_DEMAND]);
      await expectError(send([{ ...block, content: `${String(block.content)} (edited)` }]), 400, /signature is not valid/, 'compaction_signature_invalid');
      await expectError(send([{ ...block, signature: undefined, content: 'forged summary' }]), 400, /does not match its encrypted_content/, 'compaction_content_mismatch');
      await expectError(send([{ type: 'text', text: 'hi' }, block]), 400, /first block of its message/, 'compaction_block_misplaced');
      await expectError(send([block], [user('x'), assistant([block as never])]), 400, /more than one compaction block/, 'compaction_block_ambiguous');
      await expectError(send([{ ...block, text: null, citations: null }]), 400, /compaction\.text: Extra inputs are not permitted/);
      await expectError(send([{ ...block, content: '' }]), 400, /at least 1 character/);
      await expectError(create({ messages: [assistant([block as never]), user('x')] }, []), 400, /Input tag 'compaction'/);
      const failed = await send([{ type: 'compaction', content: null, encrypted_content: null }, { type: 'text', text: 'earlier reply' }]);
      assert.equal(failed.content[0].type, 'text', 'a failed compaction (null content) is a no-op');
    });

    it('refuses nothing to summarize and an unfinished assistant turn; count_tokens ignores the parameter', async () => {
      const r = await create({ messages: history, compaction: { type: 'summarize' } }, [ON_DEMAND]);
      await expectError(create({ messages: [assistant([r.content[0] as never])], compaction: { type: 'summarize' } }, [ON_DEMAND]), 400, /nothing to summarize/, 'compaction_nothing_to_summarize');
      await expectError(
        create({ messages: [user('go'), assistant([{ type: 'tool_use', id: 'toolu_x', name: 'read_file', input: {} }])], compaction: { type: 'summarize' } }, [ON_DEMAND]),
        400,
        /not finished/,
        'compaction_incomplete_turn',
      );
      const plain = await sdk(api()).beta.messages.countTokens({ model: MODEL, messages: history, betas: [ON_DEMAND] } as never);
      const withParam = await sdk(api()).beta.messages.countTokens({ model: MODEL, messages: history, betas: [ON_DEMAND], compaction: { type: 'summarize' } } as never);
      assert.equal(withParam.input_tokens, plain.input_tokens);
      const compacted = await sdk(api()).beta.messages.countTokens({ model: MODEL, messages: [...history, assistant([r.content[0] as never]), user('next')], betas: [ON_DEMAND] } as never);
      assert.ok(compacted.input_tokens < plain.input_tokens + 400, 'count_tokens applies an existing compaction block');
    });

    it('streams as start, one compaction_delta, stop; reads the cache of the conversation it summarizes; can be scripted to fail', async () => {
      const long = [user([{ type: 'text', text: big('context', 8000), cache_control: { type: 'ephemeral' } }]), assistant('Read it.'), user('Summarize later.'), assistant('Sure.')];
      await create({ messages: [...long, user('warm the cache')] });
      const stream = sdk(api()).beta.messages.stream({ model: MODEL, max_tokens: 256, messages: long, compaction: { type: 'summarize' }, betas: [ON_DEMAND] } as never);
      const events: string[] = [];
      stream.on('streamEvent', (e) => void events.push('delta' in e && 'type' in e.delta ? `${e.type}:${e.delta.type}` : e.type));
      const msg = await stream.finalMessage();
      assert.deepEqual(events.filter((e) => e.startsWith('content_block')), ['content_block_start', 'content_block_delta:compaction_delta', 'content_block_stop']);
      const block = msg.content[0] as unknown as { content: string; encrypted_content: string; signature: string };
      assert.ok(block.content && block.encrypted_content && block.signature);
      const iter = (msg.usage.iterations as { cache_read_input_tokens: number }[])[0];
      assert.ok(iter.cache_read_input_tokens > 1900, `cache read ${iter.cache_read_input_tokens}`);
      api().compaction.queue({ kind: 'error', status: 529, message: 'Compaction is temporarily unavailable.', details: { error_code: 'compaction_unavailable' } });
      await expectError(create({ messages: history, compaction: { type: 'summarize' } }, [ON_DEMAND]), 529, /temporarily unavailable/, 'compaction_unavailable');
      api().compaction.queue({ summary: 'A scripted summary.' });
      const scripted = await create({ messages: history, compaction: { type: 'summarize' } }, [ON_DEMAND]);
      assert.equal((scripted.content[0] as unknown as { content: string }).content, 'A scripted summary.');
    });
  });
});
