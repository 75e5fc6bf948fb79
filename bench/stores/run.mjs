// Stores that should stay O(1), in plain node on a temp folder (compiled from out/; `npm run bench` compiles):
//  - the usage store (an append-only log shared by windows): the cost of adding one record with 100,000 records of
//    history, next to the same with an empty history (the ratio says whether it depends on history size), and the
//    usage report's open (store.rows() + buildReport) at 100,000 records, next to an empty history;
//  - the conversation index: listing 1,000 conversations (cold: a new window reading index.json; warm: the same
//    window again), next to listing 10.
// Alone: node bench/stores/run.mjs (STORES_USAGE_ONLY=1: the usage store only; STORES_ADDS=n: adds per history)
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const out = (p) => require(join(ROOT, 'out', p));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (sorted, p) => sorted[Math.floor(p * (sorted.length - 1))];
const DAY = 86_400_000;
const ADDS = Number(process.env.STORES_ADDS || 1000);

function record(i, now) {
  const models = ['claude-sonnet-5-5', 'claude-opus-5-5', 'claude-haiku-5-5'];
  return {
    model: models[i % 3], inputTokens: 1000 + (i % 97), outputTokens: 300 + (i % 31), cacheReadTokens: 5000, cacheWrite5mTokens: i % 7 ? 0 : 2000,
    cacheWrite1hTokens: 0, batch: i % 11 === 0, at: now - Math.floor((i / 100_000) * 365) * DAY, kind: 'chat', conversationId: `c${i % 500}`, exact: true,
  };
}

/**
 * A usage folder holding `n` records as windows that appended them all would leave it: one log line per record
 * (written here directly, in the log's own line format), folded into the rollups by the store's first write, and the
 * sealed log removed by a later compaction once no late append can reach it (the store's clock moved past the
 * grace period), as in use.
 */
async function usageHistory(n, now) {
  const { UsageStore, localDay, USAGE_DIR } = out('src/core/usage/store.js');
  const dir = mkdtempSync(join(tmpdir(), 'bench-usage-'));
  if (n > 0) {
    mkdirSync(join(dir, USAGE_DIR), { recursive: true });
    const lines = [];
    for (let i = 0; i < n; i++) {
      const r = record(i, now);
      const row = { day: localDay(r.at), workspace: `ws${i % 5}`, model: r.model, batch: r.batch, requests: 1, inputTokens: r.inputTokens, outputTokens: r.outputTokens,
        cacheReadTokens: r.cacheReadTokens, cacheWrite5mTokens: r.cacheWrite5mTokens, cacheWrite1hTokens: r.cacheWrite1hTokens };
      lines.push(`\n${JSON.stringify([row])}\n`);
    }
    writeFileSync(join(dir, USAGE_DIR, 'live.jsonl'), lines.join(''));
  }
  let clock = now;
  const store = new UsageStore(dir, { now: () => clock });
  await store.add(record(0, now), 'ws0');
  await store.flush(); // the first write of a session seals and folds the log
  clock += 11 * 60_000;
  await store['log'].compact(); // later: the folded sealed log is past its grace period and removed
  return { dir, store };
}

