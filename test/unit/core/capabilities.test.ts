// The capability table: the reference data, what /v1/models reports, and the setting, in that order of strength; the
// questions the UI and the request builders ask of it.
import * as assert from 'node:assert/strict';
import { CapabilityTable, canForceTool, effortToSend, fromApi, jsonMode, parseCapabilityOverrides, referenceCapabilities, toolChoiceOptions } from '../../../src/core/capabilities';

describe('capability table', () => {
  it('reference data: forced tool choice rejected by Fable 5.1, Mythos 5.1, Opus 5.5; effort levels per model', () => {
    for (const m of ['claude-fable-5-1', 'claude-mythos-5-1', 'claude-opus-5-5']) assert.equal(referenceCapabilities(m).forcedToolChoice, false, m);
    assert.equal(referenceCapabilities('claude-sonnet-5-5').forcedToolChoice, true);
    assert.deepEqual(referenceCapabilities('claude-haiku-4-5').efforts, []);
    assert.deepEqual(referenceCapabilities('claude-opus-4-5-20251101').efforts, ['low', 'medium', 'high']);
    assert.deepEqual(referenceCapabilities('claude-opus-4-6').efforts, ['low', 'medium', 'high', 'max']);
    assert.equal(referenceCapabilities('claude-opus-5-5').defaultEffort, 'medium');
    assert.equal(referenceCapabilities('claude-opus-4-1').structuredOutputs, false);
    assert.equal(referenceCapabilities('claude-haiku-4-5').structuredOutputs, true);
  });

  it('/v1/models beats the reference; the setting beats both; sources say which', () => {
    const api = { 'claude-sonnet-5-5': { structured_outputs: { supported: false }, effort: { supported: true, low: { supported: true }, high: { supported: true }, max: { supported: false } } } };
    const t = new CapabilityTable({ api: (m) => api[m as keyof typeof api], overrides: () => ({ 'claude-sonnet-5-5': { forcedToolChoice: false } }) });
    const c = t.get('claude-sonnet-5-5');
    assert.equal(c.structuredOutputs, false);
    assert.deepEqual(c.efforts, ['low', 'high']);
    assert.equal(c.forcedToolChoice, false);
    assert.deepEqual([c.sources.structuredOutputs, c.sources.efforts, c.sources.forcedToolChoice, c.sources.webSearch], ['api', 'api', 'setting', 'reference']);
    assert.deepEqual(fromApi({ server_tools: { supported: false } }), { webSearch: false, webFetch: false });
  });

  it('the setting is validated: bad entries are reported and ignored', () => {
    const { overrides, problems } = parseCapabilityOverrides({ good: { efforts: ['high', 'low'] }, bad: { efforts: ['turbo'] }, worse: { forcedToolChoice: 'yes', nope: 1 }, list: [] });
    assert.deepEqual(overrides, { good: { efforts: ['low', 'high'] } });
    assert.equal(problems.length, 3);
    assert.match(problems[1], /"forcedToolChoice" must be true or false; unknown field "nope"/);
  });

  it('answers: forcing a tool, the effort to send, tool-choice options, how to get JSON back', () => {
    const sonnet = referenceCapabilities('claude-sonnet-5-5');
    const opus = referenceCapabilities('claude-opus-5-5');
    assert.equal(canForceTool(sonnet, 'enabled'), false, 'every model while thinking is enabled');
    assert.equal(canForceTool(sonnet, 'adaptive'), true);
    assert.deepEqual(toolChoiceOptions(opus, 'off'), ['auto', 'none']);
    assert.equal(effortToSend(referenceCapabilities('claude-opus-4-6'), 'xhigh'), undefined);
    assert.equal(effortToSend(sonnet, 'xhigh'), 'xhigh');
    assert.deepEqual(jsonMode(opus, 'adaptive'), { kind: 'format' });
    assert.deepEqual(jsonMode({ ...opus, structuredOutputs: false }, 'off'), { kind: 'tool', force: false });
    assert.deepEqual(jsonMode({ ...sonnet, structuredOutputs: false }, 'off'), { kind: 'tool', force: true });
  });
});
