// output_config (format and effort), strict tools and tool_choice, as the real API checks them
// (../shared/reference/anthropic-wire-spec-more.md §4, §5, §8.1). Messages are verbatim where the reference quotes
// them; the rest follow the API's `path: reason` style and say UNCONFIRMED.
import { EFFORT_LEVELS, type FeatureRules } from './features';
import { ApiError, badRequest } from './http';
import type { FakeModel } from './models';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** String formats the grammar compiler keeps (§4.2). */
const FORMATS = ['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid'];
const UNSUPPORTED: Record<string, string[]> = {
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  string: ['minLength', 'maxLength'],
  array: ['maxItems', 'uniqueItems', 'contains'],
};
export const MAX_OPTIONAL = 24;
export const MAX_UNIONS = 16;
export const MAX_STRICT_TOOLS = 20;

interface Tally {
  optional: number;
  unions: number;
}

/** Checks one schema against the supported subset (§4.2); counts optional and union parameters into `tally`. */
export function checkSchema(schema: unknown, prefix: string, tally: Tally): string | undefined {
  if (!isObj(schema)) return `${prefix}: Schema must be an object`; // UNCONFIRMED wording
  const defs: Obj = { ...(isObj(schema.$defs) ? schema.$defs : {}), ...(isObj(schema.definitions) ? schema.definitions : {}) };
  const visit = (node: unknown, stack: string[]): string | undefined => {
    if (!isObj(node)) return `${prefix}: Schema must be an object`;
    if (typeof node.$ref === 'string') {
      const m = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(node.$ref);
      if (!m) return `${prefix}: Invalid schema: external or unsupported $ref "${node.$ref}"`; // UNCONFIRMED wording
      if (stack.includes(m[1])) {
        return `${prefix}: Invalid schema: Circular reference detected in schema definitions: ${[...stack.slice(stack.indexOf(m[1])), m[1]].join(' -> ')}. Self-referencing or mutually-referencing definitions are not supported.`;
      }
      if (!(m[1] in defs)) return `${prefix}: Invalid schema: $ref "${node.$ref}" not found`; // UNCONFIRMED wording
      return visit(defs[m[1]], [...stack, m[1]]);
    }
    for (const key of ['anyOf', 'allOf', 'oneOf'] as const) {
      if (!Array.isArray(node[key])) continue;
      if (key !== 'allOf') tally.unions++;
      for (const sub of node[key] as unknown[]) {
        const e = visit(sub, stack);
        if (e) return e;
      }
    }
    const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
    if (types.length > 1) tally.unions++;
    if (!types.length && !['anyOf', 'oneOf', 'allOf', 'enum', 'const'].some((k) => k in node)) return "Schema must have a 'type', 'anyOf', 'oneOf', or 'allOf' field";
    if (Array.isArray(node.enum) && node.enum.some((v) => isObj(v) || Array.isArray(v))) return `${prefix}: Invalid schema: enum values must be strings, numbers, booleans or null`; // UNCONFIRMED
    for (const t of types) {
      const bad = (UNSUPPORTED[String(t)] ?? []).find((k) => k in node);
      if (bad) return `${prefix}: For '${String(t)}' type, property '${bad}' is not supported`;
      if (t === 'string' && typeof node.format === 'string' && !FORMATS.includes(node.format)) return `${prefix}: For 'string' type, format '${node.format}' is not supported`; // UNCONFIRMED
      if (t === 'array') {
        if (node.minItems !== undefined && node.minItems !== 0 && node.minItems !== 1) return `${prefix}: For 'array' type, 'minItems' values other than 0 and 1 are not supported`; // UNCONFIRMED
        if (node.items !== undefined) {
          const e = visit(node.items, stack);
          if (e) return e;
        }
      }
      if (t === 'object') {
        if (node.additionalProperties === undefined) return `${prefix}: For 'object' type, 'additionalProperties' must be explicitly set to false`;
        if (node.additionalProperties !== false) return `${prefix}: For 'object' type, 'additionalProperties: true' is not supported. Please set 'additionalProperties' to false`;
        const props = isObj(node.properties) ? node.properties : {};
        const required = Array.isArray(node.required) ? node.required : [];
        tally.optional += Object.keys(props).filter((k) => !required.includes(k)).length;
        for (const sub of Object.values(props)) {
          const e = visit(sub, stack);
          if (e) return e;
        }
      }
    }
    return undefined;
  };
  return visit(schema, []);
}

function citationsOn(body: Obj): boolean {
  const docs = (Array.isArray(body.messages) ? body.messages : []).flatMap((m) => (isObj(m) && Array.isArray(m.content) ? m.content : []));
  if (docs.some((b) => isObj(b) && b.type === 'document' && isObj(b.citations) && b.citations.enabled === true)) return true;
  return (Array.isArray(body.tools) ? body.tools : []).some((t) => isObj(t) && String(t.type).startsWith('web_fetch') && isObj(t.citations) && t.citations.enabled === true);
}

const isForced = (tc: unknown) => isObj(tc) && (tc.type === 'any' || tc.type === 'tool');
const named = (rules: string[], model: FakeModel) => rules.includes(model.id) || model.aliases.some((a) => rules.includes(a));

