// The composer through the real chat view: pick a file with @ by keyboard alone (it goes out as a cached block),
// the / list with a prompt file, an unknown command refused in place, the AGENTS.md chip. Screenshots of the
// completion lists, the pills and the command card.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { uiContext as ctx } from './context.mjs';
import { chatFrame, runCommand } from './workbench.mjs';

/** Long enough to pass the model's minimum cacheable prefix (512 tokens for Sonnet 5.5), so it is cached. */
const GUIDE = Array.from({ length: 300 }, (_, i) => `Rule ${i}: keep it simple.`).join('\n');

describe('Packaged .vsix: the composer (@-mentions, / commands, instruction files)', () => {
  const made = [];
  const file = (rel, text) => {
    const p = join(ctx.profile.workspace, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    made.push(p);
  };
  const sidebar = () => ctx.page.locator('.part.sidebar');
  const shot = (name) => sidebar().screenshot({ path: join(ctx.shots, name) });

  before(async () => {
    await runCommand(ctx.page, 'Preferences: Color Theme');
    await ctx.page.locator('.quick-input-widget input').fill('Dark Modern');
    await ctx.page.locator('.quick-input-list .monaco-list-row .label-name', { hasText: /^Dark Modern$/ }).first().click();
    file('docs/guide.md', GUIDE);
    file('AGENTS.md', '# Project rules\nAnswer in British English.\n');
    file('.github/prompts/review.prompt.md', '---\ndescription: Review a file for naming and clarity\n---\nReview the naming and clarity. Focus: ${input:focus:everything}.');
    const frame = chatFrame(ctx.page);
    await frame.locator('#new-chat').click();
    await frame.locator('.start').waitFor({ state: 'visible', timeout: 20_000 });
  });
  after(() => {
    for (const p of made) rmSync(p, { force: true });
  });

  it('shows the instruction files in use as chips, and @ and / in the empty state', async () => {
    const frame = chatFrame(ctx.page);
    await frame.locator('.instruction-chip', { hasText: 'AGENTS.md' }).waitFor({ timeout: 20_000 });
    const triggers = await frame.locator('.example.trigger').allInnerTexts();
    assert.equal(triggers.length, 2);
    assert.match(triggers[0], /Type @ to mention a file/);
    assert.match(triggers[1], /Type \/ for commands: \/explain, \/fix/);
    await shot('composer-empty-state.png');
  });

  it('@ opens the list; a file picked by keyboard alone goes out as a cached block, shown as a pill', async () => {
    const frame = chatFrame(ctx.page);
    const input = frame.locator('#input');
    assert.equal(await input.getAttribute('role'), 'combobox');
    await input.focus();
    await input.pressSequentially('Summarize @gui', { delay: 60 });
    const list = frame.locator('#completion-list');
    await list.locator('[role="option"]', { hasText: 'guide.md' }).first().waitFor({ timeout: 15_000 });
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    const active = await input.getAttribute('aria-activedescendant');
    assert.match(await frame.locator(`#${active}`).innerText(), /guide\.md/, 'the first match is highlighted');
    await shot('completion-files.png');
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'Summarize @file:docs/guide.md ');
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    await input.pressSequentially('in one line, and @se', { delay: 40 });
    await list.locator('[role="option"]', { hasText: '@selection' }).waitFor({ timeout: 10_000 });
    await input.press('Escape');
    assert.equal(await list.isVisible(), false, 'Escape closes the list');
    await input.press('Backspace');
    await input.press('Backspace');
    await input.press('Backspace');
    await frame.locator('.mention-backdrop mark.pill', { hasText: '@file:docs/guide.md' }).waitFor();
    await shot('mention-pill-in-composer.png');
    const before = ctx.api.messageRequests.length;
    ctx.api.queue({ kind: 'text', text: 'Keep every rule short and simple: the guide says it 300 times.' });
    await input.press('Enter');
    const turn = frame.locator('.turn').last();
    await turn.locator('.usage').waitFor({ timeout: 30_000 });
    assert.equal(ctx.api.messageRequests.length, before + 1);
    const body = ctx.api.messageRequests.at(-1).body;
    const block = body.messages[0].content[0];
    assert.equal(block.text, `<document path="docs/guide.md">\n${GUIDE}\n</document>`);
    assert.deepEqual(block.cache_control, { type: 'ephemeral' }, 'a cached block');
    assert.equal(body.messages.at(-1).content.at(-1).text, 'Summarize @file:docs/guide.md in one line, and');
    assert.match(body.system.at(-1).text, /<instructions source="AGENTS.md">\n# Project rules\nAnswer in British English\.\n<\/instructions>$/, 'AGENTS.md reached the system blocks');
    // textContent, not innerText: turns have content-visibility: auto, and Chromium answers innerText with '' for a
    // turn whose rendering it has not yet done (the screenshot below shows the pill).
    assert.equal((await turn.locator('.msg.user .mention-pill').textContent())?.trim(), 'docs/guide.md');
    await frame.locator('.context-chips .chip', { hasText: 'guide.md' }).waitFor();
    await shot('mention-pill-sent.png');
  });

  it('/ lists the commands with their descriptions; a prompt file runs as /review and shows as a card', async () => {
    const frame = chatFrame(ctx.page);
    const input = frame.locator('#input');
    await input.focus();
    await input.pressSequentially('/', { delay: 60 });
    const list = frame.locator('#completion-list');
    await list.locator('[role="option"]', { hasText: '/review' }).waitFor({ timeout: 15_000 });
    const labels = await list.locator('.completion-label').allInnerTexts();
    assert.deepEqual(labels.slice(0, 8), ['/explain', '/fix', '/tests', '/refactor', '/compact', '/clear', '/model', '/cost']);
    assert.match(await list.locator('[role="option"]', { hasText: '/review' }).innerText(), /Review a file for naming and clarity/);
    await shot('completion-commands.png');
    await input.pressSequentially('rev', { delay: 60 });
    await list.locator('[role="option"]').first().filter({ hasText: '/review' }).waitFor({ timeout: 10_000 });
    await input.press('Tab');
    await input.pressSequentially('the guide', { delay: 30 });
    ctx.api.queue({ kind: 'text', text: 'The names read well. Two notes:\n\n- `Rule 7` repeats `Rule 3`.\n- Number the rules from 1.' });
    await input.press('Enter');
    const turn = frame.locator('.turn').last();
    await turn.locator('.command-card .command-name', { hasText: '/review' }).waitFor({ timeout: 20_000 });
    await turn.locator('.usage').waitFor({ timeout: 30_000 });
    assert.equal(ctx.api.messageRequests.at(-1).body.messages.at(-1).content.at(-1).text, 'Review the naming and clarity. Focus: the guide.');
    assert.equal(await turn.locator('details.command-prompt').evaluate((d) => d.open), false);
    await turn.scrollIntoViewIfNeeded();
    await shot('command-card.png');
    await turn.locator('details.command-prompt summary').click();
    assert.match(await turn.locator('details.command-prompt .user-text').innerText(), /Review the naming and clarity\. Focus: the guide\./);
    await turn.scrollIntoViewIfNeeded();
    await shot('command-card-prompt-open.png');
  });

  it('an unknown command is refused in place and never sent', async () => {
    const frame = chatFrame(ctx.page);
    const input = frame.locator('#input');
    const before = ctx.api.messageRequests.length;
    await input.fill('/deploy to production');
    await input.press('Enter');
    const error = frame.locator('#composer-error');
    await error.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await error.innerText(), /Unknown command \/deploy/);
    assert.equal(await input.inputValue(), '/deploy to production', 'the text stays');
    assert.equal(ctx.api.messageRequests.length, before);
    await shot('unknown-command.png');
    await input.fill('');
  });
});
