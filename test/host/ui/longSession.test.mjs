// Long sessions in the real chat view of the packaged .vsix: a small-window model fills up until compaction fires
// (the meter, the divider that expands to the summary, the next reply), and an agent turn that edits two files is
// restored from its checkpoint (the diff, the modal, both files back, the conversation rewound).
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uiContext as ctx } from './context.mjs';
import { chatFrame, runCommand } from './workbench.mjs';

const SUMMARY = '- The user sent long test messages about the parser; Claude echoed each of them.\n- Nothing was decided yet.';
const isSummary = (r) => JSON.stringify(r.body?.system ?? '').includes('running summary');

describe('Packaged .vsix: long sessions in the real view', () => {
  before(() => ctx.api.setResponder((r) => (isSummary(r) ? { kind: 'text', text: SUMMARY } : undefined)));
  after(() => ctx.api.setResponder(undefined));

  /** New Chat, then wait until the view shows it: the command returns before the view's new state arrives. */
  async function newChat(frame) {
    await runCommand(ctx.page, 'Claude: New Chat');
    for (let i = 0; i < 200 && (await frame.locator('section.turn').count()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await frame.locator('section.turn').count(), 0, 'New Chat emptied the transcript');
  }

  async function send(frame, text) {
    const turns = await frame.locator('section.turn').count();
    await frame.locator('#input').fill(text);
    await frame.locator('#input').press('Enter');
    await frame.locator('section.turn').nth(turns).locator('.turn-footer .usage').waitFor({ timeout: 30_000 });
  }

  it('a small-window model compacts: the meter shows the real window, the divider expands to the summary, the next reply works', async function () {
    this.timeout(240_000);
    const frame = chatFrame(ctx.page);
    await newChat(frame);
    await frame.locator('#model-select option[value="claude-small-ui"]').waitFor({ state: 'attached', timeout: 30_000 });
    await frame.locator('#model-select').selectOption('claude-small-ui');
    const meter = frame.locator('.context-meter');
    let warned = false;
    for (let i = 0; i < 12 && (await frame.locator('details.compaction-divider').count()) === 0; i++) {
      await send(frame, `Message ${i} about the parser: ` + 'tokens '.repeat(220));
      if (!warned && (await meter.getAttribute('data-level')) !== 'ok') {
        warned = true;
        await meter.screenshot({ path: join(ctx.shots, 'context-meter-warn.png') });
      }
    }
    assert.ok(warned, 'the meter changed colour before compaction');
    const divider = frame.locator('details.compaction-divider');
    await divider.waitFor({ timeout: 30_000 });
    assert.match(await divider.locator('summary').innerText(), /Summary of \d+ earlier turns · haiku-5-5 · \$/);
    assert.equal(await meter.getAttribute('role'), 'meter');
    assert.match(await meter.getAttribute('aria-valuetext'), /of 6,000 tokens in the context .*System and tools: [\d,]+; Attached context: [\d,]+; History: [\d,]+; Tool results: [\d,]+/);
    await meter.screenshot({ path: join(ctx.shots, 'context-meter.png') });
    await divider.locator('summary').click();
    await divider.locator('.compaction-summary').getByText(/Claude echoed each of them/).waitFor();
    // The transcript keeps to its bottom while it grows: bring the open divider to the top, then shoot it alone too.
    await divider.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await ctx.page.screenshot({ path: join(ctx.shots, 'compaction-transcript.png') });
    await divider.screenshot({ path: join(ctx.shots, 'compaction-divider.png') });
    await send(frame, 'And what did I ask first?');
    const last = ctx.api.messageRequests.filter((r) => !isSummary(r)).at(-1);
    assert.match(JSON.stringify(last.body.messages), /conversation-summary/);
    assert.ok(!ctx.api.messageRequests.some((r) => r.error), 'no request was refused');
    assert.match(await frame.locator('section.turn').last().innerText(), /You said: And what did I ask first\?/);
  });

  it('an agent turn edits two files; Restore checkpoint shows the diff, reverts both and rewinds the conversation', async function () {
    this.timeout(240_000);
    const frame = chatFrame(ctx.page);
    const file = (f) => join(ctx.profile.workspace, f);
    writeFileSync(file('alpha.txt'), 'alpha: first\n');
    writeFileSync(file('beta.txt'), 'beta: first\n');
    await newChat(frame);
    await frame.locator('#model-select').selectOption('claude-sonnet-5-5');
    await send(frame, 'Hello before the edits');
    const edit = (path) => ({ type: 'tool_use', name: 'propose_edit', input: { path, old_string: 'first', new_string: 'second' } });
    ctx.api.queue({ kind: 'message', blocks: [{ type: 'text', text: 'Editing both.' }, edit('alpha.txt'), edit('beta.txt')] }, { kind: 'text', text: 'Both files now say second.' });
    await frame.locator('#input').fill('Change first to second in alpha.txt and beta.txt');
    await frame.locator('#input').press('Enter');
    const turn = frame.locator('section.turn').last();
    for (const name of ['alpha.txt', 'beta.txt']) {
      const approve = turn.locator('.tool-call button[data-decision="approve"]').first();
      await approve.waitFor({ timeout: 30_000 });
      await approve.click();
      for (let i = 0; i < 100 && !readFileSync(file(name), 'utf8').includes('second'); i++) await new Promise((r) => setTimeout(r, 100));
    }
    await turn.getByText('Both files now say second.').waitFor({ timeout: 30_000 });
    assert.equal(readFileSync(file('alpha.txt'), 'utf8'), 'alpha: second\n');
    assert.equal(readFileSync(file('beta.txt'), 'utf8'), 'beta: second\n');
    const restore = turn.locator('button[data-action="restore"]');
    await restore.waitFor({ timeout: 10_000 });
    assert.match(await restore.getAttribute('title'), /put back 2 files this turn changed \(alpha\.txt, beta\.txt\)/);
    await restore.click();
    const dialog = ctx.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), /Restore 2 files to how they were before this turn\?/);
    await ctx.page.locator('.tabs-container .tab').filter({ hasText: /Restore checkpoint: 2 files/ }).first().waitFor({ timeout: 20_000 });
    await ctx.page.screenshot({ path: join(ctx.shots, 'restore-diff.png') });
    await dialog.getByRole('button', { name: 'Restore and Rewind Conversation' }).click();
    for (let i = 0; i < 100 && readFileSync(file('beta.txt'), 'utf8') !== 'beta: first\n'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(readFileSync(file('alpha.txt'), 'utf8'), 'alpha: first\n');
    assert.equal(readFileSync(file('beta.txt'), 'utf8'), 'beta: first\n');
    await frame.locator('.notice').getByText(/Rewound: this conversation continues from before that turn/).waitFor({ timeout: 20_000 });
    assert.equal(await frame.locator('section.turn').count(), 1, 'only the turn before the edits is left');
    assert.match(await frame.locator('section.turn').first().innerText(), /Hello before the edits/);
    await ctx.page.screenshot({ path: join(ctx.shots, 'restore-rewound.png') });
    // One undoable edit: Undo in one of the files offers to undo the restore in both.
    await runCommand(ctx.page, 'Go to File...');
    await ctx.page.locator('.quick-input-widget input').fill('alpha.txt');
    await ctx.page.locator('.quick-input-list .monaco-list-row').first().click();
    const editor = ctx.page.locator('.editor-instance .monaco-editor').first();
    await editor.getByText('alpha: first').waitFor({ timeout: 20_000 });
    await editor.click();
    await ctx.page.keyboard.press('Control+Z');
    // VS Code may ask whether to undo across both files; either way both must come back.
    const undo = ctx.page.locator('.monaco-dialog-box');
    if (await undo.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) await undo.getByRole('button', { name: /Undo in 2 Files/ }).click();
    await editor.getByText('alpha: second').waitFor({ timeout: 20_000 });
    await runCommand(ctx.page, 'Go to File...');
    await ctx.page.locator('.quick-input-widget input').fill('beta.txt');
    await ctx.page.locator('.quick-input-list .monaco-list-row').first().click();
    await ctx.page.locator('.editor-instance .monaco-editor').first().getByText('beta: second').waitFor({ timeout: 20_000 });
    await ctx.page.screenshot({ path: join(ctx.shots, 'restore-undone.png') });
    assert.equal(await ctx.page.locator('.tabs-container .tab').filter({ hasText: /Restore checkpoint/ }).count(), 0, 'the restore diff closed once applied');
    await runCommand(ctx.page, 'File: Revert File');
  });
});
