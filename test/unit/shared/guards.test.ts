// The protocol guards with hostile input: wrong types, missing and extra fields, huge strings, prototype keys.
// One valid sample per message type (the tables' types make a new message type fail to compile here too).
import * as assert from 'node:assert/strict';
import type { Checked } from '../../../src/shared/guards/common';
import { checkReportToHost, checkWebviewToHost, MAX_TEXT } from '../../../src/shared/guards/fromWebview';
import { checkHostToReport } from '../../../src/shared/guards/toReport';
import { checkHostToWebview } from '../../../src/shared/guards/toWebview';
import type { CompactionView, HostToWebview, MeterView, TurnView, WebviewToHost } from '../../../src/shared/protocol';
import type { HostToReport, ReportToHost } from '../../../src/shared/usageReport';

const FROM_WEBVIEW: { [K in WebviewToHost['type']]: Extract<WebviewToHost, { type: K }> } = {
  ready: { type: 'ready' },
  loadOlder: { type: 'loadOlder', conversationId: 'cabc123', before: 't1' },
  send: { type: 'send', text: 'hello' },
  complete: { type: 'complete', id: 3, trigger: '@', query: 'file:src/a' },
  stop: { type: 'stop' },
  newChat: { type: 'newChat' },
  retry: { type: 'retry' },
  continue: { type: 'continue' },
  continueTools: { type: 'continueTools' },
  trim: { type: 'trim' },
  showHistory: { type: 'showHistory' },
  openConversation: { type: 'openConversation', id: 'cabc123_x-y' },
  renameConversation: { type: 'renameConversation', id: 'cabc123' },
  deleteConversation: { type: 'deleteConversation', id: 'cabc123' },
  exportConversation: { type: 'exportConversation' },
  setModel: { type: 'setModel', model: 'claude-haiku-5-5' },
  refreshModels: { type: 'refreshModels' },
  draft: { type: 'draft', text: '' },
  removeContext: { type: 'removeContext', id: 'file:///w/a.ts' },
  revealContext: { type: 'revealContext', id: 'file:///w/a.ts' },
  revealRef: { type: 'revealRef', turnId: 't1' },
  toolDecision: { type: 'toolDecision', toolId: 'toolu_1', decision: 'always' },
  runCommand: { type: 'runCommand', command: 'openSettings' },
  openLink: { type: 'openLink', href: 'https://example.com' },
  codeBlockAction: { type: 'codeBlockAction', action: 'apply', code: 'x = 1', lang: 'py' },
  compact: { type: 'compact' },
  editResend: { type: 'editResend', turnId: 't1', text: 'try again, shorter' },
  restoreCheckpoint: { type: 'restoreCheckpoint', turnId: 't1' },
  attachFile: { type: 'attachFile', localId: 'l1', name: 'shot.png', data: 'iVBORw0KGgo=', thumbnail: 'data:image/jpeg;base64,/9j/', resizedFrom: { width: 3840, height: 2160 } },
  attachUris: { type: 'attachUris', uris: ['file:///w/a.png'] },
  pickAttachments: { type: 'pickAttachments' },
  removeAttachment: { type: 'removeAttachment', id: 'a1' },
  openAttachment: { type: 'openAttachment', id: 'a1' },
  openCitation: { type: 'openCitation', turnId: 't1', blockId: 't1b0', index: 0 },
  imagePrepared: { type: 'imagePrepared', requestId: 'p1', width: 10, height: 20, data: 'AAAA', mediaType: 'image/png', thumbnail: 'data:image/png;base64,AA==' },
  setEffort: { type: 'setEffort', effort: 'xhigh' },
  setToolChoice: { type: 'setToolChoice', choice: 'any' },
  setWebTools: { type: 'setWebTools', on: true },
};

const TURN: TurnView = {
  id: 't1',
  userText: 'q',
  status: 'complete',
  model: 'm',
  stopReason: null,
  usage: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0 },
  ref: { label: 'a.ts', uri: 'file:///a.ts', startLine: 0, endLine: 1 },
  continues: 't0',
  rounds: 3,
  cost: 0.0123,
  costPaused: 250_000,
  checkpoint: { paths: ['src/a.ts', 'src/b.ts'], available: true },
  command: { name: 'review', args: 'focus on names', model: 'claude-haiku-5-5' },
  blocks: [{ id: 'b1', kind: 'tool_use', text: '{}', toolName: 'read_file', toolId: 'toolu_1', toolStatus: 'done' }, { id: 'b2', kind: 'tool_result', text: 'r', toolId: 'toolu_1', isError: false }],
};