/** output_config, strict tools and tool_choice against the model. */
export function validateOutputAndToolChoice(body: Obj, model: FakeModel, rules: FeatureRules): ApiError | undefined {
  const tally: Tally = { optional: 0, unions: 0 };
  const oc = body.output_config;
  let wantsGrammar = false;
  if (oc !== undefined && oc !== null) {
    if (!isObj(oc)) return badRequest('output_config: Input should be a valid dictionary or object to extract fields from');
    for (const k of Object.keys(oc)) if (k !== 'format' && k !== 'effort') return badRequest(`output_config.${k}: Extra inputs are not permitted`);
    if (oc.effort !== undefined && oc.effort !== null) {
      if (!(EFFORT_LEVELS as readonly unknown[]).includes(oc.effort)) return badRequest("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
      if (!model.efforts.length) return badRequest('This model does not support the effort parameter.');
      if (!model.efforts.includes(oc.effort as never)) return badRequest(`output_config.effort: effort "${String(oc.effort)}" is not supported for ${model.id}`); // UNCONFIRMED
    }
    if (oc.format !== undefined && oc.format !== null) {
      const f = oc.format;
      if (!isObj(f) || f.type !== 'json_schema') return badRequest(`output_config.format.type: Input should be 'json_schema'`);
      if (!isObj(f.schema)) return badRequest('output_config.format.schema: Field required');
      for (const k of Object.keys(f)) if (k !== 'type' && k !== 'schema') return badRequest(`output_config.format.${k}: Extra inputs are not permitted`);
      const e = checkSchema(f.schema, 'output_config.format.schema', tally);
      if (e) return badRequest(e);
      wantsGrammar = true;
      if (citationsOn(body)) return badRequest('output_config.format: structured outputs cannot be used with citations enabled'); // "Returns 400" (§2.4); wording UNCONFIRMED
      const msgs = body.messages as Obj[];
      if (msgs[msgs.length - 1]?.role === 'assistant') return badRequest('output_config.format: structured outputs cannot be used with a prefilled assistant message'); // UNCONFIRMED
    }
  }
  const tools = Array.isArray(body.tools) ? (body.tools as Obj[]) : [];
  let strict = 0;
  for (let i = 0; i < tools.length; i++) {
    const t = tools[i];
    if (t.strict !== true || !(t.type === undefined || t.type === 'custom')) continue;
    strict++;
    const e = checkSchema(t.input_schema, `tools.${i}.custom`, tally);
    if (e) return badRequest(e);
    wantsGrammar = true;
  }
  if (wantsGrammar && !model.structuredOutputs) return badRequest(`output_config.format: structured outputs are not supported for ${model.id}`); // UNCONFIRMED
  if (strict > MAX_STRICT_TOOLS) return badRequest(`tools: too many strict tools (${strict}); the limit is ${MAX_STRICT_TOOLS}`); // UNCONFIRMED
  if (tally.optional > MAX_OPTIONAL) {
    return badRequest(`Schemas contains too many optional parameters (${tally.optional}), which would make grammar compilation inefficient. Reduce the number of optional parameters in your tool schemas (limit: ${MAX_OPTIONAL}).`);
  }
  if (tally.unions > MAX_UNIONS) return badRequest(`Schemas contains too many union-typed parameters (${tally.unions}) (limit: ${MAX_UNIONS}).`); // UNCONFIRMED
  if (isForced(body.tool_choice)) {
    const th = isObj(body.thinking) ? body.thinking.type : undefined;
    if (th === 'enabled') return badRequest('Thinking may not be enabled when tool_choice forces tool use.');
    if (named(rules.rejectForcedToolChoice, model)) return badRequest('tool_choice: type "tool" and "any" are not supported for this model.');
    if (th === 'adaptive' && named(rules.rejectForcedWithAdaptive, model)) return badRequest('Thinking may not be enabled when tool_choice forces tool use.'); // adaptive: UNCONFIRMED
  }
  return undefined;
}

/** The smallest instance of `schema` (required keys only, in schema order): the default reply under a format. */
export function exampleFor(schema: unknown, defs: Obj = {}): unknown {
  if (!isObj(schema)) return null;
  const all = { ...defs, ...(isObj(schema.$defs) ? schema.$defs : {}), ...(isObj(schema.definitions) ? schema.definitions : {}) };
  if (typeof schema.$ref === 'string') return exampleFor(all[schema.$ref.replace(/^#\/(\$defs|definitions)\//, '')], all);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const k of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(schema[k])) return exampleFor((schema[k] as unknown[])[0], all);
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') ?? 'null' : schema.type;
  switch (t) {
    case 'object': {
      const props = isObj(schema.properties) ? schema.properties : {};
      const out: Obj = {};
      for (const k of Array.isArray(schema.required) ? schema.required : []) out[String(k)] = exampleFor(props[String(k)], all);
      return out;
    }
    case 'array':
      return schema.minItems === 1 ? [exampleFor(schema.items, all)] : [];
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** Scripted replies must be possible for the request: the real API never answers `none` with a tool call, etc. */
export function replyFitsToolChoice(toolChoice: unknown, blocks: readonly { type: string; name?: string }[]): string | undefined {
  if (!isObj(toolChoice)) return undefined;
  const calls = blocks.filter((b) => b.type === 'tool_use');
  if (toolChoice.type === 'none' && calls.length) return 'tool_choice is "none" but the scripted reply calls a tool';
  if (isForced(toolChoice) && calls.length === 0) return `tool_choice forces a tool call ("${String(toolChoice.type)}") but the scripted reply has none`;
  if (toolChoice.type === 'tool' && calls.some((c) => c.name !== toolChoice.name)) return `tool_choice names "${String(toolChoice.name)}" but the scripted reply calls another tool`;
  return undefined;
}
