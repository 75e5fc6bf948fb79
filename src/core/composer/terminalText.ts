// Terminal output as plain text: shell integration hands over the raw stream, escape sequences and all.

/** Removes ANSI/OSC escape sequences and carriage-return redraws (a progress bar keeps its last state). */
export function plainTerminalText(raw: string): string {
  const text = raw
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '') // OSC (titles, shell-integration marks)
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '') // CSI (colours, cursor moves)
    .replace(/\x1b[@-Z\\-_]/g, '') // other two-byte escapes
    .replace(/\r\n/g, '\n');
  return text
    .split('\n')
    .map((line) => (line.includes('\r') ? line.slice(line.lastIndexOf('\r', line.length - 2) + 1).replace(/\r$/, '') : line))
    .join('\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

/** Keeps the last `max` characters, starting at a line when it can. */
export function lastChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = text.slice(text.length - max);
  const nl = tail.indexOf('\n');
  return nl >= 0 && nl < 200 ? tail.slice(nl + 1) : tail;
}
