// "Review File" against the fake API through the real SDK: findings as structured output (or the report_findings tool
// on a model without it), schema-valid and schema-invalid answers, and findings placed on the lines they were made
// for (moved with them, dropped with a count when they changed).
import * as assert from 'node:assert/strict';
import { CapabilityTable, jsonMode } from '../../../src/core/capabilities';
import { describeDropped, followEdit, placeFindings } from '../../../src/core/review/reconcile';
import { numberedFileBlock, ReviewOptions, runReview } from '../../../src/core/review/request';
import { FINDINGS_SPEC, FINDINGS_TOOL_NAME, MAX_FINDINGS } from '../../../src/core/review/schema';
import { createClient } from '../../../src/core/sdk';
import { DEFAULT_TEST_KEY, FakeApi, reply, startFakeApi } from '../../fake-api/server';

const LABEL = 'src/calc.ts';
const TEXT = ['export function add(a: number, b: number) {', '  return a - b;', '}', '', 'export const twice = (x: number) => add(x, x);', ''].join('\n');
const FILE = { label: LABEL, languageId: 'typescript', text: TEXT };
const OPTS: ReviewOptions = { model: 'claude-sonnet-5-5', maxTokens: 4096, mode: { kind: 'format' } };
type Body = { output_config?: { format?: { schema: unknown } }; tools?: { name: string }[]; tool_choice?: unknown; messages: { content: { text: string; cache_control?: unknown }[] }[] };

const bug = { file: LABEL, startLine: 2, endLine: 2, severity: 'error', message: 'add() subtracts.', replacement: '  return a + b;' };

describe('review: findings as structured output', () => {
  let api: FakeApi;
  const review = async (o: Partial<ReviewOptions> = {}) => runReview(await createClient({ apiKey: DEFAULT_TEST_KEY, baseURL: api.url }), FILE, { ...OPTS, ...o });
  const body = () => api.messageRequests.at(-1)!.body as Body;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('sends the numbered file (cached) and output_config.format; a schema-valid answer becomes findings', async () => {
    api.queue(reply.json({ findings: [bug, { file: LABEL, startLine: 5, endLine: 5, severity: 'Hint', message: 'Could be named double.' }] }, { chunkSize: 7 }));
    const out = await review();
    assert.equal(out.kind, 'findings');
    if (out.kind !== 'findings') return;
    assert.deepEqual(out.findings.map((f) => [f.startLine, f.severity, f.replacement]), [[2, 'error', '  return a + b;'], [5, 'hint', undefined]], 'severity case-insensitive (spec-more §4.3)');
    assert.equal(out.malformed, 0);
    const b = body();
    assert.deepEqual(b.output_config?.format?.schema, FINDINGS_SPEC.schema);
    assert.equal(b.tools, undefined);
    assert.equal(b.messages[0].content[0].text, numberedFileBlock(FILE));
    assert.match(b.messages[0].content[0].text, /\n2 \|   return a - b;\n/);
    assert.deepEqual(b.messages[0].content[0].cache_control, { type: 'ephemeral' });
  });

  it('the fake answers a format request with JSON that passes the schema (no findings)', async () => {
    const out = await review();
    assert.deepEqual(out.kind === 'findings' && out.findings, []);
  });

  it('schema-invalid: an answer that is not {findings: [...]} is refused whole; a malformed finding is dropped and counted', async () => {
    api.queue(reply.json({ problems: [bug] }));
    const whole = await review();
    assert.match(whole.kind === 'invalid' ? whole.message : 'accepted', /does not match the expected format \(findings: .*\), so nothing was applied/);
    api.queue(reply.json({ findings: [bug, { ...bug, startLine: 0 }, { ...bug, severity: 'critical' }, { ...bug, message: '' }, 'text'] }));
    const some = await review();
    assert.equal(some.kind === 'findings' && some.findings.length, 1);
    assert.equal(some.kind === 'findings' && some.malformed, 4);
    api.queue(reply.text('The file looks fine to me.'));
    const prose = await review();
    assert.match(prose.kind === 'invalid' ? prose.message : 'accepted', /not the JSON that was asked for/);
    api.queue(reply.json({ findings: Array.from({ length: MAX_FINDINGS + 5 }, () => bug) }));
    const many = await review({ maxTokens: 64_000 });
    assert.deepEqual(many.kind === 'findings' && [many.findings.length, many.malformed], [MAX_FINDINGS, 5]);
  });

  it('falls back to the report_findings tool without structured output: forced where the model accepts it, else auto', async () => {
    api.models.add({ id: 'claude-plain', structuredOutputs: false });
    const table = new CapabilityTable({ overrides: () => ({ 'claude-plain': { structuredOutputs: false }, 'claude-opus-5-5': { structuredOutputs: false } }) });
    api.queue(reply.toolUse(FINDINGS_TOOL_NAME, { findings: [bug] }));
    const forced = await review({ model: 'claude-plain', mode: jsonMode(table.get('claude-plain'), 'off') });
    assert.equal(forced.kind === 'findings' && forced.findings.length, 1);
    assert.deepEqual(body().tool_choice, { type: 'tool', name: FINDINGS_TOOL_NAME });
    assert.equal(body().output_config, undefined);
    // Opus 5.5 rejects forced tool choice: the fallback (if it ever lacked structured output) offers the tool with auto.
    const mode = jsonMode(table.get('claude-opus-5-5'), 'adaptive');
    assert.deepEqual(mode, { kind: 'tool', force: false });
    api.models.add({ id: 'claude-opus-5-5', structuredOutputs: false, thinkingEnabled: false });
    api.queue(reply.toolUse(FINDINGS_TOOL_NAME, { findings: [] }));
    const auto = await review({ model: 'claude-opus-5-5', mode, thinking: { type: 'adaptive' } });
    assert.equal(auto.kind, 'findings');
    assert.deepEqual(body().tool_choice, { type: 'auto' });
    // Thinking "enabled" rejects forced tool choice on every model, so it is never sent with it.
    assert.deepEqual(jsonMode(table.get('claude-plain'), 'enabled'), { kind: 'tool', force: false });
  });
});

