// Where time to first token goes on the host side, in plain node (no VS Code): the real ChatApp (test/unit/chat/
// fakes.ts harness: real session, SDK, store; recording editor ports) against the fake API, from the webview's
// `send` to the first `blockDelta` handed to the view, next to a bare fetch of the same stream (the baseline's
// work). Also the per-message cost of the two checks every message passes: redactDeep at the host's sink and the
// valibot guard in the webview, for a delta and for a whole 500-turn state.
// Alone: node bench/ttft/node.mjs (after npm run compile-tests).
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from '../support/workbench.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const out = (p) => require(join(ROOT, 'out', p));

async function bareFetch(url, key) {
  const t0 = performance.now();
  const res = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 256, stream: true, messages: [{ role: 'user', content: 'ping' }] }),
  });
  const decoder = new TextDecoder();
  let buf = '';
  let first;
  for await (const chunk of res.body) {
    buf += decoder.decode(chunk, { stream: true });
    if (first === undefined && buf.includes('"text_delta"')) first = performance.now() - t0;
  }
  return first;
}

function perMessage(fn, msg, n) {
  for (let i = 0; i < Math.min(n, 50); i++) fn(msg);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(msg);
  return ((performance.now() - t0) / n) * 1000; // µs
}

export async function run({ log = console.log, sends = 30 } = {}) {
  const { startFakeApi, DEFAULT_TEST_KEY } = out('test/fake-api/server.js');
  const { chatHarness } = out('test/unit/chat/fakes.js');
  const { redactDeep } = out('src/core/redact.js');
  const { checkHostToWebview } = out('src/shared/guards/toWebview.js');
  const api = await startFakeApi();
  try {
    api.setResponder(() => ({ kind: 'text', text: 'pong '.repeat(20), chunkSize: 10 }));
    const h = await chatHarness(api);
    let firstDelta;
    const post = h.app['deps'].view.post;
    h.app['deps'].view.post = (m) => {
      if (m.type === 'blockDelta' && firstDelta === undefined) firstDelta = performance.now();
      post(m);
    };
    const ours = [];
    const bare = [];
    await h.app.handle({ type: 'send', text: 'warm up' });
    await bareFetch(api.url, DEFAULT_TEST_KEY);
    for (let i = 0; i < sends; i++) {
      firstDelta = undefined;
      const t0 = performance.now();
      await h.app.handle({ type: 'send', text: `ping ${i}` });
      ours.push(firstDelta - t0);
      bare.push(await bareFetch(api.url, DEFAULT_TEST_KEY));
    }
    h.app.dispose();

    const delta = { type: 'blockDelta', turnId: 't1', blockId: 't1b0', text: 'pong pong ' };
    const turns = Array.from({ length: 500 }, (_, i) => ({
      id: `t${i}`, userText: `Question ${i}`, status: 'complete', model: 'claude-sonnet-5-5', stopReason: 'end_turn',
      usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
      blocks: [{ id: `t${i}b0`, kind: 'text', text: `Answer ${i}. `.repeat(40) }],
    }));
    const state = { type: 'state', state: { hasApiKey: true, keySource: 'secret', model: 'claude-sonnet-5-5', turns } };
    const r = {
      sends,
      hostSendToFirstDeltaMedianMs: median(ours),
      bareFetchFirstDeltaMedianMs: median(bare),
      redactDeltaUs: perMessage(redactDeep, delta, 20000),
      guardDeltaUs: perMessage(checkHostToWebview, delta, 20000),
      redactState500Us: perMessage(redactDeep, state, 50),
      guardState500Us: perMessage(checkHostToWebview, state, 50),
    };
    log(`host, plain node: webview 'send' -> first blockDelta posted, median of ${sends}: ${r.hostSendToFirstDeltaMedianMs.toFixed(2)} ms; bare fetch -> first text delta: ${r.bareFetchFirstDeltaMedianMs.toFixed(2)} ms`);
    log(`per message: redactDeep ${r.redactDeltaUs.toFixed(1)} µs, webview guard ${r.guardDeltaUs.toFixed(1)} µs (a delta); ` +
      `redactDeep ${(r.redactState500Us / 1000).toFixed(2)} ms, guard ${(r.guardState500Us / 1000).toFixed(2)} ms (a 500-turn state)`);
    return r;
  } finally {
    await api.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
