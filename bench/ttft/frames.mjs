// Finding an extension's webview document among the workbench's frames (Playwright Frames, for evaluate()).
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
