// Long-session benchmark: a 40-turn agentic session (2-4 tool rounds a turn, large read_file / search_text results)
// through the real ChatSession and SDK against the fake API, on a model with a small (200k) window. Reports the
// total cost with compaction and context editing against the same session without them, and how many requests the
// API refused as too long (compiled from out/; `npm run bench` compiles first; `node bench/session/run.mjs` alone).
//
// "Without" cannot finish on the small window (it dead-ends: measured too), so its cost is that of the same model and
// prices with the window large enough to carry the whole history. Prices: the built-in table (claude-opus-4-5:
// $5/$25 per MTok, cache writes 1.25x, reads 0.1x; the summaries on claude-haiku-5-5). Token counts: the fake's
// tokenizer and cache (test/fake-api/); the summaries are scripted (the fake cannot summarize), 2,400 characters.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'out');
const MODEL = 'claude-opus-4-5-20251101';
const SMALL = 200_000;
const TURNS = 40;
const TURN_GAP_MS = 60_000;
const SYSTEM = 'You are a senior engineer working in the user\'s repository with workspace tools. Read before you change, cite paths, keep answers short. '.repeat(8);

function load() {
  if (!existsSync(join(OUT, 'src', 'core', 'chatSession.js'))) throw new Error('bench/session: compile first: npx tsc -p tsconfig.test.json');
  const require = createRequire(import.meta.url);
  const r = (p) => require(join(OUT, ...p.split('/')));
  return { ...r('src/core/chatSession.js'), ...r('src/core/sdk.js'), ...r('src/core/tools/definitions.js'), ...r('src/core/usage/cost.js'), ...r('src/core/usage/priceBook.js'), ...r('test/fake-api/server.js') };
}

/** A deterministic pseudo-random sequence (the same session every run). */
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function source(name, tokens) {
  const lines = [`// ${name}`];
  for (let i = 0, chars = 0; chars < tokens * 4; i++) {
    const line = i % 6 === 0 ? `export function ${name.replace(/\W/g, '_')}_${i}(input: readonly string[]): number {` : i % 6 === 5 ? '}' : `  const v${i} = input.map((x) => x.length * ${i}).filter((n) => n > ${i % 11}).length; // ${i}`;
    lines.push(line);
    chars += line.length + 1;
  }
  return lines.join('\n');
}

/** 40 turns: each 2-4 tool rounds of 1-2 calls (read_file ~1.5-2.5k tokens, search_text ~600), then an answer. */
function script() {
  const rand = rng(16);
  return Array.from({ length: TURNS }, (_, t) => {
    const rounds = Array.from({ length: 2 + Math.floor(rand() * 3) }, (_, r) =>
      Array.from({ length: 1 + Math.floor(rand() * 2) }, (_, c) =>
        rand() < 0.7 ? { name: 'read_file', input: { path: `src/m${t}_${r}_${c}.ts` }, tokens: 1500 + Math.floor(rand() * 1000) } : { name: 'search_text', input: { pattern: `fn${t}${r}${c}` }, tokens: 600 },
      ),
    );
    return { ask: `Turn ${t + 1}: look at module ${t} and fix what you find. ` + 'Context for the request. '.repeat(10), rounds, answer: `Done with module ${t}. ` + 'I changed the loop bounds and added a guard. '.repeat(12) };
  });
}

