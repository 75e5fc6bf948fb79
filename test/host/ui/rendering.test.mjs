// The chat view as a user meets it: thinking, code-block actions against a real editor, themes, keyboard, a11y.
import * as assert from 'node:assert/strict';

import { join } from 'node:path';
import { uiContext as ctx } from './context.mjs';
import { chatFrame, runCommand } from './workbench.mjs';

const CODE = 'export const greet = (name: string): string => `Hello, ${name}!`;';


async function editorText(page) {
  return page.locator('.editor-instance .view-lines').first().innerText();
}

describe('Packaged .vsix: rendering, code actions, themes, keyboard', () => {
  it('shows thinking collapsed, expandable, and highlights the code block once it closes', async () => {
    const frame = chatFrame(ctx.page);
    ctx.api.queue({ kind: 'message', chunkSize: 12, delayMs: 5, blocks: [
      { type: 'thinking', thinking: 'The user wants a greeting function. TypeScript, arrow function, template string.' },
      { type: 'text', text: `Here you go:\n\n\`\`\`ts\n${CODE}\n\`\`\`\n\nCall it with a name.` },
    ] });
    await frame.locator('#input').fill('Write a greet function in TypeScript');
    await frame.locator('#input').press('Enter');
    const turn = frame.locator('.turn').last();
    await turn.locator('.usage').waitFor({ timeout: 20_000 });
    const details = turn.locator('details.thinking');
    assert.equal(await details.evaluate((d) => d.open), false, 'thinking starts collapsed');
    await details.locator('summary').click();
    assert.equal(await details.evaluate((d) => d.open), true);
    assert.match(await details.innerText(), /greeting function/);
    assert.match(await turn.locator('.md-codeblock-lang').innerText(), /TypeScript/i);
    assert.ok((await turn.locator('pre.md-pre code span[class^="hljs-"]').count()) > 0, 'highlighted');
    await ctx.page.screenshot({ path: join(ctx.shots, 'thinking-code.png') });
  });

  it('Insert puts the code at the cursor of the active editor', async () => {
    await runCommand(ctx.page, 'File: New Untitled Text File');
    await ctx.page.locator('.editor-instance .view-lines').first().waitFor();
    const frame = chatFrame(ctx.page);
    await frame.locator('.turn').last().locator('button[data-action="insert"]').click();
    await ctx.page.waitForFunction((code) => document.querySelector('.editor-instance .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(code.slice(0, 30)), CODE, { timeout: 10_000 });
    assert.match((await editorText(ctx.page)).replace(/\u00a0/g, ' '), /export const greet/);
  });

  it('Apply shows a diff first and changes the editor only after Apply is chosen', async () => {
    await ctx.page.keyboard.press('Control+A');
    await ctx.page.keyboard.type('const old = 1;\n');
    const frame = chatFrame(ctx.page);
    await frame.locator('.turn').last().locator('button[data-action="apply"]').click();
    const toast = ctx.page.locator('.notifications-toasts').getByText(/Apply Claude's code/);
    await toast.waitFor({ timeout: 10_000 });
    await ctx.page.locator('.monaco-diff-editor').first().waitFor({ timeout: 10_000 });
    await ctx.page.screenshot({ path: join(ctx.shots, 'apply-diff.png') });
    await ctx.page.locator('.notifications-toasts .monaco-button', { hasText: /^Apply$/ }).click();
    await ctx.page.waitForTimeout(500);
    await runCommand(ctx.page, 'View: Close Editor');
    const text = (await editorText(ctx.page)).replace(/\u00a0/g, ' ');
    assert.match(text, /export const greet/);
    assert.doesNotMatch(text, /const old = 1/);
    await runCommand(ctx.page, 'View: Revert and Close Editor');
  });

  it('every control has an accessible name; completed replies are announced; Escape stops and returns focus', async () => {
    const frame = chatFrame(ctx.page);
    const unnamed = await frame.locator('button, select, textarea, summary').evaluateAll((els) =>
      els.filter((e) => e.getClientRects().length > 0 && !(e.getAttribute('aria-label') || e.textContent?.trim())).map((e) => e.outerHTML.slice(0, 80)));
    assert.deepEqual(unnamed, []);
    const live = frame.locator('[aria-live="polite"]');
    assert.match(await live.innerText(), /Claude replied: Here you go/);
    ctx.api.queue({ kind: 'text', text: 'slow '.repeat(400), chunkSize: 5, delayMs: 30 });
    await frame.locator('#input').fill('go slowly');
    await frame.locator('#input').press('Enter');
    await frame.locator('.turn').last().getByText(/slow slow/).waitFor({ timeout: 15_000 });
    await frame.locator('.turn').last().locator('.reply-body').click(); // focus away from the input
    await ctx.page.keyboard.press('Escape');
    await frame.locator('.turn').last().locator('.status.incomplete').waitFor({ timeout: 5_000 });
    assert.equal(await frame.locator('#input').evaluate((e) => e === document.activeElement), true, 'focus back in the input');
  });

  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  };
  for (const [theme, file, dark] of [['Dark Modern', 'chat-dark.png', true], ['Light Modern', 'chat-light.png', false], ['Dark High Contrast', 'chat-high-contrast.png', true]]) {
    it(`follows the ${theme} theme through --vscode-* variables`, async () => {
      await runCommand(ctx.page, 'Preferences: Color Theme');
      const input = ctx.page.locator('.quick-input-widget input');
      await input.fill(theme);
      await ctx.page.locator('.quick-input-list .monaco-list-row .label-name', { hasText: new RegExp(`^${theme}$`) }).first().click();
      const frame = chatFrame(ctx.page);
      await ctx.page.waitForFunction(() => true);
      let bg = '';
      for (let i = 0; i < 50; i++) {
        bg = await frame.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
        if ((luminance(bg) < 0.3) === dark) break;
        await ctx.page.waitForTimeout(100);
      }
      const fg = await frame.locator('body').evaluate((b) => getComputedStyle(b).color);
      assert.equal(luminance(bg) < 0.3, dark, `${theme}: background ${bg}`);
      assert.ok(Math.abs(luminance(fg) - luminance(bg)) > 0.5, `${theme}: text ${fg} readable on ${bg}`);
      await runCommand(ctx.page, 'View: Close All Editors');
      await ctx.page.screenshot({ path: join(ctx.shots, file) });
    });
  }
});
