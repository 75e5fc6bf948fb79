// The ready handshake: the host holds messages until the page says `ready`, then delivers them before the state.
import * as assert from 'node:assert/strict';
import { MAX_QUEUED, ViewLink } from '../../../src/core/chat/viewLink';
import type { HostToWebview } from '../../../src/shared/protocol';
import { FakeApi, startFakeApi } from '../../fake-api/server';
import { chatHarness } from './fakes';

describe('ViewLink: the ready handshake', () => {
  const notice = (message: string): HostToWebview => ({ type: 'notice', message });

  it('holds messages until ready and delivers them in order; turn progress is left to the state', () => {
    const got: HostToWebview[] = [];
    const link = new ViewLink({ post: (m) => got.push(m) });
    link.post(notice('one'));
    link.post({ type: 'blockDelta', turnId: 't', blockId: 'b', text: 'x' });
    link.post({ type: 'history', items: [], show: true });
    link.post({ type: 'state', state: { hasApiKey: true, keySource: 'secret', model: 'm', turns: [] } });
    assert.equal(got.length, 0);
    link.markReady();
    assert.deepEqual(got.map((m) => m.type), ['notice', 'history']);
    link.post({ type: 'blockDelta', turnId: 't', blockId: 'b', text: 'y' });
    assert.equal(got.at(-1)!.type, 'blockDelta', 'after ready, straight through');
    link.reset();
    link.post(notice('two'));
    assert.equal(got.length, 3, 'a reloading page gets nothing');
    link.markReady();
    assert.deepEqual(got.at(-1), notice('two'));
  });

  it(`keeps at most ${MAX_QUEUED} messages for a page that never loads, dropping the oldest`, () => {
    const got: HostToWebview[] = [];
    const link = new ViewLink({ post: (m) => got.push(m) });
    for (let i = 0; i < MAX_QUEUED + 50; i++) link.post(notice(String(i)));
    link.markReady();
    assert.equal(got.length, MAX_QUEUED);
    assert.deepEqual(got[0], notice('50'));
  });

  describe('through the ChatApp', () => {
    let api: FakeApi;
    before(async () => {
      api = await startFakeApi();
    });
    after(() => api.close());

    it('"Show Conversations" and a notice sent while the view loads arrive after ready, before the fresh state', async () => {
      const h = await chatHarness(api, { notReady: true });
      await h.app.handle({ type: 'showHistory' });
      h.fake.inputs.push('Be brief.');
      await h.app.editSystemPrompt();
      h.app.attachContext([{ id: 'a', label: 'a.ts', kind: 'file', text: 'abcd' }]);
      assert.equal(h.posted.length, 0);
      await h.app.handle({ type: 'ready' });
      assert.deepEqual(h.posted.slice(0, 5).map((m) => m.type), ['history', 'notice', 'context', 'state', 'context']);
      assert.equal(h.of('history')[0].show, true, 'the list opens as asked');
    });
  });
});
