// Looks up a model's prices (snapshot / provider-style ids map to the canonical id) and merges the user's
// `claudeChat.prices` setting on top of the built-in table, rejecting malformed entries with a clear reason.
import {
  MODEL_ALIASES, MODEL_PRICES, ModelPrice, READ_MULTIPLIER, READ_MULTIPLIER_EXCEPTIONS, WRITE_1H_MULTIPLIER, WRITE_5M_MULTIPLIER,
} from './prices';

export const PRICE_FIELDS = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'contextWindow', 'webSearchPer1000'] as const;
type PriceField = (typeof PRICE_FIELDS)[number];
const SETTING = 'claudeChat.prices';

/** Candidate spellings of a model id, most specific first: as given, then without provider wrapping or date. */
function candidates(model: string): string[] {
  const out: string[] = [];
  const add = (s: string) => {
    if (s && !out.includes(s)) out.push(s);
  };
  const id = model.trim();
  add(id);
  let m = id.toLowerCase();
  add(m);
  m = m.replace(/^(?:[a-z]{2,4}\.)?anthropic\./, '').replace(/-v\d+(?::\d+)?$/, ''); // Bedrock: us.anthropic.…-v1:0
  add(m);
  m = m.replace(/@\d{8}$/, ''); // Vertex: claude-…@20250929
  add(m);
  add(m.replace(/-latest$/, ''));
  add(m.replace(/-\d{8}$/, '')); // snapshot date
  return out;
}

export class PriceBook {
  private constructor(private readonly table: Readonly<Record<string, ModelPrice>>) {}

  static builtIn(): PriceBook {
    return new PriceBook(MODEL_PRICES);
  }

  /**
   * The built-in table with the setting merged on top. A model already in the table may override any subset
   * of fields; when `input` changes and the cache prices are not given, they follow it with the model's own
   * multipliers. A new model needs `input` and `output`; its cache prices default to the §6.7 multipliers.
   * Entries with any problem are left out entirely and described in `problems`.
   */
  static withOverrides(raw: unknown): { book: PriceBook; problems: string[] } {
    const problems: string[] = [];
    if (raw === undefined || raw === null) return { book: PriceBook.builtIn(), problems };
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push(`${SETTING} must be an object like {"model-id": {"input": 3, "output": 15}}; ignored.`);
      return { book: PriceBook.builtIn(), problems };
    }
    const base = PriceBook.builtIn();
    const table: Record<string, ModelPrice> = { ...MODEL_PRICES };
    for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
      const where = `${SETTING}[${JSON.stringify(id)}]`;
      const bad = validateEntry(id, value);
      if (bad.length) {
        problems.push(`${where}: ${bad.join('; ')}; entry ignored.`);
        continue;
      }
      const v = value as Partial<Record<PriceField, number>>;
      const key = base.canonical(id) ?? id.trim();
      const known = table[key];
      if (!known && (v.input === undefined || v.output === undefined)) {
        problems.push(`${where}: a model that is not in the built-in list needs both "input" and "output"; entry ignored.`);
        continue;
      }
      table[key] = merge(key, known, v);
    }
    return { book: new PriceBook(table), problems };
  }

  /** The id this book prices `model` under, or undefined for an unknown model. */
  canonical(model: string): string | undefined {
    for (const c of candidates(model)) {
      if (Object.prototype.hasOwnProperty.call(this.table, c)) return c;
      const alias = MODEL_ALIASES[c];
      if (alias && Object.prototype.hasOwnProperty.call(this.table, alias)) return alias;
    }
    return undefined;
  }

  /** Prices for `model`, or undefined: an unknown model has no cost, never a guessed one. */
  price(model: string): ModelPrice | undefined {
    const id = this.canonical(model);
    return id === undefined ? undefined : this.table[id];
  }

  contextWindow(model: string): number | undefined {
    return this.price(model)?.contextWindow;
  }

  models(): string[] {
    return Object.keys(this.table);
  }
}

function validateEntry(id: string, value: unknown): string[] {
  if (!id.trim()) return ['the model id is empty'];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['must be an object of prices in USD per million tokens'];
  const bad: string[] = [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) bad.push('has no prices');
  for (const [k, v] of entries) {
    if (!(PRICE_FIELDS as readonly string[]).includes(k)) {
      bad.push(`unknown field "${k}" (expected ${PRICE_FIELDS.join(', ')})`);
    } else if (k === 'contextWindow') {
      if (!(Number.isInteger(v) && (v as number) > 0)) bad.push(`"contextWindow" must be a whole number of tokens > 0 (got ${JSON.stringify(v)})`);
    } else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      bad.push(`"${k}" must be a number >= 0 in USD per million tokens (got ${JSON.stringify(v)})`);
    }
  }
  return bad;
}

function merge(id: string, known: ModelPrice | undefined, v: Partial<Record<PriceField, number>>): ModelPrice {
  const input = v.input ?? known!.input;
  const output = v.output ?? known!.output;
  const ratio = (field: 'cacheWrite5m' | 'cacheWrite1h' | 'cacheRead', dflt: number) =>
    known && known.input > 0 ? known[field] / known.input : dflt;
  const follow = (field: 'cacheWrite5m' | 'cacheWrite1h' | 'cacheRead', dflt: number) =>
    v[field] ?? (v.input !== undefined || !known ? input * ratio(field, dflt) : known[field]);
  const price: ModelPrice = {
    input,
    output,
    cacheWrite5m: follow('cacheWrite5m', WRITE_5M_MULTIPLIER),
    cacheWrite1h: follow('cacheWrite1h', WRITE_1H_MULTIPLIER),
    cacheRead: follow('cacheRead', READ_MULTIPLIER_EXCEPTIONS[id] ?? READ_MULTIPLIER),
  };
  const ctx = v.contextWindow ?? known?.contextWindow;
  if (ctx !== undefined) price.contextWindow = ctx;
  const search = v.webSearchPer1000 ?? known?.webSearchPer1000;
  if (search !== undefined) price.webSearchPer1000 = search;
  return price;
}
