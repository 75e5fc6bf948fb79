import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClaudeChatApi } from '../../../src/extension';
import { UsageStore } from '../../../src/core/usage/store';
import type { UsageRecord } from '../../../src/shared/usage';
import { activated } from './extension.test';

function rec(p: Partial<UsageRecord>): UsageRecord {
  return {
    model: 'claude-sonnet-5-5', inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0,
    batch: false, at: Date.now(), kind: 'chat', conversationId: 'host-c1', exact: true, ...p,
  };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Usage: status bar, store and report in a real VS Code host', () => {
  let ext: ClaudeChatApi;
  const config = () => vscode.workspace.getConfiguration('claudeChat');
  before(async () => {
    ext = await activated();
  });
  beforeEach(() => ext.usage.resetSession());
  after(async () => {
    for (const k of ['prices', 'maxSessionCost']) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    ext.usage.resetSession();
  });

  it('shows the session cost, tokens and cache share, with a per-response table in the tooltip', () => {
    assert.equal(ext.usage.statusText(), '$0.00 · 0 tok');
    // Sonnet 5.5 ($2 in, $10 out, $2.50 5m write, $0.10 read per million), by hand:
    // 1: 20*2 + 3000*2.5 + 150*10 = 9040 µ$;  2 (tool round): 40*2 + 3000*0.1 + 80*10 = 1180 µ$.  Sum $0.01022.
    ext.usage.record(rec({ inputTokens: 20, cacheWrite5mTokens: 3_000, outputTokens: 150 }));
    ext.usage.record(rec({ kind: 'tool', inputTokens: 40, cacheReadTokens: 3_000, outputTokens: 80 }));
    // Read share: 3000 / (20 + 3000 + 40 + 3000) = 49.5% -> "50%"; tokens 6,290.
    assert.equal(ext.usage.statusText(), '$0.01 · 6.3k tok · 50% cached');
    const tip = ext.usage.tooltipMarkdown();
    assert.match(tip, /\| 1 \| sonnet-5-5 \| 20 \| 3,000 \| 0 \| 0 \| 150 \| \$0\.009 \|/);
    assert.match(tip, /\| 2 \| sonnet-5-5 tool \| 40 \| 0 \| 0 \| 3,000 \| 80 \| \$0\.0012 \|/);
    assert.match(tip, /\*\*Session\*\* \| \*\*60\*\* \| \*\*3,000\*\* \| \*\*0\*\* \| \*\*3,000\*\* \| \*\*230\*\* \| \*\*\$0\.01\*\*/);
    assert.match(tip, /Cache hit share: \*\*50%\*\*/);
    assert.match(tip, /Context: 3,120 tokens of 1,000,000 \(<1%\) · claude-sonnet-5-5/);
  });

  it('shows live output tokens while streaming, then the exact totals', () => {
    ext.usage.record(rec({ inputTokens: 1_000, outputTokens: 500 }));
    ext.usage.streaming('host-c1', 42);
    assert.equal(ext.usage.statusText(), '$(sync~spin) 42 tok');
    ext.usage.streaming('host-c1', 1_234);
    assert.equal(ext.usage.statusText(), '$(sync~spin) 1.2k tok');
    ext.usage.record(rec({ inputTokens: 10, cacheReadTokens: 1_500, outputTokens: 1_300 }));
    ext.usage.streamEnded();
    // 1000*2 + 500*10 + 10*2 + 1500*0.1 + 1300*10 = 20170 µ$; tokens 4,310; read 1500/2510 = 60%.
    assert.equal(ext.usage.statusText(), '$0.02 · 4.3k tok · 60% cached');
  });

  it('turns the warning colour on past 80% of the context window and past claudeChat.maxSessionCost', async () => {
    ext.usage.record(rec({ inputTokens: 100, outputTokens: 100 }));
    assert.equal(ext.usage.statusWarning(), false);
    ext.usage.setContext({ model: 'claude-haiku-4-5', promptTokens: 170_001, estimate: 172_000 });
    assert.equal(ext.usage.statusWarning(), true);
    assert.match(ext.usage.tooltipMarkdown(), /Context: 170,001 tokens of 200,000 \(85%\)/);
    assert.match(ext.usage.tooltipMarkdown(), /Next request \(estimate\): ~172,000 input tokens/);
    ext.usage.setContext({ model: 'claude-haiku-4-5', promptTokens: 1_000 });
    assert.equal(ext.usage.statusWarning(), false);
    await config().update('maxSessionCost', 0.0005, vscode.ConfigurationTarget.Global);
    await until('the spend-guard warning', () => ext.usage.statusWarning());
    assert.match(ext.usage.tooltipMarkdown(), /Session spend \$0\.0012 passed the \$0\.0005 limit/);
    await config().update('maxSessionCost', undefined, vscode.ConfigurationTarget.Global);
    await until('the warning to clear', () => !ext.usage.statusWarning());
  });

  it('shows "cost unknown" for a model without a price until claudeChat.prices adds it', async () => {
    ext.usage.record(rec({ model: 'host-test-model', inputTokens: 1_000_000, outputTokens: 0 }));
    assert.equal(ext.usage.statusText(), 'cost unknown · 1M tok · 0% cached');
    await config().update('prices', { 'host-test-model': { input: 3, output: 15 }, broken: { input: 'x' } }, vscode.ConfigurationTarget.Global);
    await until('re-pricing', () => ext.usage.statusText() === '$3.00 · 1M tok · 0% cached');
    assert.equal(ext.usage.pricesProblems.length, 1);
    assert.match(ext.usage.pricesProblems[0], /claudeChat\.prices\["broken"\]/);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('stores usage in global storage: a new store on the same directory reads it back', async () => {
    const dir = ext.usage.store.dir;
    const before = await new UsageStore(dir).rows();
    const sum = (rows: typeof before) => rows.filter((r) => r.model === 'claude-opus-4-1').reduce((a, r) => a + r.inputTokens + r.outputTokens, 0);
    ext.usage.record(rec({ model: 'claude-opus-4-1', inputTokens: 123, outputTokens: 456 }));
    ext.usage.record(rec({ model: 'claude-opus-4-1', inputTokens: 1, outputTokens: 2 }));
    await ext.usage.flushed();
    const after = await new UsageStore(dir).rows();
    assert.equal(sum(after) - sum(before), 582);
    assert.ok(after.every((r) => r.workspace.length > 0));
  });

  it('Claude: Show Usage opens the report as a webview panel', async () => {
    ext.usage.record(rec({ inputTokens: 10, outputTokens: 10 }));
    await vscode.commands.executeCommand('claudeChat.showUsage');
    await until('the report tab', () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label === 'Claude Usage')));
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Claude Usage')!;
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    assert.match(tab.input.viewType, /claudeChat\.usageReport/);
    const data = await ext.usage.reportData();
    assert.equal(data.days.length, 30);
    assert.equal(data.session.responses, 1);
    assert.equal(data.empty, false);
    await vscode.window.tabGroups.close(tab);
  });
});