async function usage(n, now, adds) {
  const { UsageTracker } = out('src/core/usage/tracker.js');
  const { PriceBook } = out('src/core/usage/priceBook.js');
  const { buildReport } = out('src/core/usage/reportData.js');
  const { dir, store } = await usageHistory(n, now);
  try {
    const addMs = [];
    // The longest time the event loop was held (synchronous work: the fold's, the adds', garbage collection) while
    // the adds ran: an add cannot settle before such a stretch ends. Less sensitive to a busy disk than the add times.
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    for (let i = 0; i < adds; i++) {
      const t0 = performance.now();
      await store.add(record(i, now), `ws${i % 5}`);
      addMs.push(performance.now() - t0);
    }
    await store.flush(); // the folds the adds started (in the background) are done
    loop.disable();
    // One fold of the log into the per-day rows, as an add past the live log's size starts it (off the add's path).
    const compactMs = [];
    const foldLoop = monitorEventLoopDelay({ resolution: 1 });
    for (let i = 0; i < 3; i++) {
      await store.add(record(i, now), 'ws0');
      await store.flush();
      foldLoop.enable();
      const t0 = performance.now();
      await store['log'].compact();
      compactMs.push(performance.now() - t0);
      foldLoop.disable();
    }
    const openMs = [];
    for (let i = 0; i < 5; i++) {
      // A new window opening the report: a new store on the folder, every row read and summed.
      const fresh = new (out('src/core/usage/store.js').UsageStore)(dir, { now: () => now });
      const t0 = performance.now();
      const rows = await fresh.rows();
      buildReport(rows, new UsageTracker(PriceBook.builtIn()), { now, workspace: 'ws0', problems: [] });
      openMs.push(performance.now() - t0);
    }
    const sorted = [...addMs].sort((a, b) => a - b);
    return {
      adds, addMedianMs: median(addMs), addP95Ms: pct(sorted, 0.95), addP99Ms: pct(sorted, 0.99), addMaxMs: sorted[sorted.length - 1], loopMaxMs: loop.max / 1e6,
      addMeanMs: addMs.reduce((a, b) => a + b, 0) / addMs.length, compactMedianMs: median(compactMs), foldLoopMaxMs: foldLoop.max / 1e6, openMedianMs: median(openMs),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function conversation(id, turns) {
  const now = Date.now();
  return {
    id, title: `Conversation ${id}`, createdAt: now, updatedAt: now,
    turns: Array.from({ length: turns }, (_, i) => ({
      id: `${id}t${i}`, userText: `Question ${i}`, status: 'complete', model: 'claude-sonnet-5-5', stopReason: 'end_turn',
      usage: { inputTokens: 100, outputTokens: 80, cacheReadTokens: 0, cacheWriteTokens: 0 },
      blocks: [{ id: `${id}t${i}b0`, kind: 'text', complete: true, text: `Answer ${i}. `.repeat(30) }],
    })),
  };
}

async function listing(count) {
  const { ConversationStore } = out('src/core/conversationStore.js');
  const dir = mkdtempSync(join(tmpdir(), 'bench-convs-'));
  const logger = { info() {}, warn() {}, error() {} };
  try {
    mkdirSync(join(dir, 'conversations'));
    for (let i = 0; i < count; i++) {
      const c = conversation(`cb${String(i).padStart(5, '0')}`, 6);
      writeFileSync(join(dir, 'conversations', `${c.id}.json`), JSON.stringify(c));
    }
    await new ConversationStore(dir, logger).list(); // builds index.json, as the first window would
    // Files written more than a moment ago, as in use (a folder changed this very instant is always re-read).
    await new Promise((r) => setTimeout(r, 2100));
    const cold = [];
    const warm = [];
    for (let i = 0; i < 5; i++) {
      const store = new ConversationStore(dir, logger);
      let t0 = performance.now();
      const items = await store.list();
      cold.push(performance.now() - t0);
      if (items.length !== count) throw new Error(`listed ${items.length} of ${count}`);
      t0 = performance.now();
      await store.list();
      warm.push(performance.now() - t0);
    }
    return { coldMedianMs: median(cold), warmMedianMs: median(warm) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ log = console.log } = {}) {
  const now = Date.now();
  // 1,000 adds: past the live log's compaction size (64 KiB, ~250 records) several times; the folds run beside them.
  const empty = await usage(0, now, ADDS);
  const big = await usage(100_000, now, ADDS);
  if (process.env.STORES_USAGE_ONLY) return usageOnly(empty, big, log);
  const l10 = await listing(10);
  const l1000 = await listing(1000);
  const r = {
    usage: usageRatios(empty, big),
    conversations: { list10: l10, list1000: l1000, warmRatio: l1000.warmMedianMs / l10.warmMedianMs },
  };
  logUsage(r.usage, ADDS, log);
  log(`conversation list, 1,000 conversations: ${l1000.coldMedianMs.toFixed(1)} ms new window, ${l1000.warmMedianMs.toFixed(1)} ms again; 10 conversations: ${l10.coldMedianMs.toFixed(1)} / ${l10.warmMedianMs.toFixed(1)} ms; warm ratio ${r.conversations.warmRatio.toFixed(1)}`);
  return r;
}

/** STORES_USAGE_ONLY=1: the usage store alone (to repeat it quickly). */
function usageOnly(empty, big, log) {
  const usage = usageRatios(empty, big);
  logUsage(usage, ADDS, log);
  return { usage };
}

function usageRatios(empty, big) {
  return {
    empty, records100k: big, addRatio: big.addMedianMs / empty.addMedianMs, addMeanRatio: big.addMeanMs / empty.addMeanMs, addP99Ratio: big.addP99Ms / empty.addP99Ms,
    addMaxRatio: big.addMaxMs / empty.addMaxMs, loopMaxRatio: big.loopMaxMs / empty.loopMaxMs, openRatio: big.openMedianMs / empty.openMedianMs,
  };
}

function logUsage(u, adds, log) {
  const { empty, records100k: big } = u;
  const f = (x) => x.toFixed(2);
  const times = (x) => `${f(x.addMedianMs)} / ${f(x.addP95Ms)} / ${f(x.addP99Ms)} / ${f(x.addMaxMs)} / ${f(x.addMeanMs)} ms`;
  log(`usage store, add one record (${adds} adds; median / p95 / p99 / max / mean): ${times(big)} at 100,000 records, ${times(empty)} empty; ` +
    `ratio 100k/empty: median ${f(u.addRatio)}, p99 ${f(u.addP99Ratio)}, max ${f(u.addMaxRatio)}, mean ${f(u.addMeanRatio)}   (target <= 5 ms, independent of history)`);
  log(`usage store, longest event-loop stall during the adds (the folds beside them included): ${f(big.loopMaxMs)} ms at 100,000 records, ${f(empty.loopMaxMs)} ms empty; ratio ${f(u.loopMaxRatio)}`);
  log(`usage log fold into per-day rows (in the background after an add, median of 3): ${big.compactMedianMs.toFixed(1)} ms at 100,000 records, ${empty.compactMedianMs.toFixed(1)} ms empty; ` +
    `longest event-loop stall in those folds ${f(big.foldLoopMaxMs)} ms at 100,000 records, ${f(empty.foldLoopMaxMs)} ms empty`);
  log(`usage report open (rows + report, median of 5): ${big.openMedianMs.toFixed(1)} ms at 100,000 records, ${empty.openMedianMs.toFixed(1)} ms empty   (target <= 300 ms)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
