// The front matter of a prompt or command file: a `---` block of `key: value` lines at the top.
//
// Written by hand on purpose, and deliberately not YAML: the only keys honoured are flat strings (name,
// description, model, argument-hint), and a YAML parser would bring what makes YAML hostile input (anchors and
// aliases that expand into "billion laughs" bombs, custom tags, deep nesting) for no gain. Here a value is the text
// after the colon, unquoted; nothing is ever expanded. Bounded: a front matter longer than MAX_LINES lines or
// MAX_BYTES bytes is not read (the file is then all body, with a warning).

export const MAX_FRONT_MATTER_LINES = 100;
export const MAX_FRONT_MATTER_BYTES = 8 * 1024;
/** Longest value kept (longer ones are cut). */
export const MAX_VALUE_CHARS = 1000;

export interface FrontMatter {
  /** key -> value, first occurrence wins. Keys are plain names; a Map, so no key can reach a prototype. */
  attrs: Map<string, string>;
  body: string;
  /** Why the front matter could not be read, when it could not. */
  warning?: string;
}

const OPEN = /^---[ \t]*\r?\n/;
const KEY_LINE = /^([A-Za-z][\w-]{0,63})[ \t]*:(.*)$/;

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && t[0] === '"' && t.endsWith('"')) return t.slice(1, -1).replace(/\\(["\\])/g, '$1').replace(/\\n/g, '\n');
  if (t.length >= 2 && t[0] === "'" && t.endsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  // A plain scalar: a trailing " # comment" is not part of it.
  return t.replace(/\s+#.*$/, '');
}

export function parseFrontMatter(raw: string): FrontMatter {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const attrs = new Map<string, string>();
  const open = OPEN.exec(text);
  if (!open) return { attrs, body: text };
  const lines: string[] = [];
  let pos = open[0].length;
  for (;;) {
    if (lines.length >= MAX_FRONT_MATTER_LINES || pos - open[0].length > MAX_FRONT_MATTER_BYTES) {
      return { attrs, body: text, warning: `its front matter is longer than ${MAX_FRONT_MATTER_LINES} lines or ${MAX_FRONT_MATTER_BYTES / 1024} KB, so it was not read` };
    }
    const nl = text.indexOf('\n', pos);
    const line = (nl < 0 ? text.slice(pos) : text.slice(pos, nl)).replace(/\r$/, '');
    if (/^(---|\.\.\.)[ \t]*$/.test(line)) {
      pos = nl < 0 ? text.length : nl + 1;
      break;
    }
    if (nl < 0) return { attrs, body: text, warning: 'its front matter has no closing "---" line, so it was not read' };
    lines.push(line);
    pos = nl + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    const m = KEY_LINE.exec(lines[i]);
    if (!m) continue; // comments, list items, nested keys: not honoured
    const key = m[1];
    let value = m[2].trim();
    if (/^[|>][+-]?$/.test(value)) {
      // A block scalar: the indented lines below it, joined (folded with spaces for '>').
      const block: string[] = [];
      while (i + 1 < lines.length && (/^\s+\S/.test(lines[i + 1]) || lines[i + 1].trim() === '')) block.push(lines[++i].trim());
      value = block.join(value[0] === '>' ? ' ' : '\n').trim();
    } else value = unquote(value);
    if (!attrs.has(key)) attrs.set(key, value.slice(0, MAX_VALUE_CHARS));
  }
  return { attrs, body: text.slice(pos) };
}
