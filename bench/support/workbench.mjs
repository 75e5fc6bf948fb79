// Shared by the benches that drive the packaged .vsix in code-server (attachments, chat, ttft): one launch against
// the fake API, finding an extension's webview document among the workbench's frames (Playwright Frames, for
// evaluate()), the key-host question answered as a person would, and the median.
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { installVsix, launchBrowser, makeProfile, startCodeServer } from '../../test/host/codeServer.mjs';
import { findChromium, provisionCodeServer } from '../../test/host/provision.mjs';
import { openChat, waitForWorkbench } from '../../test/host/ui/workbench.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const CHAT_EXTENSION_ID = 'claude-api-chat.claude-api-chat';
export const PACKAGED_VSIX = process.env.CLAUDE_CHAT_VSIX || join(ROOT, 'claude-api-chat.vsix');

export const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);

/** The inner document of `extensionId`'s webview view that has an #input, waited for up to `waitMs`. */
export async function extensionFrame(page, extensionId, waitMs = 60_000) {
  const deadline = Date.now() + waitMs;
  const pattern = new RegExp(`extensionId=${extensionId.replace(/\./g, '\\.')}(&|$)`);
  while (Date.now() < deadline) {
    const outers = page.frames().filter((f) => pattern.test(f.url()) && /purpose=webviewView/.test(f.url()));
    for (const inner of outers.flatMap((o) => o.childFrames())) {
      if (!inner.isDetached() && (await inner.locator('#input').count().catch(() => 0)) > 0) return inner;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const urls = page.frames().map((f) => `${f.isDetached() ? 'detached ' : ''}${f.url().slice(0, 160)}`);
  throw new Error(`the webview of ${extensionId} did not appear within ${waitMs / 1000} s; frames:\n${urls.join('\n')}`);
}

/** The modal before the key first goes to 127.0.0.1 (at the first models list or request): allow it, if it comes. */
export async function allowKeyHost(page, waitMs) {
  const dialog = page.locator('.monaco-dialog-box');
  if (await dialog.waitFor({ timeout: waitMs }).then(() => true, () => false)) {
    await dialog.getByRole('button', { name: /^Send Key to / }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  }
}

/**
 * Starts the fake API and a code-server profile with `vsixes` installed (the key in the environment, baseURL at the
 * fake), opens the workbench in Chromium and shows the chat view. `close()` stops all of it.
 */
export async function launchPackaged({ vsixes = [PACKAGED_VSIX] } = {}) {
  const fake = await import(pathToFileURL(join(ROOT, 'out', 'test', 'fake-api', 'server.js')).href);
  const api = await fake.startFakeApi();
  const cs = provisionCodeServer();
  const profile = makeProfile({ settings: { 'claudeChat.baseURL': api.url } });
  for (const vsix of vsixes) installVsix(cs, profile, vsix);
  const server = await startCodeServer(cs, profile, { env: { ANTHROPIC_API_KEY: fake.DEFAULT_TEST_KEY } });
  const browser = await launchBrowser(cs, findChromium());
  const close = async () => {
    await browser.close();
    await server.stop();
    await api.close();
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspace)}`);
    await waitForWorkbench(page);
    await openChat(page);
    return { fake, api, profile, browser, page, close };
  } catch (e) {
    await close();
    throw e;
  }
}
