// Forks (edit and resend, rewind) of a conversation with images and PDFs (issue 14 meets issue 16): a fork is a new
// conversation, and attachments are stored per conversation, so the fork must carry their bytes. Before this, the
// fork's requests said "[The attachment … is no longer available]" and the edited message lost its own image.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApi, startFakeApi } from '../../fake-api/server';
import { makePng } from '../../support/media';
import { attachmentDeps, TINY_THUMB } from '../attachments/attachmentFakes';
import { chatHarness } from '../chat/fakes';

type Msg = { role: string; content: { type: string; text?: string }[] };

describe('Forks of a conversation with images', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  async function start() {
    const storeDir = await fs.mkdtemp(join(tmpdir(), 'fork-media-'));
    const h = await chatHarness(api, { attachments: attachmentDeps(), storeDir });
    await h.app.handle({ type: 'attachFile', localId: 'l1', name: 'ui.png', data: makePng(300, 200).toString('base64'), thumbnail: TINY_THUMB });
    await h.app.handle({ type: 'send', text: 'What is wrong in this screenshot?' });
    await h.app.handle({ type: 'send', text: 'And the colours?' });
    assert.equal(h.app.session.history.length, 2);
    return h;
  }
  const lastMessages = () => (api.messageRequests.at(-1)!.body as { messages: Msg[] }).messages;
  const missing = (msgs: Msg[]) => JSON.stringify(msgs).includes('no longer available');

  it('edit and resend of a later message: the fork still sends the earlier image', async () => {
    const h = await start();
    const original = h.app.session.conversation.id;
    await h.app.actions.editResend(h.app.session.history[1].id, 'And the fonts?');
    assert.notEqual(h.app.session.conversation.id, original, 'forked');
    const msgs = lastMessages();
    assert.ok(!missing(msgs), 'no placeholder for the image');
    assert.equal(msgs[0].content.filter((b) => b.type === 'image').length, 1);
    assert.equal(msgs.at(-1)!.content.at(-1)!.text, 'And the fonts?');
  });

  it('edit and resend of the message that carried the image: the edited message carries it too', async () => {
    const h = await start();
    await h.app.actions.editResend(h.app.session.history[0].id, 'What is wrong here?');
    const msgs = lastMessages();
    assert.equal(msgs.length, 1);
    assert.ok(!missing(msgs), 'no placeholder for the image');
    assert.deepEqual(msgs[0].content.map((b) => b.type), ['image', 'text']);
    assert.equal(h.app.session.history[0].attachments?.[0].name, 'ui.png');
  });
});
