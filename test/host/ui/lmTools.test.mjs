// The vscode.lm integration through the real UI of the packaged .vsix, beside the test extensions: the tool picker,
// the chat card of another extension's tool (its source, the approval, the untrusted result), and the modal that
// gates another extension's use of Claude (here refused: nothing is sent).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { uiContext as ctx } from './context.mjs';
import { chatFrame, runCommand } from './workbench.mjs';

describe('Packaged .vsix: tools of other extensions, and other extensions using Claude', () => {
  it('the tool picker lists the test extension\'s tool, off until checked', async () => {
    await runCommand(ctx.page, 'Claude: Choose Tools from Other Extensions and MCP Servers');
    const row = ctx.page.locator('.quick-input-list .monaco-list-row', { hasText: 'fixture_readNote' });
    await row.waitFor({ timeout: 20_000 });
    assert.match(await ctx.page.locator('.quick-input-list').innerText(), /extension "Fixture Tools \(test\)" \(claude-test\.lm-tools\)/);
    const start = ctx.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Start "calc"' });
    assert.match(await start.innerText(), /server\.mjs/, 'the configured MCP server that is not running is listed with a way to start it');
    const box = row.locator('input[type="checkbox"], .monaco-checkbox, .quick-input-list-checkbox').first();
    const checked = () => box.evaluate((el) => (el instanceof HTMLInputElement ? el.checked : el.classList.contains('checked') || el.getAttribute('aria-checked') === 'true'));
    assert.equal(await checked(), false, 'off by default: only MCP tools start on');
    await box.click();
    assert.equal(await checked(), true);
    await ctx.page.screenshot({ path: join(ctx.shots, 'lm-tool-picker.png') });
    await ctx.page.locator('.quick-input-widget').getByRole('button', { name: 'OK' }).click();
    await ctx.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it("the card of another extension's tool names its source, asks, and marks the result untrusted", async () => {
    const frame = chatFrame(ctx.page);
    ctx.api.queue(
      { kind: 'message', blocks: [{ type: 'text', text: 'Let me read that note.' }, { type: 'tool_use', name: 'fixture_readNote', input: { id: 'n1' } }], stopReason: 'tool_use' },
      { kind: 'text', text: 'The note says to buy milk.' },
    );
    await frame.locator('#input').fill('What does note n1 say?');
    await frame.locator('#input').press('Enter');
    const card = frame.locator('.turn').last().locator('.tool-call[data-external="true"]');
    await card.locator('button[data-decision="workspace"]').waitFor({ timeout: 20_000 });
    assert.match(await card.locator('.tool-source').innerText(), /From extension "Fixture Tools \(test\)" \(claude-test\.lm-tools\)/);
    assert.deepEqual(await card.locator('.tool-actions button').evaluateAll((bs) => bs.map((b) => b.textContent.trim())),
      ['Approve', 'Allow for this conversation', 'Allow in this workspace', 'Reject']);
    await ctx.page.screenshot({ path: join(ctx.shots, 'lm-tool-card-approval.png') });
    await card.screenshot({ path: join(ctx.shots, 'lm-tool-card-approval-card.png') });
    await card.locator('button[data-decision="approve"]').click();
    await frame.locator('.turn').last().getByText('The note says to buy milk.').waitFor({ timeout: 20_000 });
    const result = card.locator('.tool-result.is-untrusted');
    await result.locator('.untrusted-badge').waitFor({ timeout: 10_000 });
    await result.locator('summary').click();
    await ctx.page.screenshot({ path: join(ctx.shots, 'lm-tool-card-result.png') });
    await card.screenshot({ path: join(ctx.shots, 'lm-tool-card-result-card.png') });
    const sent = ctx.api.messageRequests.at(-1).body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((b) => b.type === 'tool_result').at(-1);
    assert.match(String(sent.content), /<tool-output>\nnote n1: buy milk\n<\/tool-output>$/);
  });

  it('an MCP server configured but not started is started from the picker (after a question), and its tool card names the server', async () => {
    await runCommand(ctx.page, 'Claude: Choose Tools from Other Extensions and MCP Servers');
    const start = ctx.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Start "calc"' });
    await start.waitFor({ timeout: 20_000 });
    await start.locator('input[type="checkbox"], .monaco-checkbox, .quick-input-list-checkbox').first().click();
    await ctx.page.locator('.quick-input-widget').getByRole('button', { name: 'OK' }).click();
    const ours = ctx.page.locator('.monaco-dialog-box', { hasText: 'Start the MCP server "calc"?' });
    await ours.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await ours.innerText(), /Starting a server runs its command on this machine:[\s\S]*server\.mjs/);
    await ctx.page.screenshot({ path: join(ctx.shots, 'lm-mcp-start.png') });
    await ours.getByRole('button', { name: 'Start' }).click();
    // VS Code asks on its own whether to trust a workspace MCP server (1.139: promptType all-untrusted).
    const trust = ctx.page.locator('.monaco-dialog-box').getByRole('button', { name: /^Trust/ });
    if (await trust.waitFor({ timeout: 10_000 }).then(() => true, () => false)) await trust.first().click();
    const frame = chatFrame(ctx.page);
    ctx.api.queue(
      { kind: 'message', blocks: [{ type: 'tool_use', name: 'mcp_calc_add', input: { a: 2, b: 3 } }], stopReason: 'tool_use' },
      { kind: 'text', text: '2 + 3 = 5.' },
    );
    // The tools go live a moment after the start; ask once they are offered (each request reads them anew).
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 500));
      await runCommand(ctx.page, 'Claude: Choose Tools from Other Extensions and MCP Servers');
      const live = await ctx.page.locator('.quick-input-list .monaco-list-row', { hasText: 'mcp_calc_add' }).waitFor({ timeout: 3_000 }).then(() => true, () => false);
      await ctx.page.keyboard.press('Escape');
      if (live) break;
    }
    await frame.locator('#input').fill('What is 2 + 3?');
    await frame.locator('#input').press('Enter');
    const card = frame.locator('.turn').last().locator('.tool-call[data-external="true"]');
    await card.locator('button[data-decision="approve"]').waitFor({ timeout: 20_000 });
    assert.match(await card.locator('.tool-source').innerText(), /From MCP server "calc"/);
    await card.screenshot({ path: join(ctx.shots, 'lm-mcp-tool-card-approval.png') });
    await card.locator('button[data-decision="approve"]').click();
    await frame.locator('.turn').last().getByText('2 + 3 = 5.').waitFor({ timeout: 20_000 });
    await card.locator('.tool-result summary').click();
    await card.screenshot({ path: join(ctx.shots, 'lm-mcp-tool-card-result.png') });
    const sent = ctx.api.messageRequests.at(-1).body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((b) => b.type === 'tool_result').at(-1);
    assert.match(String(sent.content), /<tool-output>\n5\n<\/tool-output>$/);
  });

  it('another extension asking to use Claude gets a modal first; Deny sends nothing and is remembered', async () => {
    const before = ctx.api.messageRequests.length;
    await runCommand(ctx.page, 'LM Consumer: Ask the Claude model (test consumer)');
    const dialog = ctx.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await dialog.innerText(), /Allow LM Consumer \(test\) \(claude-test\.lm-consumer\) to use Claude with your API key\?/);
    await ctx.page.screenshot({ path: join(ctx.shots, 'lm-provider-consent.png') });
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await ctx.page.locator('.notifications-toasts').getByText(/LM Consumer: error: .*may not use Claude with your API key/).waitFor({ timeout: 20_000 });
    assert.equal(ctx.api.messageRequests.length, before, 'nothing reached the API');
    await runCommand(ctx.page, 'Notifications: Clear All Notifications');
    await runCommand(ctx.page, 'LM Consumer: Ask the Claude model (test consumer)');
    await ctx.page.locator('.notifications-toasts').getByText(/LM Consumer: error: .*may not use Claude/).waitFor({ timeout: 20_000 });
    assert.equal(await dialog.isVisible(), false, 'not asked again: Deny was remembered');
    await runCommand(ctx.page, 'Notifications: Clear All Notifications');
  });
});
