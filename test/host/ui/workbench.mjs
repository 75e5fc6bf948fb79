// Helpers for driving the VS Code workbench and the chat webview with Playwright.
export async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
}

// purpose=webviewView tells the sidebar view apart from the extension's panels (the usage report).
export const CHAT_IFRAME = 'iframe.webview[src*="extensionId=claude-api-chat.claude-api-chat"][src*="purpose=webviewView"]';

export async function openChat(page) {
  const icon = page.locator('.activitybar .action-item a[aria-label^="Claude"], .activitybar [role="tab"][aria-label^="Claude"]').first();
  await icon.waitFor({ timeout: 30_000 });
  const sidebar = page.locator('.part.sidebar:not(.empty)');
  // Right after a (re)load the workbench may still be restoring views: retry, alternating the activity-bar icon
  // (which toggles the side bar) with the Open Chat command, until the chat view is shown.
  const webview = page.locator(CHAT_IFRAME);
  for (let attempt = 0; attempt < 8; attempt++) {
    const selected = await icon.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
    if (selected && (await sidebar.isVisible())) {
      if (await webview.waitFor({ state: 'attached', timeout: 5_000 }).then(() => true, () => false)) return;
      await runCommand(page, 'Claude: Open Chat');
      continue;
    }
    if (attempt % 2 === 0 && !selected) await icon.click();
    else if (attempt % 2 === 0) await runCommand(page, 'Claude: Open Chat');
    else await icon.click();
    await sidebar.waitFor({ state: 'visible', timeout: 2_500 }).catch(() => {});
  }
  await sidebar.waitFor({ state: 'visible', timeout: 5_000 });
}

/** The chat view's own document: the workbench iframe, then the extension's #active-frame inside it. */
export function chatFrame(page) {
  return page.frameLocator(CHAT_IFRAME).frameLocator('iframe#active-frame');
}

export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Pick the row whose label is exactly the title ("File: New Untitled Text File" must not run "File: Compare New
  // Untitled Text Files").
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escaped}$`) }) }).first();
  await row.waitFor();
  await row.click();
}

/**
 * Opens the chat and waits until `ready(frame)` resolves. After a window reload code-server sometimes leaves a restored
 * webview on its placeholder page, which never loads the extension's document; a user would close the view and open
 * it again, and so does this: up to `tries` times, hiding the side bar and opening the chat anew.
 */
export async function openChatUntil(page, ready, { tries = 3, timeout = 20_000 } = {}) {
  let last;
  for (let i = 0; i < tries; i++) {
    await openChat(page);
    try {
      await ready(chatFrame(page), timeout);
      return;
    } catch (e) {
      last = e;
      process.stderr.write(`[ui] the chat view did not show its content after ${timeout / 1000} s (try ${i + 1}/${tries}); reopening it\n`);
      await runCommand(page, 'View: Close Primary Side Bar').catch(() => {});
    }
  }
  throw last;
}
