// The one rough token estimate: about 4 characters a token. Used where the API's exact count is not available
// (context chips, the add-to-context confirmation, the batch estimate, the live count while a reply streams, the
// output of a stopped stream, the cache plan's size check). The API's count_tokens is used where it matters.

export const CHARS_PER_TOKEN = 4;

/** Estimated tokens of `text`. */
export function estimateTokens(text: string): number {
  return tokensForChars(text.length);
}

/** Estimated tokens of `chars` characters of text. */
export function tokensForChars(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}
