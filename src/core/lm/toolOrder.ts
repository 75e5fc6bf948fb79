// The order external tools are offered in. Tools head the cached prefix (tools -> system -> messages), so any change
// to their bytes makes the next request miss the cache. vscode.lm.tools gives no stable order (MCP servers come and
// go, extensions activate late), so the order is remembered instead: tools seen before keep their places, a tool
// whose definition changed moves to the end, new tools go to the end, and removed ones drop out. The same set of
// tools therefore always gives the same bytes, whatever order VS Code lists them in.

export interface Orderable {
  name: string;
  /** What the model sees of the tool (description and schema): a change here changes the prefix. */
  fingerprint: string;
}

export class StableToolOrder {
  /** name -> fingerprint, in offer order. */
  private known = new Map<string, string>();

  constructor(saved: readonly [string, string][] = []) {
    for (const [name, fp] of saved) if (typeof name === 'string' && typeof fp === 'string') this.known.set(name, fp);
  }

  /** `tools` in the remembered order (see above); remembers the result. */
  arrange<T extends Orderable>(tools: readonly T[]): T[] {
    const byName = new Map<string, T>();
    for (const t of tools) if (!byName.has(t.name)) byName.set(t.name, t);
    const kept: T[] = [];
    const moved: T[] = [];
    for (const [name, fp] of this.known) {
      const t = byName.get(name);
      if (!t) continue;
      if (t.fingerprint === fp) kept.push(t);
      else moved.push(t);
    }
    const fresh = [...byName.values()].filter((t) => !this.known.has(t.name));
    const result = [...kept, ...moved, ...fresh];
    this.known = new Map(result.map((t) => [t.name, t.fingerprint]));
    return result;
  }

  /** For saving (per workspace). */
  snapshot(): [string, string][] {
    return [...this.known.entries()];
  }
}
