// Helpers for driving the VS Code workbench and the chat webview with Playwright.
export async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
}

// purpose=webviewView tells the sidebar view apart from the extension's panels (the usage report).
export const CHAT_IFRAME = 'iframe.webview[src*="extensionId=claude-api-chat.claude-api-chat"][src*="purpose=webviewView"]';

export async function openChat(page) {
  const icon = page.locator('.activitybar .action-item a[aria-label^="Claude"], .activitybar [role="tab"][aria-label^="Claude"]').first();
  await icon.waitFor({ timeout: 30_000 });
  // Right after a (re)load the workbench may still be restoring views. "Claude: Open Chat" only ever shows and focuses
  // the view (clicking the activity-bar icon toggles the side bar, and a click racing the restore closed it again), so
  // it is run until the view's webview is there.
  const webview = page.locator(CHAT_IFRAME);
  for (let attempt = 0; attempt < 6; attempt++) {
    if (await webview.waitFor({ state: 'visible', timeout: attempt === 0 ? 3_000 : 7_000 }).then(() => true, () => false)) return;
    await runCommand(page, 'Claude: Open Chat').catch(() => page.keyboard.press('Escape').catch(() => {}));
  }
  await webview.waitFor({ state: 'visible', timeout: 10_000 });
}

/** The chat view's own document: the workbench iframe, then the extension's #active-frame inside it. */
export function chatFrame(page) {
  return page.frameLocator(CHAT_IFRAME).frameLocator('iframe#active-frame');
}

/**
 * Runs a command from the palette by its exact title. On a loaded machine the palette can close again before it is
 * typed into (focus moves to a webview or a notification as it opens); then it is opened again, up to three times.
 */
export async function runCommand(page, title, { timeout } = {}) {
  const input = page.locator('.quick-input-widget input');
  // Pick the row whose label is exactly the title ("File: New Untitled Text File" must not run "File: Compare New
  // Untitled Text Files").
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escaped}$`) }) }).first();
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 10_000 });
      await row.waitFor(timeout ? { timeout } : undefined);
      await row.click({ timeout: 10_000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape').catch(() => {});
    }
  }
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
      const frames = await page.locator(CHAT_IFRAME).count().catch(() => -1);
      const turns = frames === 1 ? await chatFrame(page).locator('.turn').count().catch(() => -1) : -1;
      const input = frames === 1 ? await chatFrame(page).locator('#input').count().catch(() => -1) : -1;
      process.stderr.write(`[ui] the chat view did not show its content after ${timeout / 1000} s (try ${i + 1}/${tries}: ${frames} chat iframe(s), ${turns} turn(s), #input ${input}; ${String(e?.message ?? e).split('\n')[0]}); reopening it\n`);
      await page.keyboard.press('Escape').catch(() => {});
      await runCommand(page, 'View: Close Primary Side Bar', { timeout: 10_000 }).catch(() => page.keyboard.press('Escape').catch(() => {}));
    }
  }
  throw last;
}
