// Root hooks for the UI specs: a screenshot of the workbench whenever a test fails.
import { join } from 'node:path';
import { uiContext as ctx } from './context.mjs';

afterEach(async function () {
  if (this.currentTest?.state !== 'failed' || !ctx.page) return;
  const name = this.currentTest.fullTitle().replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
  await ctx.page.screenshot({ path: join(ctx.shots, `FAILED-${name}.png`) }).catch(() => {});
});
