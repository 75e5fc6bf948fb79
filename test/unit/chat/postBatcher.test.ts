// PostBatcher: what is posted in one turn of the event loop leaves as one message, in order; a single message goes
// as it is; a flood is split; nothing is sent for a page that went away.
import * as assert from 'node:assert/strict';
import { MAX_BATCH, PostBatcher } from '../../../src/core/chat/postBatcher';
import type { HostPost, HostToWebview } from '../../../src/shared/protocol';

const delta = (i: number): HostToWebview => ({ type: 'blockDelta', turnId: 't', blockId: 'b', text: String(i) });

describe('PostBatcher', () => {
  let sent: HostPost[];
  let b: PostBatcher;
  const tick = () => new Promise((r) => setImmediate(r));
  beforeEach(() => {
    sent = [];
    b = new PostBatcher((m) => sent.push(m), (fn) => setImmediate(fn));
  });

  it('sends what one turn of the event loop posted as one batch, in order, and nothing before the turn ends', async () => {
    b.post({ type: 'blockStart', turnId: 't', block: { id: 'b', kind: 'text', text: '' } } as HostToWebview);
    b.post(delta(1));
    b.post(delta(2));
    assert.equal(sent.length, 0, 'held until the turn is over');
    await tick();
    assert.equal(sent.length, 1);
    const m = sent[0] as Extract<HostPost, { type: 'batch' }>;
    assert.equal(m.type, 'batch');
    assert.deepEqual(m.messages.map((x) => x.type), ['blockStart', 'blockDelta', 'blockDelta']);
    assert.deepEqual(m.messages.slice(1).map((x) => (x as { text: string }).text), ['1', '2']);
  });

  it('a message alone goes as it is; the next turn starts a new batch', async () => {
    b.post(delta(1));
    await tick();
    b.post(delta(2));
    b.post(delta(3));
    await tick();
    assert.deepEqual(sent[0], delta(1));
    assert.equal(sent[1].type, 'batch');
    assert.equal(sent.length, 2);
  });

  it(`a flood is split into batches of at most ${MAX_BATCH}, nothing lost or reordered`, async () => {
    for (let i = 0; i < MAX_BATCH * 2 + 7; i++) b.post(delta(i));
    await tick();
    const all = sent.flatMap((m) => (m.type === 'batch' ? m.messages : [m]));
    assert.ok(sent.every((m) => m.type !== 'batch' || m.messages.length <= MAX_BATCH));
    assert.equal(sent.length, 3);
    assert.deepEqual(all.map((m) => (m as { text: string }).text), Array.from({ length: MAX_BATCH * 2 + 7 }, (_, i) => String(i)));
  });

  it('clear() drops what waits for a page that went away', async () => {
    b.post(delta(1));
    b.clear();
    await tick();
    assert.equal(sent.length, 0);
  });
  it("a turn's first delta leaves at once with what waits (its blockStart); later deltas wait for the turn of the loop", async () => {
    b.post({ type: 'turnStart', turn: { id: 't', userText: 'hi', blocks: [], status: 'streaming', model: 'm' } } as HostToWebview);
    await tick();
    sent.length = 0;
    b.post({ type: 'blockStart', turnId: 't', block: { id: 'b', kind: 'text', text: '' } } as HostToWebview);
    b.post(delta(1));
    assert.equal(sent.length, 1, 'sent without waiting');
    assert.deepEqual((sent[0] as Extract<HostPost, { type: 'batch' }>).messages.map((m) => m.type), ['blockStart', 'blockDelta']);
    b.post(delta(2));
    b.post({ type: 'turnEnd', turnId: 't', outcome: { status: 'complete' } } as HostToWebview);
    assert.equal(sent.length, 1, 'the rest waits');
    await tick();
    assert.equal(sent.length, 2);
    assert.deepEqual((sent[1] as Extract<HostPost, { type: 'batch' }>).messages.map((m) => m.type), ['blockDelta', 'turnEnd']);
  });
});
