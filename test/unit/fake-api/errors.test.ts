// Validation and HTTP errors: real status, envelope, request id, and the SDK's matching error class.
import Anthropic, {
  APIError, AuthenticationError, BadRequestError, ContentTooLargeError, InternalServerError, NotFoundError,
  OverloadedError, PermissionDeniedError, RateLimitError,
} from '@anthropic-ai/sdk';
import * as assert from 'node:assert/strict';
import { reply, startFakeApi } from '../../fake-api/server';
import { assistant, MODEL, rejectsWith, sdk, sdk0, useFakeApi, user } from './helpers';

type Params = Anthropic.MessageCreateParamsNonStreaming;
const base: Params = { model: MODEL, max_tokens: 1024, messages: [user('hi')] };

/** Checks the whole error envelope, not just the class. */
function assertEnvelope(err: APIError, status: number, type: string, message: string): void {
  assert.equal(err.status, status);
  const body = err.error as { type: string; error: { type: string; message: string }; request_id: string };
  assert.equal(body.type, 'error');
  assert.equal(body.error.type, type);
  assert.equal(body.error.message, message);
  assert.match(err.requestID ?? '', /^req_011C/);
  assert.equal(body.request_id, err.requestID, 'request_id field equals the request-id header');
}

describe('fake API: errors', () => {
  const api = useFakeApi();

  async function expect400(params: unknown, message: string, client = sdk(api())): Promise<void> {
    // An explicit timeout skips the SDK's "streaming is required" guard for very large max_tokens.
    const err = await rejectsWith(client.messages.create(params as Params, { timeout: 60_000 }), BadRequestError);
    assertEnvelope(err, 400, 'invalid_request_error', message);
    assert.equal(err.headers?.get('x-should-retry'), 'false');
  }

  it('401 for a missing and for a wrong key (AuthenticationError)', async () => {
    const noKey = sdk(api(), { defaultHeaders: { authorization: null } });
    assertEnvelope(await rejectsWith(noKey.messages.create(base), AuthenticationError), 401, 'authentication_error', 'x-api-key header is required');
    const wrong = sdk(api(), { apiKey: 'sk-ant-api03-wrong' });
    assertEnvelope(await rejectsWith(wrong.models.list(), AuthenticationError), 401, 'authentication_error', 'invalid x-api-key');
    assert.equal(api().requests.length, 2, 'rejected requests are recorded too');
  });

  it('404 for an unknown or retired model (NotFoundError)', async () => {
    const err = await rejectsWith(sdk(api()).messages.create({ ...base, model: 'claude-3-5-haiku-20241022' }), NotFoundError);
    assertEnvelope(err, 404, 'not_found_error', 'model: claude-3-5-haiku-20241022');
    const retired = await rejectsWith(sdk(api()).messages.create({ ...base, model: 'claude-sonnet-4-20250514' }), NotFoundError);
    assertEnvelope(retired, 404, 'not_found_error', 'model: claude-sonnet-4-20250514');
  });

  it('400 for missing fields and empty messages', async () => {
    await expect400({ model: MODEL, messages: [user('hi')] }, 'max_tokens: Field required');
    await expect400({ ...base, messages: [] }, 'messages: at least one message is required');
    await expect400({ ...base, messages: [user([{ type: 'text', text: '' }])] }, 'messages: text content blocks must be non-empty');
    await expect400({ ...base, messages: [user([{ type: 'text', text: '  \n' }])] }, 'messages: text content blocks must contain non-whitespace text');
    await expect400({ ...base, messages: [user(''), assistant('a'), user('b')] }, 'messages.0: all messages must have non-empty content except for the optional final assistant message');
  });

  it('400 for more than 4 cache_control breakpoints, counting the automatic one', async () => {
    const cc = { type: 'ephemeral' as const };
    const blocks = [1, 2, 3, 4].map((i) => ({ type: 'text' as const, text: `part ${i}`, cache_control: cc }));
    await expect400({ ...base, messages: [user([...blocks, { type: 'text', text: 'five', cache_control: cc }])] }, 'A maximum of 4 blocks with cache_control may be provided. Found 5.');
    await expect400({ ...base, cache_control: cc, messages: [user([...blocks, { type: 'text', text: 'tail' }])] }, 'A maximum of 4 blocks with cache_control may be provided. Found 5.');
  });

  it('400 for tool_result without a tool_use before it, and for a tool_use left unanswered', async () => {
    const call = assistant([{ type: 'tool_use', id: 'toolu_01A', name: 'read', input: {} }]);
    await expect400(
      { ...base, messages: [user('go'), call, user([{ type: 'tool_result', tool_use_id: 'toolu_01A', content: 'ok' }, { type: 'tool_result', tool_use_id: 'toolu_01X', content: 'x' }])] },
      'messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_01X. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
    );
    await expect400(
      { ...base, messages: [user('go'), call, user('never mind')] },
      'messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_01A. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
    );
    const ok = await sdk(api()).messages.create({ ...base, messages: [user('go'), call, user([{ type: 'tool_result', tool_use_id: 'toolu_01A', content: 'ok' }])] });
    assert.equal(ok.type, 'message');
  });

  it('400 for sampling parameters under 2026-10-21, and only non-default ones on new models under 2023-06-01', async () => {
    await expect400({ ...base, temperature: 1 }, 'temperature: Extra inputs are not permitted');
    await expect400({ ...base, top_k: 5 }, 'top_k: Extra inputs are not permitted');
    const old = sdk0(api());
    assert.equal((await old.messages.create({ ...base, model: 'claude-opus-4-5', temperature: 0.3 } as Params)).type, 'message');
    assert.equal((await old.messages.create({ ...base, temperature: 1 } as Params)).type, 'message');
    const err = await rejectsWith(old.messages.create({ ...base, temperature: 0.3 } as Params), BadRequestError);
    assert.match(err.message, /temperature/);
  });

  it('400 for thinking budgets out of range and thinking modes the model lacks', async () => {
    const m = 'claude-sonnet-4-6';
    await expect400({ ...base, model: m, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 2000 } },
      '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size');
    await expect400({ ...base, model: m, thinking: { type: 'enabled', budget_tokens: 512 } }, 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    const err = await rejectsWith(sdk(api()).messages.create({ ...base, model: 'claude-opus-4-8', max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 } }), BadRequestError);
    assert.match(err.message, /adaptive/);
  });

  it('400 for a thinking block without signature, and for one modified after it was issued', async () => {
    await expect400(
      { ...base, messages: [user('q'), assistant([{ type: 'thinking', thinking: 'hmm' } as never, { type: 'text', text: 'a' }]), user('next')] },
      'messages.1.content.0.thinking.signature: Field required',
    );
    api().queue(reply.thinking('I should answer 4.', 'Four.'));
    const client = sdk(api());
    const m = await client.messages.create(base);
    const th = m.content[0] as Anthropic.ThinkingBlock;
    const tampered = { ...th, thinking: 'I should answer 5.' };
    await expect400(
      { ...base, messages: [user('q'), assistant([tampered, m.content[1] as Anthropic.TextBlock]), user('next')] },
      'messages.1.content.0: `thinking` or `redacted_thinking` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.',
    );
    await expect400(
      { ...base, messages: [user('q'), assistant([{ type: 'redacted_thinking', data: 'forged' }, { type: 'text', text: 'a' }]), user('next')] },
      'messages.1.content.0: `thinking` or `redacted_thinking` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.',
    );
  });

  it('400 for a prompt over the context window and max_tokens over the model limit', async () => {
    api().models.add({ id: 'claude-tiny', max_input_tokens: 100, max_tokens: 50 });
    // 400 chars -> 100 tokens + 3 + 4 = 107 > 100.
    await expect400({ ...base, model: 'claude-tiny', max_tokens: 10, messages: [user('x'.repeat(400))] }, 'prompt is too long: 107 tokens > 100 maximum');
    await expect400({ ...base, model: 'claude-tiny', max_tokens: 51 }, 'max_tokens: 51 > 50, which is the maximum allowed number of output tokens for claude-tiny');
    await expect400({ ...base, max_tokens: 128_001 }, 'max_tokens: 128001 > 128000, which is the maximum allowed number of output tokens for claude-sonnet-5-5');
  });

  it('400 for prefill on models that refuse it, and the historical rules only in strict mode', async () => {
    await expect400({ ...base, model: 'claude-opus-4-8', messages: [user('q'), assistant('The answer is')] }, 'Prefilling assistant messages is not supported for this model.');
    assert.equal((await sdk(api()).messages.create({ ...base, messages: [assistant('Hi!'), user('q'), user('more')] })).type, 'message');
    api().strict = true;
    await expect400({ ...base, messages: [assistant('Hi!'), user('q')] }, 'messages: first message must use the "user" role');
    await expect400({ ...base, messages: [user('q'), user('more')] }, 'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row');
  });

  it('scripted 403, 429, 500, 529 map to their SDK classes with the real headers', async () => {
    const client = sdk(api());
    api().queue(reply.permissionDenied(), reply.rateLimited({ retryAfter: 7 }), reply.internalError(), reply.overloaded());
    assertEnvelope(await rejectsWith(client.messages.create(base), PermissionDeniedError), 403, 'permission_error', 'Permission denied');
    const rl = await rejectsWith(client.messages.create(base), RateLimitError);
    assertEnvelope(rl, 429, 'rate_limit_error', 'Rate limited');
    assert.equal(rl.headers?.get('retry-after'), '7');
    assert.equal(rl.headers?.get('x-should-retry'), 'true');
    assert.equal(rl.headers?.get('anthropic-ratelimit-input-tokens-remaining'), '0');
    assert.match(rl.headers?.get('anthropic-ratelimit-requests-reset') ?? '', /^2026-11-22T00:01:\d\dZ$/);
    assertEnvelope(await rejectsWith(client.messages.create(base), InternalServerError), 500, 'api_error', 'Internal server error');
    const ov = await rejectsWith(client.messages.create(base), OverloadedError);
    assert.ok(ov instanceof InternalServerError);
    assertEnvelope(ov, 529, 'overloaded_error', 'Overloaded');
    assert.equal(api().pendingReplies, 0);
  });

  it('scripted 413 has the Cloudflare body: no type, no request_id (ContentTooLargeError)', async () => {
    api().queue(reply.tooLarge());
    const err = await rejectsWith(sdk(api()).messages.create(base), ContentTooLargeError);
    assert.equal(err.status, 413);
    assert.deepEqual(err.error, { error: { type: 'request_too_large', message: 'Request exceeds the maximum size' } });
    assert.equal(err.requestID, null);
  });

  it('a body over the size limit gets the 413 before auth or validation', async () => {
    const small = await startFakeApi({ maxBodyBytes: 2_000 });
    try {
      const err = await rejectsWith(sdk(small, { apiKey: 'sk-ant-wrong-key' }).messages.create({ ...base, messages: [user('x'.repeat(3_000))] }), ContentTooLargeError);
      assert.equal(err.status, 413);
      assert.equal((await sdk(small).messages.create(base)).type, 'message', 'small bodies still pass');
    } finally {
      await small.close();
    }
  });

  it('a non-JSON error body reaches the caller as text', async () => {
    api().queue(reply.error(502, { rawBody: '<html>Bad gateway</html>' }));
    const err = await rejectsWith(sdk(api()).messages.create(base), InternalServerError);
    assert.equal(err.status, 502);
    assert.match(err.message, /<html>Bad gateway<\/html>/);
  });
});
