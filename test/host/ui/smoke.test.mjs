// The packaged extension in a real VS Code: activity-bar icon, empty state, setting the key through the UI.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { uiContext as ctx } from './context.mjs';
import { chatFrame, openChat, runCommand, waitForWorkbench } from './workbench.mjs';

describe('Packaged .vsix: onboarding', () => {
  before(async () => {
    await ctx.page.goto(ctx.url);
    await waitForWorkbench(ctx.page);
  });

  it('shows a Claude icon in the activity bar whose view explains how to start', async () => {
    await openChat(ctx.page);
    const frame = chatFrame(ctx.page);
    await frame.locator('#set-key').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await frame.locator('.onboarding').innerText(), /API key/);
    assert.equal(await frame.locator('#input').isDisabled(), true, 'input is disabled until a key is set');
    await ctx.page.screenshot({ path: join(ctx.shots, 'onboarding.png') });
  });

  it('asks in a modal before the key first goes to the configured host; "Cancel" sends nothing', async () => {
    // claudeChat.baseURL (User settings) is the fake API on 127.0.0.1: not api.anthropic.com, so the user is asked.
    const hostPort = `127.0.0.1:${new URL(ctx.api.url).port}`;
    const before = ctx.api.requests.length;
    await runCommand(ctx.page, 'Claude: Set API Key');
    const input = ctx.page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('sk-ant-test.declined-key-0000000000000');
    await input.press('Enter');
    const dialog = ctx.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await dialog.innerText(), new RegExp(`Send your Anthropic API key to ${hostPort.replace(/\./g, '\\.')}\\?`));
    await ctx.page.screenshot({ path: join(ctx.shots, 'key-host-modal.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await ctx.page.locator('.notifications-toasts').getByText(/Nothing was sent/).waitFor({ timeout: 20_000 });
    assert.equal(ctx.api.requests.length, before, 'no request reached the host the user declined');
    await runCommand(ctx.page, 'Notifications: Clear All Notifications');
  });

  it('refuses a key the API rejects and says so', async () => {
    const hostPort = `127.0.0.1:${new URL(ctx.api.url).port}`;
    await runCommand(ctx.page, 'Claude: Set API Key');
    const input = ctx.page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('sk-ant-test.invalid-key-0000000000000');
    await input.press('Enter');
    // Set API Key asks again about a host declined earlier; allowed now, it is remembered (no modal after this).
    const dialog = ctx.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    await dialog.getByRole('button', { name: `Send Key to ${hostPort}` }).click();
    await ctx.page.locator('.notifications-toasts').getByText(/rejected this key/).waitFor({ timeout: 20_000 });
    const frame = chatFrame(ctx.page);
    assert.equal(await frame.locator('#set-key').isVisible(), true, 'still no key');
    await runCommand(ctx.page, 'Notifications: Clear All Notifications');
  });

  it('stores a valid key from the Set API Key button and enables the chat', async () => {
    const frame = chatFrame(ctx.page);
    await frame.locator('#set-key').click();
    // The key is typed into a password box (fails by timeout if the input box is a plain text one).
    const input = ctx.page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(ctx.fake.DEFAULT_TEST_KEY);
    await input.press('Enter');
    await frame.locator('#input:not([disabled])').waitFor({ timeout: 20_000 });
    assert.equal(await frame.locator('#set-key').isVisible(), false);
    const models = ctx.api.requests.filter((r) => r.path === '/v1/models');
    assert.ok(models.length >= 2, 'each key was checked with GET /v1/models');
  });
});
