// Checks a tool's input against what its schema promises, with messages the model can act on.
import { ToolError } from './paths';

export type Input = Record<string, unknown>;

/** The input as an object with only the allowed keys. */
export function objectInput(tool: string, input: unknown, allowed: readonly string[]): Input {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ToolError(`${tool}: the input must be a JSON object.`);
  }
  const extra = Object.keys(input).filter((k) => !allowed.includes(k));
  if (extra.length > 0) {
    const hint = allowed.length ? `Allowed: ${allowed.join(', ')}.` : 'This tool takes no parameters.';
    throw new ToolError(`${tool}: unknown parameter${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')}. ${hint}`);
  }
  return input as Input;
}

export function str(input: Input, key: string, opts: { required: true; nonEmpty?: boolean }): string;
export function str(input: Input, key: string, opts?: { required?: false; nonEmpty?: boolean }): string | undefined;
export function str(input: Input, key: string, opts: { required?: boolean; nonEmpty?: boolean } = {}): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) {
    if (opts.required) throw new ToolError(`Missing required parameter "${key}".`);
    return undefined;
  }
  if (typeof v !== 'string') throw new ToolError(`"${key}" must be a string, not ${describe(v)}.`);
  if (opts.nonEmpty && v.length === 0) throw new ToolError(`"${key}" must not be empty.`);
  return v;
}

export function int(input: Input, key: string, range: { min: number; max?: number }): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ToolError(`"${key}" must be an integer, not ${describe(v)}.`);
  if (v < range.min || (range.max !== undefined && v > range.max)) {
    throw new ToolError(`"${key}" must be ${range.max === undefined ? `at least ${range.min}` : `between ${range.min} and ${range.max}`}; got ${v}.`);
  }
  return v;
}

export function bool(input: Input, key: string): boolean | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new ToolError(`"${key}" must be true or false, not ${describe(v)}.`);
  return v;
}

export function oneOf<T extends string>(input: Input, key: string, values: readonly T[]): T | undefined {
  const v = str(input, key);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) throw new ToolError(`"${key}" must be one of ${values.map((x) => `"${x}"`).join(', ')}; got ${JSON.stringify(v)}.`);
  return v as T;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 40))}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
