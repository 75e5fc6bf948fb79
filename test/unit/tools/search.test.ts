// search_text against hostile patterns, through the real tool runner: ripgrep (the dev dependency's binary) in a
// child process, the worker fallback, Stop, the time bound, confinement of what ripgrep reports, bad patterns.
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harness, makeWorkspace, NodePort, SECRET } from './nodePort';

/** The six patterns that backtrack catastrophically in a JavaScript RegExp on "aaaa…a!". */
export const EVIL = ['(a+)+$', '((a)+)+$', '(a|a)+$', '(\\w|\\d)+$', '(?:a|aa)+$', 'a*a*a*a*a*b'];
const LINE = `${'a'.repeat(40)}!`;

/** Counts event-loop turns while `work` runs: a blocked host thread would count none. */
async function ticking<T>(work: () => Promise<T>): Promise<{ value: T; ticks: number; maxGapMs: number }> {
  let ticks = 0;
  let last = performance.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    ticks++;
  }, 1);
  try {
    const value = await work();
    maxGapMs = Math.max(maxGapMs, performance.now() - last);
    return { value, ticks, maxGapMs };
  } finally {
    clearInterval(timer);
  }
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A stand-in for rg (shell script) that records its pid, optionally prints lines, then hangs. */
function fakeRg(dir: string, lines: string[] = []): { path: string; pid(): number | undefined } {
  const pidFile = join(dir, 'fake-rg.pid');
  const out = join(dir, 'fake-rg.out');
  writeFileSync(out, lines.map((l) => `${l}\n`).join(''));
  const path = join(dir, 'fake-rg');
  writeFileSync(path, `#!/bin/sh\necho $$ > '${pidFile}'\ncat '${out}'\nexec sleep 60\n`);
  chmodSync(path, 0o755);
  return { path, pid: () => (existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() ? Number(readFileSync(pidFile, 'utf8')) : undefined) };
}

const threads = () => readdirSync('/proc/self/task').length;