async function runSession(m, variant, turns) {
  const model = variant.model ?? MODEL;
  const api = await m.startFakeApi({ models: [{ id: model, max_input_tokens: variant.window }] });
  const records = [];
  const results = new Map();
  const chat = [];
  let summaries = 0;
  api.setResponder((r) => {
    if (JSON.stringify(r.body.system ?? '').includes('running summary')) return { kind: 'text', text: `- Summary ${++summaries}: ` + 'the user is fixing modules one by one; loop bounds and guards changed in each. '.repeat(30) };
    return chat.shift();
  });
  let failedAt;
  try {
    const tools = m.toolDefinitions(new Set(m.TOOL_NAMES));
    const runner = { definitions: () => tools, run: async (calls) => calls.map((c) => ({ toolUseId: c.id, content: results.get(JSON.stringify(c.input)) ?? 'no such file', isError: false })) };
    const session = new m.ChatSession({
      apiKey: async () => m.DEFAULT_TEST_KEY,
      settings: () => ({ model, maxTokens: 4096, baseURL: api.url, systemPrompt: SYSTEM, maxToolRounds: 10, session: variant.session }),
      usage: { record: (r) => records.push(r) },
      tools: runner,
      contextWindow: (id) => (id === model ? variant.window : 1_000_000),
      contextCapabilities: (id) => (id === model ? variant.capabilities : undefined),
      clientFactory: (apiKey, baseURL) => m.createClient({ apiKey, baseURL }),
    });
    for (const [i, turn] of turns.entries()) {
      for (const round of turn.rounds) {
        for (const c of round) results.set(JSON.stringify(c.input), source(c.input.path ?? c.input.pattern, c.tokens));
        chat.push({ kind: 'message', blocks: [{ type: 'text', text: 'Let me look.' }, ...round.map((c) => ({ type: 'tool_use', name: c.name, input: c.input }))] });
      }
      chat.push({ kind: 'text', text: turn.answer });
      if (i === 0) session.attach({ id: 'guide', label: 'docs/guide.md', kind: 'file', text: source('guide', 6000) });
      await session.send(turn.ask);
      const last = session.history.at(-1);
      if (last.status !== 'complete' || last.costPaused) {
        failedAt ??= i + 1;
        chat.length = 0;
      }
      api.clock.advance(TURN_GAP_MS);
    }
    if (api.scriptErrors.length) throw new Error(`bench/session: ${api.scriptErrors.join('; ')}`);
    return figures(m, records, api, session, failedAt);
  } finally {
    await api.close();
  }
}

function figures(m, records, api, session, failedAt) {
  const book = m.PriceBook.builtIn();
  const cost = records.reduce((a, r) => a + (m.recordCost(r, book)?.total ?? NaN), 0);
  const t = records.reduce((a, r) => m.addTokens(a, r), m.ZERO_TOKENS);
  const chats = api.messageRequests.filter((r) => !JSON.stringify(r.body.system ?? '').includes('running summary') && r.body.compaction === undefined);
  const compactions = session.conversation.compactions ?? [];
  // After each compaction: what the first request read from the cache, against its stable prefix (tools, system, context).
  const afterCompaction = chats
    .map((r, i) => ({ r, i }))
    .filter(({ r, i }) => i > 0 && summaryId(r) !== summaryId(chats[i - 1]) && summaryId(r) !== '\u0000')
    .map(({ r }) => ({ read: r.usage?.cache_read_input_tokens ?? 0, stablePrefix: stablePrefix(m, r.body) }));
  return {
    turns: session.history.length,
    completeTurns: session.history.filter((x) => x.status === 'complete' && !x.costPaused).length,
    failedAtTurn: failedAt ?? null,
    requests: records.length,
    refusedTooLong: api.messageRequests.filter((r) => /prompt is too long/.test(r.error ?? '')).length,
    compactions: compactions.length,
    summaryRequests: records.filter((r) => r.kind === 'compaction').length,
    clearedResults: session.history.flatMap((x) => x.blocks).filter((b) => b.cleared).length,
    maxPromptTokens: Math.max(0, ...chats.map((r) => (r.usage ? r.usage.input_tokens + r.usage.cache_read_input_tokens + r.usage.cache_creation_input_tokens : 0))),
    promptTokens: m.promptTokens(t),
    readShare: t.cacheReadTokens / Math.max(1, m.promptTokens(t)),
    outputTokens: t.outputTokens,
    costUsd: cost,
    afterCompaction,
  };
}

/** Tokens of tools + system + the attached context document (the part a compaction must not invalidate). */
function stablePrefix(m, body) {
  const ctx = body.messages.findIndex((x) => Array.isArray(x.content) && x.content.some((b) => b.type === 'text' && b.text.startsWith('<document path=')));
  return m.prefixBlocks(body).filter((b) => b.section !== 'messages' || b.path === `messages.${ctx}.content.0`).reduce((a, b) => a + b.tokens, 0);
}

/** The summary a request carries (client summary text or the API's signed block), to find the first after each. */
function summaryId(r) {
  const text = JSON.stringify(r.body.messages);
  const m = /- Summary (\d+):/.exec(text) ?? /"signature":"([^"]+)"/.exec(text);
  return m ? m[1] : '\u0000';
}

