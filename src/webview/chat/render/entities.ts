// markdown-it's two entity decoders (the `entities` package's decodeHTML and decodeHTMLStrict), taken from the
// browser's own HTML parser instead of a 75 KB table in the bundle (esbuild.js maps 'entities' here for the
// webview). markdown-it calls them with exactly one `&name;` (a letter, then letters or digits, then ';'), which is
// all this decodes; anything else comes back unchanged.
//
// The text goes through the RCDATA parser of a <textarea> in an inert document (no scripts, no loads, no markup:
// RCDATA makes only character references and text). The input is checked against the pattern first, so no markup
// can reach the parser at all.

const NAMED = /^&[A-Za-z][A-Za-z0-9]{1,31};$/;
const cache = new Map<string, string>();
let parser: HTMLTextAreaElement | undefined;
let doc: Document | undefined;

/** For tests (jsdom): the document whose parser decodes. The webview uses its own. */
export function useDocument(d: Document): void {
  doc = d;
  parser = undefined;
  cache.clear();
}

/** As the HTML parser reads `&name;` in text: a full entity, a legacy prefix ("&notit;" → "¬it;"), or unchanged. */
export function decodeHTML(s: string): string {
  if (!NAMED.test(s)) return s;
  let out = cache.get(s);
  if (out === undefined) {
    if (!parser) {
      const owner = doc ?? document;
      parser = owner.implementation.createHTMLDocument('').createElement('textarea');
    }
    parser.innerHTML = s;
    out = parser.value;
    if (cache.size > 4096) cache.clear();
    cache.set(s, out);
  }
  return out;
}

/** Only a whole `&name;` entity: a legacy prefix does not count ("&notit;" stays as it is). */
export function decodeHTMLStrict(s: string): string {
  const out = decodeHTML(s);
  // The parser leaves the ';' in place unless the whole name matched; only &semi; is itself a ';'.
  return out.endsWith(';') && s !== '&semi;' ? s : out;
}