describe('tools: search_text against hostile patterns', function () {
  this.timeout(30_000);
  let w: ReturnType<typeof makeWorkspace>;
  let port: NodePort;
  let h: ReturnType<typeof harness>;
  beforeEach(() => {
    w = makeWorkspace();
    writeFileSync(join(w.ws, 'aaaa.txt'), `${LINE}\n`);
    port = NodePort.single(w.ws);
    h = harness(port);
  });
  afterEach(() => w.cleanup());

  it('ripgrep: each catastrophic pattern answers over "a"x40 + "!", and the event loop keeps turning', async () => {
    assert.ok(port.rgPath && existsSync(port.rgPath), 'the dev dependency brings rg');
    const { value, ticks, maxGapMs } = await ticking(async () => {
      const out = [];
      for (const query of EVIL) out.push(await h.one('search_text', { query, is_regex: true, include: 'aaaa.txt' }));
      return out;
    });
    value.forEach((r, i) => assert.deepEqual([r.isError, r.content], [false, `No matches for regex ${JSON.stringify(EVIL[i])} in aaaa.txt in 1 file.`]));
    const hit = await h.one('search_text', { query: '(a|a)+!$', is_regex: true });
    assert.equal(hit.content, `1 match for regex "(a|a)+!$" in 1 file:\naaaa.txt:1: ${LINE}`, 'the same engine does match');
    assert.ok(ticks > 0, 'timers ran while the searches were in flight');
    if (process.env.SEARCH_FIGURES) {
      console.log(`ripgrep, six patterns: ${ticks} ticks of a 1 ms interval, longest gap ${maxGapMs.toFixed(1)} ms`);
      value.forEach((r, i) => console.log(`  ${EVIL[i]} -> ${r.isError ? 'is_error: ' : ''}${r.content.split('\n')[0]}`));
    }
  });

  it('fallback worker: the same patterns never block the host thread; a runaway one is terminated at the time bound', async () => {
    port.rgPath = undefined;
    port.searchTimeoutMs = 1000;
    const before = threads();
    const { value, ticks, maxGapMs } = await ticking(async () => {
      const out = [];
      for (const query of EVIL) out.push(await h.one('search_text', { query, is_regex: true, include: 'aaaa.txt' }));
      return out;
    });
    value.forEach((r, i) => {
      const ok = r.content === `No matches for regex ${JSON.stringify(EVIL[i])} in aaaa.txt in 1 file.`;
      const timedOut = r.isError && /^search_text stopped at its time limit \(1 s\) before finding a match/.test(r.content);
      assert.ok(ok || timedOut, `${EVIL[i]}: ${r.content}`);
    });
    assert.match(value[2].content, /stopped at its time limit/, '(a|a)+$ runs away in JavaScript and is stopped');
    assert.ok(ticks >= 3, `timers ran while the worker was busy (${ticks} ticks)`);
    await until('the worker threads to end', () => threads() <= before);
    if (process.env.SEARCH_FIGURES) {
      console.log(`worker fallback, six patterns: ${ticks} ticks of a 1 ms interval, longest gap ${maxGapMs.toFixed(1)} ms`);
      value.forEach((r, i) => console.log(`  ${EVIL[i]} -> ${r.isError ? 'is_error: ' : ''}${r.content.split('\n')[0].slice(0, 110)}`));
    }
  });

  it('fallback worker: Stop terminates a runaway search at once', async () => {
    port.rgPath = undefined;
    port.searchTimeoutMs = 60_000;
    const before = threads();
    const ac = new AbortController();
    const running = h.run([{ name: 'search_text', input: { query: '(a|a)+$', is_regex: true } }], { signal: ac.signal });
    await until('the worker to start', () => threads() > before);
    ac.abort();
    const [r] = await running;
    assert.deepEqual([r.isError, r.content], [true, 'cancelled by user']);
    await until('the worker thread to end', () => threads() <= before);
  });

  it('Stop kills ripgrep and the call returns "cancelled by user"', async () => {
    const fake = fakeRg(w.tmp);
    port.rgPath = fake.path;
    port.searchTimeoutMs = 60_000; // only Stop can end it
    const ac = new AbortController();
    const running = h.run([{ name: 'search_text', input: { query: 'needle' } }], { signal: ac.signal });
    await until('rg to start', () => fake.pid() !== undefined);
    const pid = fake.pid()!;
    assert.ok(alive(pid));
    ac.abort();
    const [r] = await running;
    assert.deepEqual([r.isError, r.content], [true, 'cancelled by user']);
    await until('rg to be killed', () => !alive(pid));
  });

  it('the time bound kills ripgrep and says so', async () => {
    const fake = fakeRg(w.tmp);
    port.rgPath = fake.path;
    port.searchTimeoutMs = 300;
    const r = await h.one('search_text', { query: 'needle' });
    assert.equal(r.isError, true);
    assert.match(r.content, /^search_text stopped at its time limit \(0\.3 s\) before finding a match for text "needle"/);
    const pid = fake.pid()!;
    await until('rg to be killed', () => !alive(pid));
  });

  it('the time bound keeps the matches found so far, with a note', async () => {
    const match = (rel: string) => JSON.stringify({ type: 'match', data: { path: { text: join(w.ws, rel) }, lines: { text: 'needle here\n' }, line_number: 1 } });
    const fake = fakeRg(w.tmp, [match('a.txt')]);
    port.rgPath = fake.path;
    port.searchTimeoutMs = 300;
    const r = await h.one('search_text', { query: 'needle' });
    assert.equal(r.isError, false, r.content);
    assert.match(r.content, /^1 match for text "needle" in 1 file:\na\.txt:1: needle here\n\[the search stopped at its time limit \(0\.3 s\); more matches may exist/);
  });

  it('a path ripgrep reports is dropped when its real location leaves the workspace', async () => {
    // What a race (a folder swapped for a symlink mid-search) would make ripgrep print.
    const match = (rel: string) => JSON.stringify({ type: 'match', data: { path: { text: join(w.ws, rel) }, lines: { text: `${SECRET}\n` }, line_number: 1 } });
    const fake = fakeRg(w.tmp, [match('link-out/secret.txt'), match('secret-link.txt'), match('../outside/secret.txt'), match('src/main.ts')]);
    port.rgPath = fake.path;
    port.searchTimeoutMs = 500;
    const r = await h.one('search_text', { query: 'x' });
    assert.equal(r.isError, false, r.content);
    assert.match(r.content, /^1 match for text "x" in 1 file:\nsrc\/main\.ts:1: /);
    assert.ok(!/link-out|secret-link|outside/.test(r.content), r.content);
  });

  it('ripgrep follows no symlink out of the workspace', async () => {
    const [secret, needle] = await h.run([
      { name: 'search_text', input: { query: SECRET } },
      { name: 'search_text', input: { query: 'needle' } },
    ]);
    assert.match(secret.content, /^No matches for text "TOP-SECRET-0xC0FFEE" in \d+ files\.$/);
    assert.equal(needle.content, '2 matches for text "needle" in 2 files:\nsrc/main.ts:2: return needle();\nsrc/util.ts:3: // Needle in caps');
  });

  it('honours .gitignore without a .git folder, and search.useIgnoreFiles: false', async () => {
    rmSync(join(w.ws, '.git'), { recursive: true });
    const r = await h.one('search_text', { query: 'needle', max_results: 50 });
    assert.ok(!/ignored\.txt|build\/out\.js/.test(r.content), r.content);
    port.useIgnoreFiles = false;
    const all = await h.one('search_text', { query: 'needle', max_results: 50 });
    assert.match(all.content, /build\/out\.js:1: needle built/);
    assert.match(all.content, /ignored\.txt:1: needle ignored/);
  });

  it('skips secrets, node_modules and files.exclude; include keeps VS Code glob meaning', async () => {
    for (const [rel, text] of [['.env', 'needle=1'], ['.env.local', 'needle=2'], ['key.pem', 'needle'], ['node_modules/m/i.js', 'needle'], ['gen/x.ts', 'needle'], ['src/deep/z.ts', 'needle']]) {
      mkdirSync(join(w.ws, rel, '..'), { recursive: true });
      writeFileSync(join(w.ws, rel), `${text}\n`);
    }
    port.excludes = ['gen', '{a,b}/**'];
    const r = await h.one('search_text', { query: 'needle', max_results: 50 });
    assert.equal(r.content, '3 matches for text "needle" in 3 files:\nsrc/deep/z.ts:1: needle\nsrc/main.ts:2: return needle();\nsrc/util.ts:3: // Needle in caps');
    const top = await h.one('search_text', { query: 'needle', include: '*.ts' });
    assert.match(top.content, /^No matches/, '"*.ts" is the top folder only, as in find_files');
    const deep = await h.one('search_text', { query: 'needle', include: 'src/*/*.ts' });
    assert.equal(deep.content, '1 match for text "needle" in src/*/*.ts in 1 file:\nsrc/deep/z.ts:1: needle');
  });

  it('a pattern ripgrep rejects comes back as a clear is_error', async () => {
    const [unclosed, backref, lookahead] = await h.run([
      { name: 'search_text', input: { query: '(unclosed', is_regex: true } },
      { name: 'search_text', input: { query: '(a)\\1', is_regex: true } },
      { name: 'search_text', input: { query: 'a(?=b)', is_regex: true } },
    ]);
    for (const r of [unclosed, backref, lookahead]) {
      assert.equal(r.isError, true, r.content);
      assert.match(r.content, /^Invalid regular expression for the search engine \(ripgrep's Rust syntax: no look-around, no back-references\):\n/);
      assert.ok(!/pcre2/i.test(r.content), 'no advice to switch to the backtracking engine');
    }
    assert.match(unclosed.content, /unclosed group/);
    assert.match(backref.content, /backreferences are not supported/);
    const glob = await h.one('search_text', { query: 'x', include: 'src/[z-a].ts' });
    assert.equal(glob.isError, true, glob.content);
    assert.match(glob.content, /^Invalid include glob: .*invalid range/);
  });

  it('falls back to the worker when the ripgrep binary cannot start, and says so in the log', async () => {
    port.rgPath = join(w.tmp, 'no-such-rg');
    const r = await h.one('search_text', { query: 'needle', include: 'src/**' });
    assert.equal(r.content, '2 matches for text "needle" in src/** in 2 files:\nsrc/main.ts:2: return needle();\nsrc/util.ts:3: // Needle in caps');
    assert.ok(port.warnings.some((m) => /ripgrep could not start/.test(m)), port.warnings.join('\n'));
  });

  it('multi-root: one ripgrep per folder, paths shown with the folder name', async () => {
    const second = join(w.tmp, 'ws2');
    mkdirSync(second);
    writeFileSync(join(second, 'b.txt'), 'needle two\n');
    const multi = new NodePort([
      { name: 'ws', path: w.ws },
      { name: 'two', path: second },
    ]);
    const r = await harness(multi).one('search_text', { query: 'needle' });
    assert.equal(r.content, '3 matches for text "needle" in 3 files:\nws/src/main.ts:2: return needle();\nws/src/util.ts:3: // Needle in caps\ntwo/b.txt:1: needle two');
    assert.deepEqual(multi.calls.filter((c) => c.op === 'searchScope').map((c) => c.path), [w.ws, second]);
  });
});