export async function run() {
  const m = load();
  const turns = script();
  const variants = {
    withApiEditing: { window: SMALL, capabilities: { clearToolUses: true }, session: {} },
    withClientEditing: { window: SMALL, capabilities: { clearToolUses: true }, session: { editing: 'client' } },
    withoutLargeWindow: { window: 1_000_000, capabilities: { clearToolUses: true }, session: { autoCompact: false, editing: 'off', maxRequestTokens: 0 } },
    withoutSmallWindow: { window: SMALL, capabilities: { clearToolUses: true }, session: { autoCompact: false, editing: 'off', maxRequestTokens: 0 } },
    withTinyWindow: { window: 40_000, capabilities: { clearToolUses: true }, session: {} },
    // The API's own compaction (a model that takes it, its window cut to 40k): the block must come first, so the
    // attached context follows it and is written to the cache again after each compaction (tools + system are read).
    serverCompaction: { model: 'claude-opus-5-5', window: 40_000, capabilities: { clearToolUses: true, compaction: true }, session: {} },
  };
  const out = {};
  for (const [name, v] of Object.entries(variants)) out[name] = await runSession(m, v, turns);
  const base = out.withoutLargeWindow.costUsd;
  const rows = [
    ['with compaction + API context editing (defaults)', out.withApiEditing],
    ['with compaction + client context editing', out.withClientEditing],
    ['without (window large enough for everything)', out.withoutLargeWindow],
    ['without, on the 200k window', out.withoutSmallWindow],
    ['with (defaults), on a 40k window (stress)', out.withTinyWindow],
    ["API's compaction: claude-opus-5-5 cut to 40k (own prices)", out.serverCompaction],
  ];
  console.log(`\n${TURNS} agentic turns (${turns.reduce((a, t) => a + t.rounds.length, 0)} tool rounds), ${MODEL} (${SMALL.toLocaleString('en-US')}-token window), fake-API tokens and cache`);
  console.log(`${'session'.padEnd(50)} turns ok  requests  refused  compactions  cleared  max prompt  read share      cost   ratio`);
  for (const [label, f] of rows) {
    console.log(
      `${label.padEnd(50)} ${String(f.completeTurns).padStart(8)} ${String(f.requests).padStart(9)} ${String(f.refusedTooLong).padStart(8)} ${String(f.compactions).padStart(12)} ${String(f.clearedResults).padStart(8)} ${String(f.maxPromptTokens).padStart(11)} ${(f.readShare * 100).toFixed(1).padStart(10)}% ${('$' + f.costUsd.toFixed(3)).padStart(9)} ${(f === out.serverCompaction ? '—' : (f.costUsd / base).toFixed(3)).padStart(7)}`,
    );
  }
  const ratio = out.withApiEditing.costUsd / base;
  const refused = out.withApiEditing.refusedTooLong + out.withClientEditing.refusedTooLong + out.withTinyWindow.refusedTooLong + out.serverCompaction.refusedTooLong;
  const dead = out.withoutSmallWindow.failedAtTurn;
  console.log(`without compaction the 200k window dead-ends at turn ${dead ?? 'never'}: ${TURNS - out.withoutSmallWindow.completeTurns} of ${TURNS} turns cannot be sent.`);
  for (const [label, f] of [rows[0], rows[1], rows[4], rows[5]]) {
    if (f.afterCompaction.length === 0) continue;
    const kept = f.afterCompaction.filter((a) => a.read >= a.stablePrefix).length;
    const min = Math.min(...f.afterCompaction.map((a) => a.read / a.stablePrefix));
    console.log(`${label}: after ${f.afterCompaction.length} compactions, the first request read tools + system + attached context (${f.afterCompaction[0].stablePrefix} tokens) from the cache ${kept} of ${f.afterCompaction.length} times (lowest read/prefix ${min.toFixed(2)}).`);
  }
  const targets = { costRatio: 0.6, refusedTooLong: 0 };
  const met = ratio <= targets.costRatio && refused === targets.refusedTooLong && out.withApiEditing.completeTurns === TURNS && out.withClientEditing.completeTurns === TURNS;
  console.log(`targets: cost with/without <= ${targets.costRatio} (${ratio.toFixed(3)}), requests refused as too long = 0 (${refused}), every turn completes: ${met ? 'met' : 'MISSED'}`);
  return { model: MODEL, window: SMALL, turns: TURNS, sessions: out, costRatio: ratio, refusedTooLong: refused, targets, met };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
