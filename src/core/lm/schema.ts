// Checks the model's input against an external tool's JSON schema before the tool is invoked (VS Code does not;
// verified in 1.139, reference §2.3). The validator is @cfworker/json-schema: it interprets schemas (no code is
// generated from a schema another extension or an MCP server wrote), has no dependencies and covers drafts 4 to
// 2020-12. Schemas and inputs are hostile here, so: size and depth bounds first; `pattern` and `patternProperties`
// are not evaluated (their regular expressions would run JavaScript's backtracking engine on model-written text,
// a hang waiting to happen; the tool gets those values unchecked, as it would from VS Code); a schema that cannot
// be evaluated refuses the call rather than passing it unchecked.
import { Validator, type Schema, type SchemaDraft } from '@cfworker/json-schema';

export const MAX_SCHEMA_CHARS = 256_000;
export const MAX_INPUT_CHARS = 1_000_000;
export const MAX_INPUT_DEPTH = 64;
const MAX_ERRORS_SHOWN = 5;

export type InputCheck = { ok: true } | { ok: false; reason: string };

function depthOf(v: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > limit) return max;
    if (typeof x === 'object' && x !== null) for (const c of Object.values(x)) stack.push([c, d + 1]);
  }
  return max;
}

/** The schema as validated: a deep copy without the regex keywords; patternProperties' objects allow extra keys. */
export function safeSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(safeSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  const src = schema as Record<string, unknown>;
  for (const [k, v] of Object.entries(src)) {
    if (k === 'pattern' || k === 'patternProperties' || k === '__proto__') continue;
    out[k] = safeSchema(v);
  }
  // Keys that only patternProperties would have matched must not now fail additionalProperties.
  if (src.patternProperties !== undefined && src.additionalProperties !== undefined) delete out.additionalProperties;
  if (src.patternProperties !== undefined && src.unevaluatedProperties !== undefined) delete out.unevaluatedProperties;
  return out;
}

function draftOf(schema: Record<string, unknown>): SchemaDraft {
  const s = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (/draft-04/.test(s)) return '4';
  if (/draft-0[67]/.test(s)) return '7';
  if (/2019-09/.test(s)) return '2019-09';
  if (/2020-12/.test(s)) return '2020-12';
  // No $schema: tuple-style `items` arrays are draft 7; otherwise the current draft.
  return JSON.stringify(schema).includes('"items":[') ? '7' : '2020-12';
}

/** Checks `input` against `schema`. An absent schema takes any object. */
export function checkInput(schema: unknown, input: unknown): InputCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, reason: 'The input must be a JSON object.' };
  let inputJson: string;
  try {
    inputJson = JSON.stringify(input);
  } catch {
    return { ok: false, reason: 'The input is not plain JSON.' };
  }
  if (inputJson.length > MAX_INPUT_CHARS) return { ok: false, reason: `The input is too large (${inputJson.length} characters; at most ${MAX_INPUT_CHARS}).` };
  if (depthOf(input, MAX_INPUT_DEPTH) > MAX_INPUT_DEPTH) return { ok: false, reason: `The input is nested too deeply (more than ${MAX_INPUT_DEPTH} levels).` };
  if (schema === undefined || schema === null) return { ok: true };
  if (typeof schema !== 'object' || Array.isArray(schema)) return { ok: false, reason: "The tool's input schema is not a JSON object, so the input cannot be checked; the tool was not called." };
  let size = 0;
  try {
    size = JSON.stringify(schema).length;
  } catch {
    return { ok: false, reason: "The tool's input schema is not plain JSON; the tool was not called." };
  }
  if (size > MAX_SCHEMA_CHARS) return { ok: false, reason: `The tool's input schema is too large to check (${size} characters); the tool was not called.` };
  try {
    const safe = safeSchema(schema) as Schema;
    const result = new Validator(safe, draftOf(safe as Record<string, unknown>), false).validate(JSON.parse(inputJson));
    if (result.valid) return { ok: true };
    return { ok: false, reason: describe(result.errors) };
  } catch (e) {
    return { ok: false, reason: `The tool's input schema could not be evaluated (${e instanceof Error ? e.message.slice(0, 200) : 'error'}); the tool was not called.` };
  }
}

interface SchemaError {
  instanceLocation: string;
  keyword: string;
  error: string;
}

/** Wrapper errors that only say "a part below failed"; the part's own error says what. */
const WRAPPERS = new Set(['properties', 'items', 'prefixItems', 'allOf', '$ref', 'additionalItems', 'dependentSchemas', 'unevaluatedProperties', 'unevaluatedItems']);

function line(e: SchemaError): string {
  const where = e.instanceLocation.replace(/^#/, 'input') || 'input';
  const text = e.keyword === 'additionalProperties' ? e.error.replace(/does not match additional properties schema\.?$/, 'is not a parameter of this tool') : e.error;
  return `${where}: ${text.replace(/\.+$/, '')}`;
}

function describe(errors: readonly SchemaError[]): string {
  const useful = errors.filter((e) => !WRAPPERS.has(e.keyword) && e.keyword !== 'false');
  const list = useful.length ? useful : errors;
  const shown = list.slice(0, MAX_ERRORS_SHOWN).map(line);
  const more = list.length > shown.length ? ` (and ${list.length - shown.length} more)` : '';
  return `The input does not match the tool's input schema, so the tool was not called: ${shown.join('; ')}${more}. Fix the input and call the tool again.`;
}