const COMPACTION: CompactionView = { id: 'k1', turnId: 't1', blockIndex: 0, summary: '- the user wants X', turns: 4, reason: 'threshold', model: 'claude-haiku-5-5', server: false, cost: 0.0004, at: 1_700_000_000_000 };
const METER: MeterView = { model: 'm', tokens: 1200, window: 200_000, exact: true, parts: { system: 100, context: 300, history: 600, tools: 200 }, warnAt: 0.7, compactAt: 0.8 };

const FROM_HOST: { [K in HostToWebview['type']]: Extract<HostToWebview, { type: K }> } = {
  turnStart: { type: 'turnStart', turn: { ...TURN, status: 'streaming', blocks: [] } },
  blockStart: { type: 'blockStart', turnId: 't1', block: TURN.blocks[0] },
  blockDelta: { type: 'blockDelta', turnId: 't1', blockId: 'b1', text: 'more' },
  blockStop: { type: 'blockStop', turnId: 't1', blockId: 'b1' },
  turnEnd: { type: 'turnEnd', turnId: 't1', outcome: { status: 'error', error: { message: 'Overloaded.', action: 'retry' }, stopReason: 'end_turn', stopSequence: null } },
  retryWait: { type: 'retryWait', turnId: 't1', retry: { attempt: 1, maxAttempts: 3, delayMs: 1000, until: 1_700_000_000_000, reason: 'Overloaded.' } },
  toolStatus: { type: 'toolStatus', turnId: 't1', toolId: 'toolu_1', status: 'pending-approval', detail: 'edit a.ts' },
  turnResume: { type: 'turnResume', turnId: 't1' },
  notice: { type: 'notice', message: 'Left out the 2 oldest turns.' },
  state: { type: 'state', state: { hasApiKey: true, keySource: 'env', model: 'm', turns: [TURN], olderTurns: 4_998, conversationId: 'c1', title: 'T', toolsNote: 'Restricted Mode', compactions: [COMPACTION], meter: METER } },
  olderTurns: { type: 'olderTurns', conversationId: 'c1', before: 't2', turns: [TURN], olderTurns: 3 },
  compacted: { type: 'compacted', compaction: COMPACTION },
  meter: { type: 'meter', meter: METER },
  keyStatus: { type: 'keyStatus', hasApiKey: false, keySource: 'none' },
  history: { type: 'history', items: [{ id: 'c1', title: 'T', updatedAt: 1, turnCount: 2, model: 'm' }], openId: 'c1', show: true },
  models: { type: 'models', models: [{ id: 'm', displayName: 'M' }], current: 'm', error: undefined },
  estimate: { type: 'estimate', tokens: 12, contextWindow: 200_000 },
  context: { type: 'context', items: [{ id: 'a', label: 'a.ts', kind: 'selection', tokens: 3 }] },
  model: { type: 'model', model: 'm' },
  citation: { type: 'citation', turnId: 't1', blockId: 'b1', citation: { citedText: 'The sky is blue.', title: 'spec.pdf', startPage: 2, endPage: 3, attachmentId: 'a1' } },
  attachments: {
    type: 'attachments',
    items: [{ id: 'a1', name: 'shot.png', mediaType: 'image/png', bytes: 1000, tokens: 1560, width: 1456, height: 819, thumbnail: 'data:image/jpeg;base64,/9j/', note: 'Downscaled' }],
    settled: ['l1'],
    maxBase64: 5_000_000,
  },
  prepareImage: { type: 'prepareImage', requestId: 'p1', mediaType: 'image/webp', data: 'AAAA', maxEdge: 2000, maxBase64: 5_000_000 },
  sendRefused: { type: 'sendRefused', text: 'look', reason: 'Too many images.' },
  blockCitations: { type: 'blockCitations', turnId: 't1', blockId: 'b3', citations: [{ url: 'https://example.com', title: 'Ex', citedText: 'quoted' }] },
  controls: {
    type: 'controls',
    controls: { effort: { options: ['low', 'high'], value: 'default', modelDefault: 'high' }, toolChoice: { options: ['auto', 'none'], value: 'auto', available: true }, web: { on: false, available: false, note: 'Restricted Mode' } },
  },
  completions: { type: 'completions', id: 3, items: [{ kind: 'file', label: 'a.ts', detail: 'src', insert: '@file:src/a.ts ' }, { kind: 'prefix', label: '@file:', description: 'A workspace file', insert: '@file:', again: true }] },
  composer: { type: 'composer', info: { commands: [{ name: 'review', description: 'Review', argumentHint: '[focus]', source: 'prompt' }], instructions: [{ label: 'AGENTS.md', tokens: 12, truncated: true }], note: 'Restricted Mode' } },
  composerError: { type: 'composerError', message: 'Unknown command /x.', text: '/x', action: 'setApiKey' },
};

