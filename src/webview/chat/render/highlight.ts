// Syntax highlighting for closed code blocks: highlight.js core here, each language in its own file loaded on first
// use (esbuild.js builds dist/hljs/<name>.js; languages.ts loads them under the page's CSP nonce). Called only when
// a block is frozen, never per delta. Returns escaped HTML (spans with hljs-* classes) that the caller still passes
// through the sanitizer. A block whose language is not loaded yet is shown plain and coloured once it is.
import hljs from 'highlight.js/lib/core';
import type { LanguageFn } from 'highlight.js';
import table from './languages.json';

/** Code longer than this is shown plain: highlighting it would stall the frame for little benefit. */
export const MAX_HIGHLIGHT_CHARS = 200_000;

/** The languages there are files for, and every name a fence may use for them (lower case). */
export const LANGUAGES: readonly string[] = table.names;
const ALIASES: Record<string, string> = table.aliases;

/** Asked for a language that is known but not loaded (set by languages.ts in the webview). */
let loader: ((name: string) => void) | undefined;
const loaded = new Set<string>();
const listeners: ((name: string) => void)[] = [];

export function setLanguageLoader(fn: ((name: string) => void) | undefined): void {
  loader = fn;
}

/** Called when a language arrives; languages.ts colours the blocks that waited for it. */
export function onLanguageLoaded(fn: (name: string) => void): void {
  listeners.push(fn);
}

/** Registers a language (a loaded language file; tests and benchmarks register them all up front). */
export function registerLanguage(name: string, fn: LanguageFn): void {
  if (!LANGUAGES.includes(name) || loaded.has(name)) return;
  // hljs is a process-wide singleton: someone else may already have registered the language.
  if (!hljs.getLanguage(name)) hljs.registerLanguage(name, fn);
  loaded.add(name);
  for (const l of listeners) l(name);
}

export function isLoaded(name: string): boolean {
  return loaded.has(name);
}

/** For tests only: treat every language as not loaded again (hljs keeps its registrations). */
export function forgetLanguagesForTest(): void {
  loaded.clear();
}

/** Canonical language name for a fence info word, or undefined when unknown. Needs no language loaded. */
export function resolveLanguage(lang: string): string | undefined {
  if (!lang) return undefined;
  const l = lang.toLowerCase();
  if (LANGUAGES.includes(l)) return l;
  return Object.prototype.hasOwnProperty.call(ALIASES, l) ? ALIASES[l] : undefined;
}

/** The language `code` in `lang` waits for: known, worth colouring, not loaded yet. Asks the loader for it. */
export function pendingLanguage(code: string, lang: string): string | undefined {
  const language = resolveLanguage(lang);
  if (!language || language === 'plaintext' || loaded.has(language) || code.length > MAX_HIGHLIGHT_CHARS) return undefined;
  loader?.(language);
  return language;
}

/**
 * Highlighted HTML for `code`, or undefined when the language is unknown, not loaded yet, or the code too long
 * (the caller then shows escaped plain text). No auto-detection: it is slow and often wrong.
 */
export function highlightCode(code: string, lang: string): string | undefined {
  const language = resolveLanguage(lang);
  if (!language || language === 'plaintext' || !loaded.has(language) || code.length > MAX_HIGHLIGHT_CHARS) return undefined;
  try {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return undefined;
  }
}
