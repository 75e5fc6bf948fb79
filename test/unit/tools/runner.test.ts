import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOL_NAMES } from '../../../src/core/tools/definitions';
import { MAX_CALLS_PER_ROUND, MAX_PARALLEL_CALLS } from '../../../src/core/tools/limits';
import { CANCELLED, RESTRICTED_REASON, WorkspaceToolRunner } from '../../../src/core/tools/runner';
import { CountingPort } from './countingPort';
import { harness, makeWorkspace, NodePort } from './nodePort';

describe('tools: the runner', () => {
  let w: ReturnType<typeof makeWorkspace>;
  let port: NodePort;
  beforeEach(() => {
    w = makeWorkspace();
    port = NodePort.single(w.ws);
  });
  afterEach(() => w.cleanup());

  describe('definitions', () => {
    it('are byte-identical between calls, in a fixed order, with valid schemas', () => {
      const h = harness(port);
      const a = JSON.stringify(h.runner.definitions());
      const defs = h.runner.definitions();
      defs[defs.length - 1].cache_control = { type: 'ephemeral' }; // a caller marking the cache breakpoint
      assert.equal(JSON.stringify(h.runner.definitions()), a, 'a caller mutating its copy does not leak into the next call');
      assert.deepEqual(defs.map((d) => d.name), [...TOOL_NAMES]);
      for (const d of h.runner.definitions()) {
        assert.ok(d.description && d.description.length > 40, d.name);
        assert.equal(d.input_schema.type, 'object');
        assert.equal((d.input_schema as { additionalProperties?: boolean }).additionalProperties, false);
        assert.ok(!/shell|command line/i.test(d.description!) || d.name === 'none');
      }
    });

    it('follow claudeChat.tools.enabled, keeping the fixed order', () => {
      const h = harness(port, { enabled: ['create_file', 'read_file', 'bogus'] });
      assert.deepEqual(h.runner.definitions().map((d) => d.name), ['read_file', 'create_file']);
      h.settings.enabled = [];
      assert.deepEqual(h.runner.definitions(), []);
      assert.equal(h.runner.enabled(), false);
      assert.match(h.runner.disabledReason()!, /no tool is enabled/);
    });
  });

  it('unknown and disabled tools get an is_error naming the available ones', async () => {
    const h = harness(port, { enabled: ['read_file', 'list_directory'] });
    const [unknown, disabled, ok] = await h.run([
      { name: 'run_shell', input: { cmd: 'rm -rf /' } },
      { name: 'propose_edit', input: { path: 'a.txt', content: 'x' } },
      { name: 'read_file', input: { path: 'a.txt' } },
    ]);
    assert.deepEqual({ ...unknown, toolUseId: '' }, { toolUseId: '', content: 'Unknown tool "run_shell". Available tools: read_file, list_directory.', isError: true });
    assert.match(disabled.content, /"propose_edit" is turned off in the settings/);
    assert.equal(h.approver.asked.length, 0);
    assert.equal(ok.isError, false);
  });

  it('Restricted Mode: no definitions, every call refused, nothing touched; trust turns tools on', async () => {
    const h = harness(port, {}, false);
    let changes = 0;
    const sub = h.runner.onDidChange(() => changes++);
    assert.deepEqual(h.runner.definitions(), []);
    assert.equal(h.runner.enabled(), false);
    assert.equal(h.runner.disabledReason(), RESTRICTED_REASON);
    const rs = await h.run([
      { name: 'read_file', input: { path: 'a.txt' } },
      { name: 'create_file', input: { path: 'n.txt', content: 'x' } },
    ]);
    assert.equal(rs.length, 2);
    for (const r of rs) assert.deepEqual([r.isError, r.content], [true, RESTRICTED_REASON]);
    assert.deepEqual(port.calls, [], 'the workspace was not touched');
    h.runner.setTrusted(true);
    assert.equal(changes, 1);
    assert.equal(h.runner.enabled(), true);
    assert.equal(h.runner.definitions().length, TOOL_NAMES.length);
    sub.dispose();
    h.runner.setTrusted(false);
    assert.equal(changes, 1, 'a disposed listener is not called');
  });

  it('with no folder open, tools are off and say why', async () => {
    const h = harness(new NodePort([]));
    assert.deepEqual(h.runner.definitions(), []);
    assert.match(h.runner.disabledReason()!, /no folder is open/);
    assert.match((await h.one('read_file', { path: 'a.txt' })).content, /no folder is open/);
  });

  it('runs read-only calls in parallel and answers them in call order', async () => {
    port.readDelay.set('a.txt', 150);
    const h = harness(port);
    const started = Date.now();
    const rs = await h.run([
      { id: 't1', name: 'read_file', input: { path: 'a.txt' } },
      { id: 't2', name: 'read_file', input: { path: 'src/main.ts' } },
      { id: 't3', name: 'list_directory', input: { path: 'src' } },
    ]);
    const elapsed = Date.now() - started;
    assert.deepEqual(rs.map((r) => r.toolUseId), ['t1', 't2', 't3']);
    assert.match(rs[0].content, /^a.txt/);
    assert.match(rs[1].content, /^src\/main.ts/);
    const doneOrder = h.statuses.filter((s) => s.status === 'done').map((s) => s.id);
    assert.equal(doneOrder.length, 3);
    assert.equal(doneOrder[2], 't1', 'the slow first call finished last: the calls ran at the same time');
    assert.ok(elapsed < 450, `took ${elapsed} ms`);
  });

  it('an edit is a barrier: reads after it see the edited file', async () => {
    const h = harness(port);
    h.approver.answers = ['approve'];
    const [before, edit, after] = await h.run([
      { name: 'read_file', input: { path: 'a.txt' } },
      { name: 'propose_edit', input: { path: 'a.txt', old_string: 'world', new_string: 'moon' } },
      { name: 'read_file', input: { path: 'a.txt' } },
    ]);
    assert.match(before.content, /\tworld/);
    assert.equal(edit.isError, false);
    assert.match(after.content, /\tmoon/);
  });

  it('Stop while an edit awaits approval: that call and the rest are "cancelled by user", nothing written', async () => {
    const h = harness(port);
    h.approver.hold = new Promise(() => {}); // the user never answers
    const ac = new AbortController();
    const run = h.run(
      [
        { id: 'r1', name: 'read_file', input: { path: 'a.txt' } },
        { id: 'e1', name: 'propose_edit', input: { path: 'a.txt', old_string: 'hello', new_string: 'bye' } },
        { id: 'r2', name: 'read_file', input: { path: 'src/main.ts' } },
      ],
      { signal: ac.signal },
    );
    while (!h.statuses.some((s) => s.status === 'pending-approval')) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    const rs = await run;
    assert.deepEqual(rs.map((r) => [r.toolUseId, r.isError]), [['r1', false], ['e1', true], ['r2', true]]);
    assert.equal(rs[1].content, CANCELLED);
    assert.equal(rs[2].content, CANCELLED);
    assert.equal(h.approver.withdrawn, 1, 'the approver was told to withdraw its question');
    assert.equal(readFileSync(join(w.ws, 'a.txt'), 'utf8'), 'hello\nworld\n');
    assert.deepEqual(h.statuses.filter((s) => s.status === 'cancelled').map((s) => s.id), ['e1', 'r2']);
  });

  it('Stop during slow parallel reads cancels the unfinished ones, keeps the finished ones', async () => {
    port.readDelay.set('a.txt', 5000);
    const h = harness(port);
    const ac = new AbortController();
    const run = h.run(
      [
        { id: 'slow', name: 'read_file', input: { path: 'a.txt' } },
        { id: 'fast', name: 'read_file', input: { path: 'src/main.ts' } },
      ],
      { signal: ac.signal },
    );
    while (!h.statuses.some((s) => s.id === 'fast' && s.status === 'done')) await new Promise((r) => setTimeout(r, 5));
    const t = Date.now();
    ac.abort();
    const rs = await run;
    assert.ok(Date.now() - t < 1000, 'run() returned promptly after Stop');
    assert.deepEqual(rs.map((r) => [r.toolUseId, r.isError, r.isError ? r.content : 'ok']), [['slow', true, CANCELLED], ['fast', false, 'ok']]);
  });

  it('an aborted signal before the round cancels every call', async () => {
    const h = harness(port);
    const ac = new AbortController();
    ac.abort();
    const rs = await h.run([{ name: 'read_file', input: { path: 'a.txt' } }, { name: 'list_directory', input: {} }], { signal: ac.signal });
    assert.deepEqual(rs.map((r) => r.content), [CANCELLED, CANCELLED]);
    assert.deepEqual(port.calls.filter((c) => c.op === 'readFile'), []);
  });

  it('with autoApproveReadOnly off, read-only calls ask first; "always" covers the rest of the conversation', async () => {
    const h = harness(port, { autoApproveReadOnly: false });
    h.approver.answers = ['reject', 'always'];
    const rs = await h.run([
      { name: 'read_file', input: { path: 'a.txt' } },
      { name: 'read_file', input: { path: 'src/main.ts' } },
      { name: 'list_directory', input: {} },
    ]);
    assert.deepEqual(h.approver.askedTools.map((t) => t.summary), ['read_file "a.txt"', 'read_file "src/main.ts"']);
    assert.equal(rs[0].isError, true);
    assert.match(rs[0].content, /The user declined read_file "a.txt"/);
    assert.equal(rs[1].isError, false);
    assert.equal(rs[2].isError, false);
    assert.ok(!port.calls.some((c) => c.op === 'readFile' && c.path.endsWith('/a.txt')), 'the declined read did not happen');
  });

  it('never rejects: a failing port becomes an is_error result', async () => {
    const h = harness(port);
    port.readDir = async () => {
      throw new Error('EACCES: permission denied');
    };
    const [r] = await h.run([{ name: 'list_directory', input: { path: 'src' } }]);
    assert.deepEqual([r.isError, r.content], [true, 'list_directory failed: EACCES: permission denied']);
    const throwing = new WorkspaceToolRunner({ workspace: port, approver: h.approver, trusted: true, settings: () => { throw new Error('bad settings'); } });
    const rs = await throwing.run([{ id: 'x', name: 'read_file', input: { path: 'a.txt' } }], { signal: new AbortController().signal, conversationId: 'c', onStatus: () => { throw new Error('listener bug'); } });
    assert.equal(rs[0].isError, false, 'default settings are used and a throwing onStatus is survived');
  });

  describe('fan-out bounds', () => {
    it('runs at most MAX_PARALLEL_CALLS reads at once and answers calls past MAX_CALLS_PER_ROUND with is_error', async () => {
      const counting = CountingPort.single(w.ws);
      counting.readDelay.set('a.txt', 20); // keep reads in flight long enough to overlap
      const h = harness(counting);
      const n = 500;
      const rs = await h.run(Array.from({ length: n }, (_, i) => ({ id: `c${i}`, name: 'read_file', input: { path: 'a.txt' } })));
      assert.equal(rs.length, n);
      assert.deepEqual(rs.map((r) => r.toolUseId), Array.from({ length: n }, (_, i) => `c${i}`), 'one result per call, in call order');
      assert.ok(counting.maxInFlight <= MAX_PARALLEL_CALLS, `at most ${MAX_PARALLEL_CALLS} port operations at once, saw ${counting.maxInFlight}`);
      assert.ok(counting.maxInFlight > 1, 'the allowed reads still run in parallel');
      assert.ok(rs.slice(0, MAX_CALLS_PER_ROUND).every((r) => !r.isError && r.content.startsWith('a.txt')));
      const over = rs.slice(MAX_CALLS_PER_ROUND);
      assert.ok(over.every((r) => r.isError));
      assert.match(over[0].content, new RegExp(`^Not run: this reply asked for ${n} tool calls and at most ${MAX_CALLS_PER_ROUND} run per reply, so calls ${MAX_CALLS_PER_ROUND + 1}-${n} \\(this one is call ${MAX_CALLS_PER_ROUND + 1}\\) were skipped`));
      assert.equal(counting.calls.filter((c) => c.op === 'readFile').length, MAX_CALLS_PER_ROUND, 'calls past the limit touch nothing');
    });

    it('an edit past the per-round limit is never proposed', async () => {
      const h = harness(port);
      h.approver.answers = ['approve'];
      const reads = Array.from({ length: MAX_CALLS_PER_ROUND }, () => ({ name: 'list_directory', input: {} }));
      const rs = await h.run([...reads, { name: 'propose_edit', input: { path: 'a.txt', old_string: 'hello', new_string: 'bye' } }]);
      assert.equal(rs.length, MAX_CALLS_PER_ROUND + 1);
      assert.equal(rs.at(-1)!.isError, true);
      assert.match(rs.at(-1)!.content, /^Not run: /);
      assert.equal(h.approver.asked.length, 0);
      assert.equal(readFileSync(join(w.ws, 'a.txt'), 'utf8'), 'hello\nworld\n');
    });

    it('a maxOutputBytes setting out of range is clamped', async () => {
      const h = harness(port, { maxOutputBytes: 1e12 });
      writeFileSync(join(w.ws, 'long.txt'), 'x'.repeat(100) + '\n'.repeat(1) + 'y\n'.repeat(600_000));
      const r = await h.one('read_file', { path: 'long.txt', end_line: 600_001 });
      assert.ok(Buffer.byteLength(r.content) <= 1_000_000 + 200, `result of ${Buffer.byteLength(r.content)} bytes`);
    });
  });
});