const REPORT_FROM_WEBVIEW: ReportToHost[] = [{ type: 'ready' }, { type: 'refresh' }, { type: 'openSettings' }];
const cost = { known: 0.5, unknownTokens: 0, unknownModels: [] };
const tokens = { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheWrite5mTokens: 4, cacheWrite1hTokens: 5 };
const REPORT_FROM_HOST: HostToReport = {
  type: 'data',
  data: {
    generatedAt: 1,
    days: [{ day: '2026-11-26', input: 0.1, cache: 0, output: 0.2, tools: 0.01, total: 0.31, tokens: 10, unknownTokens: 0 }],
    models: [{ model: 'm', requests: 1, tokens, cost: undefined, savings: 0.01 }],
    workspaces: [{ workspace: 'w', requests: 1, tokens: 10, cost }],
    callers: [{ caller: 'some.extension', requests: 2, tokens: 20, cost }],
    currentWorkspace: 'w',
    period: { cost, tokens: 10, requests: 1 },
    session: { responses: 1, tokens, cost, savings: -0.01, investment: { invested: 0.01, reads: 1 }, webSearches: 2 },
    problems: ['bad price'],
    empty: false,
  },
};

const rejects = (r: Checked<unknown>, why: RegExp | string = /./) => {
  assert.equal(r.ok, false, 'rejected');
  if (!r.ok) assert.match(r.reason, typeof why === 'string' ? new RegExp(why) : why);
};

/** Ways to break one valid message: each field wrong-typed or null, an extra field, an own __proto__ key. */
function hostile(sample: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const k of Object.keys(sample)) {
    if (k !== 'type') out.push([`${k} as a bigint`, { ...sample, [k]: 10n }]);
    if (k !== 'type' && sample[k] !== undefined) out.push([`${k} as null`, { ...sample, [k]: null }]);
  }
  out.push(['an extra field', { ...sample, extra: 'x' }]);
  out.push(['an own __proto__ key', JSON.parse(`{${JSON.stringify(sample).slice(1, -1)}${Object.keys(sample).length ? ',' : ''}"__proto__":{"polluted":true}}`)]);
  out.push(['a constructor key', { ...sample, constructor: { prototype: { polluted: true } } }]);
  return out;
}

function suite(name: string, check: (v: unknown) => Checked<unknown>, samples: Record<string, unknown>[]) {
  describe(`${name}`, () => {
    it('accepts one valid message of every type and returns a fresh copy', () => {
      for (const s of samples) {
        const r = check(s);
        assert.ok(r.ok, `${JSON.stringify(s).slice(0, 80)}: ${r.ok ? '' : r.reason}`);
        assert.deepEqual(r.value, s);
        assert.notEqual(r.value, s, 'a copy, not the sender\'s object');
      }
    });

    it('rejects every field wrong-typed or null, an extra field and prototype keys, for every type', () => {
      let cases = 0;
      for (const s of samples) {
        for (const [what, bad] of hostile(s)) {
          assert.equal(check(bad).ok, false, `${(s as { type: string }).type} with ${what}`);
          cases += 1;
        }
      }
      assert.ok(cases >= samples.length * 3);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
    });

    it('rejects what is not a message, and types that exist only on Object.prototype', () => {
      for (const v of [null, undefined, 42, 'stop', true, [], [{ type: 'stop' }], () => 1, new Date(0), { type: 42 }, { type: ['stop'] }, {}]) rejects(check(v));
      for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', 'STOP']) rejects(check({ type }), 'unknown message type');
    });
  });
}

