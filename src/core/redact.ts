// The one place that takes secrets out of text bound for a person: the chat view, the log, a notification or an
// export. It knows the keys this session has seen (remembered when a key is resolved or checked, so no call
// site has to pass it), anything shaped like an Anthropic key, and the values of key-carrying headers.

const REDACTED = '[redacted]';
const MIN_SECRET_LENGTH = 8;
const MAX_REMEMBERED = 16;

/** Anthropic keys: `sk-ant-` then a kind (`api03`, `admin01`, `oat01`, …) and a long base64url body. */
const KEY_SHAPE = /sk-ant-[A-Za-z0-9_-]{8,}/g;
/** `x-api-key: v`, `"authorization":"Bearer v"`, `Proxy-Authorization=Basic v` … (linear: no nested quantifiers). */
const HEADER_VALUE = /\b(x-api-key|(?:proxy-)?authorization)(["']?[ \t]*[:=][ \t]*["']?)((?:bearer|basic)[ \t]+)?([^\s"',;}\]]+)/gi;

const known: string[] = [];

/** Remember a key so it is redacted everywhere from now on (also after it was cleared: text may still echo it). */
export function rememberSecret(secret: string | undefined): void {
  const s = secret?.trim();
  if (!s || s.length < MIN_SECRET_LENGTH || known.includes(s)) return;
  known.push(s);
  if (known.length > MAX_REMEMBERED) known.shift();
}

/** For tests only: forget every remembered key. */
export function forgetSecretsForTest(): void {
  known.length = 0;
}

export interface RedactOptions {
  /** One more secret to take out besides the remembered keys. */
  extra?: string;
  /**
   * Also replace the values of x-api-key / Authorization headers (default true). Off for text that carries the
   * model's code (the chat view, exports, the batch report): `headers: { Authorization: token }` in a reply must
   * survive, and Insert/Apply must not write "[redacted]" into a file. Keys themselves are redacted either way.
   */
  headerValues?: boolean;
}

/** `text` with every remembered key, every key-shaped token and (unless turned off) every auth header value replaced. */
export function redact(text: string, opts: RedactOptions = {}): string {
  if (!text) return text;
  let out = text;
  const extra = opts.extra?.trim();
  const secrets = extra && extra.length >= MIN_SECRET_LENGTH ? [...known, extra] : known;
  // Longest first, so a key that contains another remembered one is replaced whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (out.includes(s)) out = out.split(s).join(REDACTED);
  out = out.replace(KEY_SHAPE, `sk-ant-${REDACTED}`);
  if (opts.headerValues === false) return out;
  return out.replace(HEADER_VALUE, (_m, name: string, sep: string, scheme: string | undefined) => `${name}${sep}${scheme ?? ''}${REDACTED}`);
}

const IN_CODE: RedactOptions = { headerValues: false };

const MAX_DEPTH = 64;

/**
 * A copy of `value` with `redact` applied to every string in it (object keys included), for messages that go to
 * the webview. Returns the same object when nothing needed redacting, so the common case costs no copy. Header
 * values are kept (the view shows the model's code); error text was already fully redacted by describeError.
 */
export function redactDeep<T>(value: T): T {
  return mayHoldSecret(value) ? (walk(value, 0) as T) : value;
}

/** JSON escapes these (or may, for a lone surrogate), so such a secret cannot be looked for in JSON text as is. */
const ESCAPED_IN_JSON = /[\u0000-\u001f"\\\ud800-\udfff]/;

/**
 * False only when no string in `value` (object keys included) can hold a remembered key or a key-shaped token: one
 * JSON text of the whole value, searched natively, instead of a walk that runs the redactor on every string. A
 * message of a 5,000-turn conversation costs one stringify instead of tens of thousands of regex runs.
 */
function mayHoldSecret(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return true;
  }
  if (typeof json !== 'string' || json.includes('sk-ant-')) return true;
  return known.some((s) => ESCAPED_IN_JSON.test(s) || json.includes(s));
}

function walk(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return redact(v, IN_CODE);
  if (v === null || typeof v !== 'object') return v;
  if (depth > MAX_DEPTH) {
    // Deeper than any message we post: redact its JSON text instead of walking further.
    const json = JSON.stringify(v);
    const clean = redact(json, IN_CODE);
    return clean === json ? v : JSON.parse(clean);
  }
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    v.forEach((item, i) => {
      const r = walk(item, depth + 1);
      if (r !== item) (copy ??= v.slice())[i] = r;
    });
    return copy ?? v;
  }
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(v)) {
    const rk = redact(k, IN_CODE);
    const r = walk(item, depth + 1);
    if (r !== item || rk !== k) changed = true;
    out[rk] = r;
  }
  return changed ? out : v;
}
