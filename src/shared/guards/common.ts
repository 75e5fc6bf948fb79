// The runtime guards of the webview protocols, held to the TypeScript types by the compiler (this file is their
// shared machinery; fromWebview.ts, toWebview.ts and toReport.ts hold one table per direction, so each bundle
// carries only the guards it uses). Each protocol has a table with one valibot schema per message type: the table `satisfies` a type with one entry per type (a new message
// without a schema does not compile), and a second check requires each schema's output to be exactly its message
// type (a field added to a message but not to its schema does not compile either).
//
// Why valibot and not hand-written checks: it is already a dependency (schema-validated stores), its strict
// objects reject unknown keys (including an own `__proto__`), it returns a fresh copy holding only the known
// fields, and its inferred output types are what lets the compiler compare schema and protocol. Functions are
// imported one by one so the webview bundles only what it uses.
import {
  finite, type GenericSchema, type InferOutput, literal, maxLength, minValue, number, type ObjectEntries, pipe, safeParse, strictObject, string,
} from 'valibot';

export type Msg<M, K> = Extract<M, { type: K }>;

/** One schema per message type, whose output is (at least) that message. */
export type GuardTable<M extends { type: string }> = { [K in M['type']]: GenericSchema<unknown, Msg<M, K>> };

/** A type with intersections flattened, deeply, so two spellings of one shape compare equal. */
export type Plain<T> = T extends readonly (infer U)[] ? Plain<U>[] : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;
/** Identical types (optional fields, readonly-ness and all), not merely assignable. */
export type Same<A, B> = (<T>() => T extends Plain<A> ? 1 : 2) extends <T>() => T extends Plain<B> ? 1 : 2 ? true : false;
/** The message types whose schema's output is not exactly the message type; `never` when all match. */
export type Mismatched<M extends { type: string }, T extends GuardTable<M>> = { [K in keyof T & string]: Same<InferOutput<T[K]>, Msg<M, K>> extends true ? never : K }[keyof T & string];

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Longest text from the host (a whole reply or tool result) and longest list (turns, blocks, items). */
export const MAX_HOST_TEXT = 16_000_000;
export const MAX_ITEMS = 100_000;

export const text = (max: number) => pipe(string(), maxLength(max));
export const count = pipe(number(), finite(), minValue(0));
export const message = <T extends string, E extends ObjectEntries>(type: T, entries: E) => strictObject({ type: literal(type), ...entries });

/** Keeps a reason short: it may quote what an attacker sent. */
function short(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

export function checker<M extends { type: string }>(table: GuardTable<M>): (value: unknown) => Checked<M> {
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: `not a message object (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})` };
    const type: unknown = (value as { type?: unknown }).type;
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) {
      return { ok: false, reason: short(`unknown message type ${typeof type === 'string' ? JSON.stringify(type) : typeof type}`) };
    }
    const r = safeParse(table[type as M['type']], value, { abortEarly: true });
    // The output is a fresh object with only the schema's fields: nothing else the sender put in goes further.
    return r.success ? { ok: true, value: r.output as M } : { ok: false, reason: short(`${type}: ${r.issues[0].message}`) };
  };
}

