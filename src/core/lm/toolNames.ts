// Tool names as the Messages API takes them (^[a-zA-Z0-9_-]{1,64}$, the pattern the reference gives; UNCONFIRMED as
// the API's exact rule) from names that VS Code allows to be anything, with clashes resolved and the way back kept.

export const API_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX = 64;

/** `name` with every character outside [a-zA-Z0-9_-] replaced by `_`, cut to 64 (never empty). */
export function sanitizeToolName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX);
  return s.length > 0 ? s : 'tool';
}

/**
 * Gives each original name one API name: itself when valid and free, else a sanitized form with `_2`, `_3`… until
 * free. `taken` holds names already in use (e.g. our own workspace tools), which are never given out.
 */
export class ToolNameMap {
  private readonly toApi = new Map<string, string>();
  private readonly fromApi = new Map<string, string>();

  constructor(private readonly taken: ReadonlySet<string> = new Set()) {}

  /** The API name for `original`, assigning one on first use. */
  add(original: string): string {
    const have = this.toApi.get(original);
    if (have !== undefined) return have;
    const base = sanitizeToolName(original);
    let name = base;
    for (let i = 2; this.taken.has(name) || this.fromApi.has(name); i++) {
      const suffix = `_${i}`;
      name = `${base.slice(0, MAX - suffix.length)}${suffix}`;
    }
    this.toApi.set(original, name);
    this.fromApi.set(name, original);
    return name;
  }

  api(original: string): string | undefined {
    return this.toApi.get(original);
  }

  original(apiName: string): string | undefined {
    return this.fromApi.get(apiName);
  }
}
