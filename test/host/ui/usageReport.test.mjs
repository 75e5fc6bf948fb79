// The status-bar usage item and the "Claude: Show Usage" report in the packaged .vsix. Runs after the chat flow,
// so the session has real usage reported by the fake API by then.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { uiContext as ctx } from './context.mjs';
import { chatFrame, openChat } from './workbench.mjs';

const STATUS = /^\$[\d.,]+ · ([\d.]+)([kM]?) tok( · \d+% cached)?$/;

function statusItem(page) {
  return page.locator('.part.statusbar .statusbar-item-label[aria-label^="Claude usage:"]').first();
}

/** The report's own document: the frame whose page has the report heading. */
async function reportFrame(page) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      if (await f.locator('h1', { hasText: 'Claude API usage' }).count().catch(() => 0)) return f;
    }
    await page.waitForTimeout(100);
  }
  throw new Error('the usage report webview did not appear');
}

describe('Packaged .vsix: usage in the status bar and the usage report', () => {

  it('shows "$… · … tok" in the status bar; the tooltip has the exact usage the API reported for a reply', async () => {
    const item = statusItem(ctx.page);
    await item.waitFor({ timeout: 15_000 });
    // A reply of our own, so this spec does not depend on what the session (reset by any reload) holds.
    await openChat(ctx.page);
    const frame = chatFrame(ctx.page);
    await frame.locator('#input:not([disabled])').waitFor({ timeout: 15_000 });
    await frame.locator('#input').fill('What did that cost?');
    await frame.locator('#input').press('Enter');
    const turn = frame.locator('.turn').last();
    await turn.getByText('You said: What did that cost?').waitFor({ timeout: 15_000 });
    await turn.locator('.usage').waitFor({ timeout: 15_000 }); // the reply has ended with its usage
    const last = ctx.api.messageRequests.at(-1);
    assert.ok(last.usage, 'the fake API reported usage for the reply');
    const u = last.usage;
    const expected = [u.input_tokens, u.cache_creation.ephemeral_5m_input_tokens, u.cache_creation.ephemeral_1h_input_tokens, u.cache_read_input_tokens, u.output_tokens];
    // Hover until the tooltip's newest line is this reply (the item updates asynchronously), or time out.
    const hover = ctx.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Claude API usage this session' }).first();
    const deadline = Date.now() + 15_000;
    let tip = '';
    let newest;
    let text = '';
    for (;;) {
      text = (await item.innerText()).trim();
      await item.hover();
      await hover.waitFor({ timeout: 10_000 });
      tip = await hover.innerText();
      // The newest line: #, model, input, 5m write, 1h write, cache read, output, cost.
      const rows = await hover.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
      newest = rows.filter((r) => /^\d+$/.test(r[0] ?? '')).at(-1);
      if (newest && JSON.stringify(newest.slice(2, 7).map((c) => Number(c.replace(/,/g, '')))) === JSON.stringify(expected)) break;
      if (Date.now() > deadline) assert.fail(`the tooltip's newest line ${JSON.stringify(newest)} is not the reply's usage ${JSON.stringify(expected)}`);
      await ctx.page.mouse.move(640, 300);
      await ctx.page.waitForTimeout(200);
    }
    const m = STATUS.exec(text);
    assert.ok(m && Number(m[1]) > 0, `status bar shows "${text}", expected "$… · N tok" with N > 0`);
    assert.match(tip, /Session/);
    assert.match(tip, /Context: [\d,]+ tokens of 1,000,000/);
    assert.equal(newest[1], last.body.model.replace(/^claude-/, ''), 'a chat reply, exact (no ≈)');
    assert.match(newest[7], /^\$[\d.]+$/);
    await ctx.page.screenshot({ path: join(ctx.shots, 'usage-tooltip.png') });
    await ctx.page.mouse.move(640, 300);
  });

  it('clicking it opens the report: 30 days of bars, a per-model table, the session savings', async () => {
    await statusItem(ctx.page).click();
    const frame = await reportFrame(ctx.page);
    await frame.locator('svg.chart').waitFor({ timeout: 15_000 });
    assert.equal(await frame.locator('svg.chart g.day').count(), 30, 'one bar slot per day');
    const today = frame.locator('svg.chart g.day').last();
    assert.ok(await today.locator('rect.bar').count() >= 1, 'today has a bar');
    const heights = await today.locator('rect.bar').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
    assert.ok(heights.every((h) => h > 0));
    // Every model the fake API answered has a row, with a price. The chat flow reloads the window before this
    // spec runs, so rows for requests made before the reload come from the stored history, not the session.
    const served = ctx.api.messageRequests.filter((r) => r.usage);
    const models = [...new Set(served.map((r) => r.body.model))];
    let requests = 0;
    for (const model of models) {
      const row = frame.locator('#per-model tbody tr', { has: frame.locator('th', { hasText: new RegExp(`^${model}$`) }) });
      assert.equal(await row.count(), 1, `a per-model row for ${model}`);
      const cells = await row.locator('th, td').allInnerTexts();
      assert.match(cells[6], /^\$[\d.]+$/, `${model}: a cost, not "cost unknown"`);
      requests += Number(cells[1]);
    }
    // Replies the user stopped are billed by the API (the fake reports them) but have no final usage event.
    assert.ok(requests >= 2 && requests <= served.length, `stored requests ${requests}, served with usage ${served.length}`);
    const period = await frame.locator('#card-period .card-detail').innerText();
    assert.match(period, new RegExp(`· ${requests} requests?$`));
    assert.match(await frame.locator('#card-savings .card-value').innerText(), /^-?\$[\d.]+$/);
    const now = (await statusItem(ctx.page).innerText()).trim();
    assert.equal(await frame.locator('#card-session .card-value').innerText(), now.split(' · ')[0], 'the session card agrees with the status bar');
    const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp, /script-src 'nonce-[^']+'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(await frame.locator('body [style]').count(), 0, 'no inline style attributes (VS Code puts its theme variables on <html>)');
    await ctx.page.screenshot({ path: join(ctx.shots, 'usage-report.png') });
  });
});
