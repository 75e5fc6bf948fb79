// The user flow in the real webview: type, send, watch the reply stream, stop, continue the conversation.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { uiContext as ctx } from './context.mjs';
import { chatFrame, openChat, openChatUntil, runCommand, waitForWorkbench } from './workbench.mjs';

describe('Packaged .vsix: chat flow in the real webview', () => {
  it('Enter sends; the reply streams in as markdown, token by token', async () => {
    const frame = chatFrame(ctx.page);
    const reply = 'Here is a **bold** idea and some `code`.\n\n- one\n- two';
    // The stream pauses for 6 s after its fourth delta, so "still streaming" is a state the test can observe on a
    // loaded machine rather than a race against a 700 ms reply.
    ctx.api.queue({ kind: 'text', text: reply, chunkSize: 3, delayMs: 40, fault: { type: 'stall', at: 4, ms: 6000 } });
    const input = frame.locator('#input');
    await input.fill('First line');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    assert.equal(await input.inputValue(), 'First line\nsecond line', 'Shift+Enter adds a newline');
    await input.press('Enter');
    const body = frame.locator('.turn').last().locator('.reply-body');
    // Streaming: some but not all of the text is visible at some point.
    await body.getByText(/Here is/).waitFor({ timeout: 15_000 });
    const partial = await body.innerText();
    assert.ok(partial.length < reply.length, `saw a partial reply while streaming (${partial.length} chars)`);
    assert.equal(await frame.locator('#stop').isVisible(), true, 'Stop is offered while streaming');
    assert.equal(await frame.locator('#send').isVisible(), false);
    await frame.locator('.turn').last().locator('.usage').waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('#stop').isVisible(), false, 'Stop is gone once the reply is complete');
    assert.equal(await frame.locator('#send').isVisible(), true);
    assert.equal(await body.locator('strong').innerText(), 'bold', 'markdown is rendered, not shown raw');
    assert.equal(await body.locator('li').count(), 2);
    assert.equal(await body.locator('code').first().innerText(), 'code');
    const sent = ctx.api.messageRequests.at(-1).body;
    assert.deepEqual(sent.messages.at(-1).content, [{ type: 'text', text: 'First line\nsecond line', cache_control: { type: 'ephemeral' } }]);
    await ctx.page.screenshot({ path: join(ctx.shots, 'chat.png') });
  });

  it('Stop aborts the reply at once, keeps the partial text, and the next message continues', async () => {
    const frame = chatFrame(ctx.page);
    ctx.api.queue({ kind: 'text', text: 'word '.repeat(600), chunkSize: 5, delayMs: 30 });
    await frame.locator('#input').fill('Tell me a long story');
    await frame.locator('#input').press('Enter');
    const turn = frame.locator('.turn').last();
    await turn.getByText(/word word word/).waitFor({ timeout: 15_000 });
    await frame.locator('#stop').click();
    await turn.locator('.status.incomplete').waitFor({ timeout: 5_000 });
    const kept = (await turn.locator('.reply-body').innerText()).trim();
    assert.ok(kept.length > 0 && kept.length < 3000, `partial text kept (${kept.length} chars)`);
    await ctx.page.screenshot({ path: join(ctx.shots, 'stopped.png') });
    await frame.locator('#input').fill('And then?');
    await frame.locator('#input').press('Enter');
    await frame.locator('.turn').last().getByText('You said: And then?').waitFor({ timeout: 15_000 });
    const msgs = ctx.api.messageRequests.at(-1).body.messages;
    assert.equal(msgs.length, 5, 'three user turns and two assistant turns');
    assert.equal(msgs[3].role, 'assistant');
    assert.ok(msgs[3].content[0].text.startsWith('word word'), 'the partial reply is part of the history');
  });
});

describe('Packaged .vsix: the key stays secret', () => {
  function filesUnder(dir) {
    return readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
  }

  it('appears in no log, no settings file and not in the webview', async () => {
    const key = ctx.fake.DEFAULT_TEST_KEY;
    const logs = filesUnder(join(ctx.profile.userData, 'logs'));
    assert.ok(logs.some((f) => f.endsWith('Claude API Chat.log')), 'the extension log exists');
    const settings = join(ctx.profile.userData, 'User', 'settings.json');
    for (const f of [...logs, settings]) assert.ok(!readFileSync(f, 'utf8').includes(key), `key found in ${f}`);
    const html = await chatFrame(ctx.page).locator('html').evaluate((el) => el.outerHTML);
    assert.ok(!html.includes(key), 'key found in the webview DOM');
  });
});

describe('Packaged .vsix: conversations survive a window reload', () => {
  it('restores the open conversation exactly after a reload, lists it, and picks a model from GET /v1/models', async function () {
    // A reload restarts the workbench and the extension host: on a loaded 2-core machine that alone can take most of
    // a minute, so this test gets its own budget and waits on each thing it checks rather than on the clock.
    this.timeout(180_000);
    const before = await chatFrame(ctx.page).locator('.turn').count();
    assert.ok(before >= 3, `there is a conversation to restore (${before} turns)`);
    await ctx.page.reload();
    await waitForWorkbench(ctx.page);
    await openChatUntil(ctx.page, (f, timeout) => f.locator('.turn').nth(before - 1).waitFor({ state: 'attached', timeout }));
    const frame = chatFrame(ctx.page);
    assert.equal(await frame.locator('.turn').count(), before);
    await frame.locator('.turn').first().getByText('First line').waitFor();
    assert.equal(await frame.locator('.turn').nth(1).locator('.status.incomplete').count(), 1, 'the stopped turn is still marked incomplete');
    // The model picker lists the API's models.
    // The list arrives after the view's handshake (GET /v1/models); wait for it rather than reading it at once.
    await frame.locator('#model-select option[value="claude-opus-5-5"]').waitFor({ state: 'attached', timeout: 30_000 });
    const options = await frame.locator('#model-select option').allInnerTexts();
    assert.ok(options.length >= 5 && options.some((o) => /Opus 5\.5/.test(o)), options.join(', '));
    await frame.locator('#model-select').selectOption('claude-haiku-5-5');
    await frame.locator('#input').fill('Which model?');
    await frame.locator('#input').press('Enter');
    await frame.locator('.turn').last().getByText('You said: Which model?').waitFor({ timeout: 15_000 });
    assert.equal(ctx.api.messageRequests.at(-1).body.model, 'claude-haiku-5-5');
    // The conversation list shows it.
    await runCommand(ctx.page, 'Claude: Show Conversations');
    await frame.locator('.history-item').first().waitFor({ timeout: 10_000 });
    assert.match(await frame.locator('.history-item').first().innerText(), /First line/);
    await ctx.page.screenshot({ path: join(ctx.shots, 'history.png') });
    await frame.locator('#history-close').click();
  });
});