describe('protocol guards', () => {
  suite('webview -> host (untrusted)', checkWebviewToHost, Object.values(FROM_WEBVIEW));
  suite('host -> chat webview', checkHostToWebview, Object.values(FROM_HOST));
  suite('usage report -> host (untrusted)', checkReportToHost, REPORT_FROM_WEBVIEW);
  suite('host -> usage report', checkHostToReport, [REPORT_FROM_HOST]);

  it('bounds every text from the webview, and keeps its own message short', () => {
    assert.equal(checkWebviewToHost({ type: 'send', text: 'x'.repeat(MAX_TEXT) }).ok, true);
    rejects(checkWebviewToHost({ type: 'send', text: 'x'.repeat(MAX_TEXT + 1) }), 'send: Invalid length');
    rejects(checkWebviewToHost({ type: 'codeBlockAction', action: 'copy', code: 'x', lang: 'l'.repeat(101) }));
    rejects(checkWebviewToHost({ type: 'openLink', href: `https://${'a'.repeat(8200)}` }));
    rejects(checkWebviewToHost({ type: 'revealRef', turnId: 't'.repeat(101) }));
    rejects(checkWebviewToHost({ type: 'editResend', turnId: 't'.repeat(101), text: 'x' }));
    rejects(checkWebviewToHost({ type: 'editResend', turnId: 't1', text: 'x'.repeat(MAX_TEXT + 1) }));
    rejects(checkWebviewToHost({ type: 'restoreCheckpoint', turnId: 't'.repeat(101) }));
    // loadOlder names where the view is, never how much it wants: the host bounds each answer (core/chat/turnPages.ts).
    rejects(checkWebviewToHost({ type: 'loadOlder', conversationId: 'c1', before: 't'.repeat(101) }));
    rejects(checkWebviewToHost({ type: 'loadOlder', conversationId: '../c1', before: 't1' }));
    rejects(checkWebviewToHost({ type: 'loadOlder', conversationId: 'c1', before: 't1', count: 1_000_000 }));
    rejects(checkWebviewToHost({ type: 'setModel', model: '' }));
    rejects(checkWebviewToHost({ type: 'complete', id: 1, trigger: '@', query: 'q'.repeat(1025) }));
    rejects(checkWebviewToHost({ type: 'complete', id: 1, trigger: '#', query: 'q' }));
    rejects(checkWebviewToHost({ type: 'complete', id: 1.5, trigger: '@', query: 'q' }));
    const huge = checkWebviewToHost({ type: 'stop', ['k'.repeat(1_000_000)]: 1 });
    assert.ok(!huge.ok && huge.reason.length <= 201, 'the reason does not echo a megabyte key');
  });

  it('conversation ids are plain names: no paths, no dots, no separators, at most 64 characters', () => {
    for (const id of ['../../etc/passwd', 'a/b', 'a\\b', '..', 'c1.json', 'c 1', 'c\u00001', 'c'.repeat(65), '']) {
      rejects(checkWebviewToHost({ type: 'deleteConversation', id }));
    }
    assert.equal(checkWebviewToHost({ type: 'deleteConversation', id: 'c'.repeat(64) }).ok, true);
  });

  it('numbers from the host are finite and not negative; enums are closed', () => {
    rejects(checkHostToWebview({ type: 'estimate', tokens: Number.NaN }));
    rejects(checkHostToWebview({ type: 'estimate', tokens: Number.POSITIVE_INFINITY }));
    rejects(checkHostToWebview({ type: 'estimate', tokens: -1 }));
    rejects(checkHostToWebview({ type: 'meter', meter: { ...METER, tokens: Number.NaN } }));
    rejects(checkHostToWebview({ type: 'compacted', compaction: { ...COMPACTION, reason: 'because' } }));
    rejects(checkHostToWebview({ type: 'compacted', compaction: { ...COMPACTION, cost: -1 } }));
    rejects(checkHostToWebview({ type: 'toolStatus', turnId: 't', toolId: 'x', status: 'approved-by-attacker' }));
    rejects(checkHostToWebview({ type: 'turnEnd', turnId: 't', outcome: { status: 'streaming' } }), 'turnEnd');
    const nested = structuredClone(FROM_HOST.state) as unknown as { state: { turns: { blocks: Record<string, unknown>[] }[] } };
    nested.state.turns[0].blocks[0].onclick = 'alert(1)';
    rejects(checkHostToWebview(nested), 'state');
  });
});
