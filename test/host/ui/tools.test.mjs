// The agentic loop through the real chat view: a read runs by itself, an edit waits on the card's Approve/Reject.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uiContext as ctx } from './context.mjs';
import { chatFrame } from './workbench.mjs';

const FILE = 'notes.txt';
const edit = (from, to) => ({ kind: 'message', blocks: [{ type: 'tool_use', name: 'propose_edit', input: { path: FILE, old_string: from, new_string: to } }], stopReason: 'tool_use' });

describe('Packaged .vsix: tools in the chat', () => {
  it('a read-only call runs on its own, an approved edit lands, a rejected one changes nothing', async () => {
    const frame = chatFrame(ctx.page);
    const disk = () => readFileSync(join(ctx.profile.workspace, FILE), 'utf8');
    assert.equal(disk(), 'alpha\nbeta\n');
    ctx.api.queue(
      { kind: 'message', blocks: [{ type: 'text', text: 'Let me read it.' }, { type: 'tool_use', name: 'read_file', input: { path: FILE } }], stopReason: 'tool_use' },
      edit('beta', 'BETA'),
      { kind: 'text', text: 'Changed beta to BETA.' },
    );
    await frame.locator('#input').fill('Uppercase beta in notes.txt');
    await frame.locator('#input').press('Enter');
    const turn = frame.locator('.turn').last();
    await turn.locator('.tool-call[data-status="done"] .tool-name', { hasText: 'read_file' }).waitFor({ timeout: 20_000 });
    const card = turn.locator('.tool-call', { hasText: 'propose_edit' });
    await card.locator('button[data-decision="approve"]').waitFor({ timeout: 20_000 });
    await ctx.page.screenshot({ path: join(ctx.shots, 'tool-approval.png') });
    await card.locator('button[data-decision="approve"]').click();
    await turn.getByText('Changed beta to BETA.').waitFor({ timeout: 20_000 });
    for (let i = 0; i < 40 && !/BETA/.test(disk()); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(disk(), 'alpha\nBETA\n');
    const results = ctx.api.messageRequests.at(-1).body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((b) => b.type === 'tool_result');
    assert.equal(results.length, 2, 'both calls were answered');
    assert.match(JSON.stringify(results[0].content), /alpha/);

    ctx.api.queue(edit('alpha', 'ALPHA'), { kind: 'text', text: 'Understood, left it.' });
    await frame.locator('#input').fill('Now uppercase alpha');
    await frame.locator('#input').press('Enter');
    const card2 = frame.locator('.turn').last().locator('.tool-call', { hasText: 'propose_edit' });
    await card2.locator('button[data-decision="reject"]').click({ timeout: 20_000 });
    await frame.locator('.turn').last().getByText('Understood, left it.').waitFor({ timeout: 20_000 });
    assert.equal(disk(), 'alpha\nBETA\n', 'the rejected edit changed nothing');
    const last = ctx.api.messageRequests.at(-1).body.messages.at(-1).content.find((b) => b.type === 'tool_result');
    assert.equal(last.is_error, true);
  });
});
