// Helpers for driving the VS Code workbench and the chat webview with Playwright.
export async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
}

export async function openChat(page) {
  const icon = page.locator('.activitybar .action-item a[aria-label^="Claude"], .activitybar [role="tab"][aria-label^="Claude"]').first();
  await icon.waitFor({ timeout: 30_000 });
  const selected = await icon.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
  const sidebarShown = await page.locator('.part.sidebar').isVisible();
  // A checked icon with a hidden side bar (e.g. after a reload) needs a click to show the view again.
  if (!selected) await icon.click();
  else if (!sidebarShown) await runCommand(page, 'Claude: Open Chat');
  await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: 10_000 });
}

/** The chat view's own document: the workbench iframe, then the extension's #active-frame inside it. */
export function chatFrame(page) {
  // purpose=webviewView tells the sidebar view apart from the extension's panels (the usage report).
  return page.frameLocator('iframe.webview[src*="extensionId=claude-api-chat.claude-api-chat"][src*="purpose=webviewView"]').frameLocator('iframe#active-frame');
}

export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await input.press('Enter');
}
