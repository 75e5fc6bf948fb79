// Review into the Problems panel and a cited web answer, in the packaged .vsix through the real UI: "Claude: Review
// File" from the palette fills the Problems panel, the Quick Fix (Ctrl+.) opens Claude's fix as a diff and Apply writes
// it; the globe button turns web search on, a scripted search result renders as a card with a clickable source, a
// citation links to it, and the footer has the search's cost. Screenshots: problems.png, quick-fix.png, web-answer.png.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uiContext as ctx } from './context.mjs';
import { chatFrame, openChat, runCommand } from './workbench.mjs';

const NAME = 'calc.ts';
const TEXT = ['export function add(a: number, b: number): number {', '  return a - b;', '}', '', 'export const twice = (x: number) => add(x, x);', ''].join('\n');

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first().click();
  await page.locator(`.tab.active[aria-label^="${name}"], .tab.active[data-resource-name="${name}"]`).first().waitFor({ timeout: 15_000 });
}

describe('Packaged .vsix: review into the Problems panel, and web search with citations', () => {
  it('Review File fills the Problems panel; the Quick Fix shows the fix as a diff and Apply writes it', async function () {
    this.timeout(120_000);
    const page = ctx.page;
    writeFileSync(join(ctx.profile.workspace, NAME), TEXT);
    await runCommand(page, 'View: Close All Editors').catch(() => {});
    await openFile(page, NAME);
    ctx.api.queue(ctx.fake.reply.json({
      findings: [
        { file: NAME, startLine: 2, endLine: 2, severity: 'error', message: 'add() subtracts its arguments instead of adding them.', replacement: '  return a + b;' },
        { file: NAME, startLine: 5, endLine: 5, severity: 'info', message: 'twice() could be named double().' },
      ],
    }));
    await runCommand(page, 'Claude: Review File');
    const markers = page.locator('.markers-panel');
    const row = markers.locator('.monaco-list-row').filter({ hasText: 'add() subtracts its arguments' }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.match(await markers.innerText(), /Claude/, 'source "Claude"');
    assert.match(await markers.innerText(), /twice\(\) could be named double\(\)/);
    const sent = ctx.api.messageRequests.at(-1).body;
    assert.equal(sent.output_config?.format?.type, 'json_schema');
    await page.screenshot({ path: join(ctx.shots, 'problems.png') });

    // The Quick Fix from the editor, as a user reaches it: go to the problem, put the cursor on it, Ctrl+.
    await row.click();
    const fix = page.locator('.action-widget .monaco-list-row, .context-view .action-item').filter({ hasText: "Review Claude's fix" }).first();
    // The menu waits for every code-action provider (the TypeScript server may still be starting): ask again if it
    // does not come up.
    for (let attempt = 1; ; attempt++) {
      await page.locator('.editor-instance .view-line').filter({ hasText: 'return a - b' }).first().click();
      await page.keyboard.press('Control+.');
      if (await fix.waitFor({ timeout: 15_000 }).then(() => true, () => false)) break;
      if (attempt === 4) assert.fail('the Quick Fix menu did not offer "Review Claude\'s fix…"');
      await page.keyboard.press('Escape');
    }
    await page.screenshot({ path: join(ctx.shots, 'quick-fix.png') });
    await fix.click();
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 15_000 });
    await runCommand(page, 'Claude: Apply Refactor');
    await page.waitForFunction(() => [...document.querySelectorAll('.editor-instance .view-line')].some((l) => l.textContent?.replace(/\u00a0/g, ' ').includes('return a + b;')), undefined, { timeout: 15_000 });
    await page.keyboard.press('Control+S');
    const deadline = Date.now() + 10_000;
    while (!readFileSync(join(ctx.profile.workspace, NAME), 'utf8').includes('return a + b;')) {
      if (Date.now() > deadline) assert.fail('the fix was not written to the file');
      await page.waitForTimeout(100);
    }
    assert.equal(readFileSync(join(ctx.profile.workspace, NAME), 'utf8'), TEXT.replace('a - b', 'a + b'));
    await markers.locator('.monaco-list-row').filter({ hasText: 'add() subtracts' }).waitFor({ state: 'detached', timeout: 10_000 });
    await runCommand(page, 'Claude: Clear Claude Findings');
    await markers.locator('.monaco-list-row').filter({ hasText: 'twice()' }).waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('web search on: a scripted search renders as a card with a clickable source, cited, and its cost in the footer', async function () {
    this.timeout(120_000);
    const page = ctx.page;
    await runCommand(page, 'View: Close All Editors').catch(() => {});
    await runCommand(page, 'Claude: New Chat');
    await openChat(page);
    const frame = chatFrame(page);
    const toggle = frame.locator('#web-toggle');
    await toggle.waitFor({ timeout: 20_000 });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'off by default');
    await toggle.click();
    await frame.locator('#web-toggle[aria-pressed="true"]').waitFor({ timeout: 10_000 });
    const results = [
      { url: 'https://code.visualstudio.com/api/extension-guides/webview', title: 'Webview API | Visual Studio Code Extension API', page_age: 'November 3, 2026' },
      { url: 'https://code.visualstudio.com/api/references/vscode-api', title: 'VS Code API reference' },
    ];
    ctx.api.queue(ctx.fake.reply.webSearch('vs code webview content security policy', results, [
      { text: 'Webviews should set a strict Content Security Policy with a nonce for scripts ' },
      { text: 'and load local resources only from `localResourceRoots`.', citations: [{ url: results[0].url, title: results[0].title, cited_text: 'Set a content security policy for your webviews' }] },
    ], { chunkSize: 16 }));
    await frame.locator('#input').fill('How should a VS Code webview set its CSP?');
    await frame.locator('#input').press('Enter');
    const turn = frame.locator('.turn').last();
    await turn.locator('.usage').waitFor({ timeout: 30_000 });
    const sent = ctx.api.messageRequests.at(-1).body;
    assert.ok(sent.tools.some((t) => t.type === 'web_search_20250305'), 'the web_search server tool was offered');
    const card = turn.locator('.web-card');
    assert.match(await card.locator('.web-head').innerText(), /Searched the web for\s+“vs code webview content security policy”/);
    const source = card.locator('a.web-source').first();
    assert.equal(await source.getAttribute('href'), results[0].url);
    const citation = turn.locator('.web-citations a.citation-link').first();
    assert.match(await citation.innerText(), /^\[1\] Webview API/);
    const footer = await turn.locator('.usage').innerText();
    assert.match(footer, /1 web search · \$0\.0\d+/, footer);
    await frame.locator('.transcript').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: join(ctx.shots, 'web-answer.png') });
    // A click asks VS Code to open the page (its own "open external website" prompt), never navigates the view.
    await source.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    assert.match(await dialog.innerText(), /code\.visualstudio\.com/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await frame.locator('.web-card').count() >= 1, true, 'the view is still the chat');
  });
});