describe('review: placing findings on the current text', () => {
  const f = (startLine: number, endLine = startLine, file = LABEL) => ({ file, startLine, endLine, severity: 'warning' as const, message: `at ${startLine}` });

  it('keeps findings in place when the file is unchanged (0-based lines, with the reviewed text)', () => {
    const { placed, dropped } = placeFindings([f(2), f(1, 3)], LABEL, TEXT, TEXT);
    assert.deepEqual(placed.map((p) => [p.startLine, p.endLine]), [[1, 1], [0, 2]]);
    assert.equal(placed[0].original, '  return a - b;');
    assert.equal(describeDropped(dropped), '');
  });

  it('ranges that moved: lines inserted above -> the finding moves with its lines', () => {
    const current = `// header\n// more\n${TEXT}`;
    const { placed } = placeFindings([f(2), f(5)], LABEL, TEXT, current);
    assert.deepEqual(placed.map((p) => p.startLine), [3, 6]);
  });

  it('a range that changed, or now occurs twice, or is outside the file or about another file, is dropped and counted, never misplaced', () => {
    const edited = TEXT.replace('return a - b;', 'return a + b;');
    const doubled = `${TEXT}\n${TEXT.split('\n')[1]}\n`.replace('export function add', 'export function plus'); // line 2's text twice, not in place
    const r1 = placeFindings([f(2), f(5)], LABEL, TEXT, edited);
    assert.deepEqual(r1.placed.map((p) => p.startLine), [4]);
    assert.equal(r1.dropped.changed, 1);
    const r2 = placeFindings([f(2)], LABEL, TEXT, `x\n${doubled}`);
    assert.equal(r2.placed.length, 0, 'two candidate places: which one is meant cannot be told');
    const r3 = placeFindings([f(3, 2), f(9), f(1, 1, 'src/other.ts'), f(1, 1, './src/calc.ts'), f(1, 1, 'calc.ts')], LABEL, TEXT, TEXT, 2);
    assert.equal(r3.placed.length, 2, 'the same file named with ./ or relative to its folder');
    assert.equal(describeDropped(r3.dropped), '5 dropped: 2 outside the file, 1 about another file, 2 that did not match the schema');
  });

  it('follows edits of the document: moved with their lines, lost when those lines change', () => {
    const { placed } = placeFindings([f(2), f(5)], LABEL, TEXT, TEXT);
    const moved = followEdit(placed, `\n${TEXT}`);
    assert.deepEqual(moved.kept.map((p) => p.startLine), [2, 5]);
    const lost = followEdit(placed, TEXT.replace('twice', 'double'));
    assert.deepEqual([lost.kept.length, lost.lost], [1, 1]);
  });
});
