// Which links from a reply the chat opens: http(s) and mailto only. A reply is untrusted text, so a `command:`,
// `file:` or `vscode:` link is refused (and the user told why) rather than handed to the editor.

export const OPENABLE_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];

export type LinkCheck = { open: true } | { open: false; scheme?: string };

/** The scheme as RFC 3986 spells it (a letter, then letters, digits, + . -), lower-cased; undefined without one. */
export function schemeOf(href: string): string | undefined {
  return /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(href)?.[1].toLowerCase();
}

export function checkLink(href: string): LinkCheck {
  const scheme = schemeOf(href);
  if (scheme === undefined) return { open: false };
  return OPENABLE_SCHEMES.includes(scheme) ? { open: true } : { open: false, scheme };
}
