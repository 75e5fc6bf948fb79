// Syntax highlighting for closed code blocks: highlight.js core with a fixed set of common languages.
// Called only when a block is frozen, never per delta. Returns escaped HTML (spans with hljs-* classes)
// that the caller still passes through the sanitizer.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

/** Code longer than this is shown plain: highlighting it would stall the frame for little benefit. */
export const MAX_HIGHLIGHT_CHARS = 200_000;

const LANGUAGES = {
  bash, c, cpp, csharp, css, diff, go, java, javascript, json, markdown,
  plaintext, python, rust, shell, sql, typescript, xml, yaml,
};

/** Extra aliases models commonly write that highlight.js does not define itself. */
const EXTRA_ALIASES: Record<string, string> = {
  html: 'xml', svg: 'xml', vue: 'xml', jsonc: 'json', json5: 'json', console: 'shell', zsh: 'bash',
  sh: 'bash', shellscript: 'bash', text: 'plaintext', txt: 'plaintext', plain: 'plaintext',
  'c++': 'cpp', 'c#': 'csharp', cs: 'csharp', golang: 'go', rs: 'rust', py: 'python', yml: 'yaml',
  ts: 'typescript', tsx: 'typescript', js: 'javascript', jsx: 'javascript', md: 'markdown',
  patch: 'diff', postgres: 'sql', postgresql: 'sql', mysql: 'sql', sqlite: 'sql',
};

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  for (const [name, fn] of Object.entries(LANGUAGES)) {
    // hljs is a process-wide singleton: someone else may already have registered the language.
    if (!hljs.getLanguage(name)) hljs.registerLanguage(name, fn);
  }
  for (const [alias, name] of Object.entries(EXTRA_ALIASES)) {
    if (!hljs.getLanguage(alias)) hljs.registerAliases(alias, { languageName: name });
  }
}

/** Canonical highlight.js language name for a fence info word, or undefined when unknown. */
export function resolveLanguage(lang: string): string | undefined {
  if (!lang) return undefined;
  register();
  const l = hljs.getLanguage(lang.toLowerCase());
  if (!l) return undefined;
  // getLanguage resolves aliases; find the registered name by identity.
  for (const name of Object.keys(LANGUAGES)) if (hljs.getLanguage(name) === l) return name;
  return undefined;
}

/**
 * Highlighted HTML for `code`, or undefined when the language is unknown or the code too long
 * (the caller then shows escaped plain text). No auto-detection: it is slow and often wrong.
 */
export function highlightCode(code: string, lang: string): string | undefined {
  const language = resolveLanguage(lang);
  if (!language || language === 'plaintext' || code.length > MAX_HIGHLIGHT_CHARS) return undefined;
  try {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return undefined;
  }
}
