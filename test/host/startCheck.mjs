// Launch C: the VS Code that `npm start` gives a person (test/host/start.mjs): the packaged extension installed, no
// smoke-test driver. Checks that the extension is there and works, and that a modal dialog waits for the person
// instead of confirming itself (the smoke-test driver, used for the in-host suite, confirms every modal).
import * as assert from 'node:assert/strict';
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './codeServer.mjs';
import { startForPerson } from './start.mjs';
import { openChat, chatFrame, runCommand, waitForWorkbench } from './ui/workbench.mjs';

const log = (m) => process.stderr.write(`[host-tests] ${m}\n`);

export async function runStartCheck(cs, chromium, shots) {
  const lines = 'line of text for the context\n'.repeat(40);
  const { server, url, profile } = await startForPerson(cs, { settings: { 'claudeChat.context.confirmTokens': 10 }, workspaceFiles: { 'big.txt': lines } });
  const browser = await launchBrowser(cs, chromium);
  const checks = [];
  const check = async (name, fn) => {
    try {
      await fn();
      checks.push(true);
      log(`npm start: ✔ ${name}`);
    } catch (e) {
      checks.push(false);
      log(`npm start: ✘ ${name}\n${e?.stack ?? e}`);
      await page.screenshot({ path: join(shots, `FAILED-npm-start-${checks.length}.png`) }).catch(() => {});
    }
  };
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await check('the packaged extension is installed, its dist/ linked to the working tree, and its view opens', async () => {
      const folder = readdirSync(profile.extensions).find((n) => n.startsWith('claude-api-chat.claude-api-chat-'));
      assert.ok(folder, 'installed from the .vsix');
      assert.ok(lstatSync(join(profile.extensions, folder, 'dist')).isSymbolicLink(), 'dist/ follows `npm run watch`');
      await page.goto(url);
      await waitForWorkbench(page);
      await openChat(page);
      await chatFrame(page).locator('#input, .empty-state').first().waitFor({ timeout: 30_000 });
    });
    await check('a modal dialog waits for the person (no smoke-test driver)', async () => {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill('big.txt');
      await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor').first().waitFor();
      await runCommand(page, 'Claude: Add to Claude Context');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await dialog.innerText(), /Add big\.txt/);
      // A smoke-test driver would have answered it at once; a person's dialog is still there seconds later.
      await page.waitForTimeout(3_000);
      assert.ok(await dialog.isVisible(), 'the modal is still waiting');
      await page.screenshot({ path: join(shots, 'npm-start-modal.png') });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    });
  } finally {
    await browser.close();
    await server.stop();
  }
  const passes = checks.filter(Boolean).length;
  log(`npm start: ${passes} passed, ${checks.length - passes} failed`);
  return { passes, failures: checks.length - passes };
}
