// Memory over a long session, in plain node with --expose-gc: the real ChatApp (test/unit/chat/fakes.ts harness:
// real ChatSession, SDK, ConversationStore on a temp folder) against the fake API, 200 turns each with a tool round
// (a read_file result of 4 KB) and a 2 KB answer. The extension host's heap growth after the session (after a full
// GC) is compared with the size of the conversation's text, and measured again after the conversation is closed
// (a new chat). The view transport is a no-op here and the in-process fake API forgets its requests after each
// turn: the harness's and the fake's records are not the extension's memory.
// Alone: node --expose-gc bench/memory/run.mjs [--json]   (bench/run.mjs runs it in a child process)
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const out = (p) => require(join(ROOT, 'out', p));
const TURNS = Number(process.env.MEMORY_TURNS || 200);

/** The harness records every posted message, usage call and port call for its tests; not the extension's memory. */
function quiet(h) {
  h.app['deps'].view.post = () => {};
  h.usage.streaming = () => {};
  h.usage.record = () => {};
  h.usage.setContext = () => {};
  h.usage.streamEnded = () => {};
  h.usage.cacheMiss = () => {};
  h.fake.ports.commands.setBusy = async () => {};
}

async function heap() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

/** Characters of text the conversation holds: what the user wrote, the replies, tool inputs and results. */
function textChars(conv) {
  let n = 0;
  for (const t of conv.turns) {
    n += t.userText.length;
    for (const b of t.blocks) n += (b.text?.length ?? 0) + (b.kind === 'tool_use' ? JSON.stringify(b.input ?? {}).length : 0);
  }
  return n;
}

export async function run({ log = console.log } = {}) {
  if (typeof globalThis.gc !== 'function') throw new Error('bench/memory needs node --expose-gc');
  const { startFakeApi, reply } = out('test/fake-api/server.js');
  const { chatHarness } = out('test/unit/chat/fakes.js');
  const { toolDefinitions } = out('src/core/tools/definitions.js');
  const api = await startFakeApi();
  try {
    const tools = {
      definitions: () => toolDefinitions(new Set(['read_file'])),
      run: async (calls) => calls.map((c, i) => ({ toolUseId: c.id, content: `// ${c.input.path}\n` + `export const line${i} = ${'x'.repeat(60)};\n`.repeat(55), isError: false })),
    };
    const answer = (i) => `Answer ${i}: ` + 'the function keeps its state in a closure and returns early on error. '.repeat(28);
    const session = async (h, turns, sample) => {
      for (let i = 0; i < turns; i++) {
        api.queue(reply.toolUse('read_file', { path: `src/file${i}.ts` }, { preamble: 'Let me look.' }), reply.text(answer(i)));
        await h.app.handle({ type: 'send', text: `Question ${i}: what does src/file${i}.ts do?` });
        // The fake API runs in this process: what it records (every request body, its cache) is not the extension's.
        api.requests.length = 0;
        api.cache.clear();
        // Its cache diagnostics keep a fingerprint (a hash per block) of up to 1,000 requests: keep only the newest,
        // which the next request names as its previous message.
        const seen = api.diagnostics['seen'];
        const newest = [...seen.keys()].pop();
        for (const k of [...seen.keys()]) if (k !== newest) seen.delete(k);
        if (sample && i % 20 === 19) sample(await heap());
      }
    };
    // Warm up every code path (SDK, schemas, store, JIT) with a shorter session of the same kind, then close it.
    const warm = await chatHarness(api, { tools });
    quiet(warm);
    await session(warm, 20);
    await warm.store.save(warm.app.session.conversation);
    await warm.app.handle({ type: 'newChat' });
    warm.app.dispose();

    const h = await chatHarness(api, { tools });
    quiet(h);
    const before = await heap();
    let peak = before;
    await session(h, TURNS, (b) => (peak = Math.max(peak, b)));
    await h.store.save(h.app.session.conversation); // every save queued so far is done
    // Only numbers and weak references leave this function: no strong reference to the conversation stays here.
    const { chars, json, held, someTurn } = (() => {
      const conv = h.app.session.conversation;
      if (conv.turns.length !== TURNS || conv.turns.some((t) => t.status !== 'complete')) throw new Error('bench/memory: not every turn completed');
      return { chars: textChars(conv), json: JSON.stringify(conv).length, held: new WeakRef(conv), someTurn: new WeakRef(conv.turns[TURNS >> 1]) };
    })();
    const after = await heap();
    await h.app.handle({ type: 'newChat' });
    const closed = await heap();
    // Released: nothing holds the closed conversation or any of its turns (what stays is compiled code and the like).
    const freed = held.deref() === undefined && someTurn.deref() === undefined;
    h.app.dispose();
    api.reset();
    const r = {
      turns: TURNS,
      textChars: chars,
      jsonChars: json,
      heapGrowthBytes: after - before,
      growthOverText: (after - before) / chars,
      afterCloseBytes: closed - before,
      afterCloseOverText: (closed - before) / chars,
      conversationFreed: freed,
      peakDuringSessionBytes: peak - before,
      peakOverText: (peak - before) / chars,
    };
    log(`memory, ${TURNS} turns with a tool round each (${(chars / 1048576).toFixed(2)} MB of text, ${(json / 1048576).toFixed(2)} MB as JSON): ` +
      `heap grew ${((after - before) / 1048576).toFixed(2)} MB = ${r.growthOverText.toFixed(2)}x the text   (target <= 2x); ` +
      `after the conversation was closed: ${((closed - before) / 1048576).toFixed(2)} MB = ${r.afterCloseOverText.toFixed(2)}x, ` +
      `the conversation ${freed ? 'freed (no object of it left)' : 'STILL HELD'}; ` +
      `highest during the session (every 20 turns): ${((peak - before) / 1048576).toFixed(2)} MB = ${r.peakOverText.toFixed(2)}x`);
    return r;
  } finally {
    await api.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const json = process.argv.includes('--json');
  run({ log: json ? (m) => console.error(m) : console.log }).then((r) => {
    if (json) console.log(JSON.stringify(r));
  }, (e) => {
    console.error(e);
    process.exit(1);
  });
}
