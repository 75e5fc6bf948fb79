// Who may spend the user's key through the provider. VS Code asks no consent for a finalized provider (verified in
// 1.139; reference §1.5), so the provider asks: the first request from each calling extension asks the user
// (Allow / Allow once / Deny); Allow and Deny are remembered per extension and can be revoked. The extension itself
// never asks itself. Concurrent first requests from one caller share one question.

export type ConsentAnswer = 'allow' | 'once' | 'deny';
export type Remembered = 'allow' | 'deny';

/** Who asked, as far as VS Code said: an extension id, 'core' (VS Code itself), or unknown. */
export interface Caller {
  /** Extension id (publisher.name), 'core', or UNKNOWN_CALLER. */
  id: string;
  /** For the question: the extension's display name when known. */
  label: string;
}

/** The id used when VS Code does not say who called (the proposed `requestInitiator` missing at run time). */
export const UNKNOWN_CALLER = '(unknown)';

export interface ConsentStore {
  get(callerId: string): Remembered | undefined;
  set(callerId: string, value: Remembered | undefined): Promise<void>;
  entries(): [string, Remembered][];
}

export interface ConsentAsker {
  /** Resolves with the user's answer, or undefined when dismissed (counted as "not now", not remembered). */
  ask(caller: Caller): Promise<ConsentAnswer | undefined>;
}

export class CallerConsent {
  private readonly asking = new Map<string, Promise<ConsentAnswer | undefined>>();

  constructor(private readonly store: ConsentStore, private readonly asker: ConsentAsker, private readonly selfId: string) {}

  /** True when this request may go ahead. */
  async check(caller: Caller): Promise<boolean> {
    if (caller.id === this.selfId) return true;
    const known = this.store.get(caller.id);
    if (known) return known === 'allow';
    let pending = this.asking.get(caller.id);
    if (!pending) {
      pending = this.asker.ask(caller).finally(() => this.asking.delete(caller.id));
      this.asking.set(caller.id, pending);
    }
    const answer = await pending;
    if (answer === 'allow' || answer === 'deny') await this.store.set(caller.id, answer);
    return answer === 'allow' || answer === 'once';
  }

  /** Forgets the answer for one caller (it is asked again next time). */
  revoke(callerId: string): Promise<void> {
    return this.store.set(callerId, undefined);
  }

  remembered(): [string, Remembered][] {
    return this.store.entries();
  }
}

/** A ConsentStore over a key-value store (the extension's globalState: this machine, never a repository's). */
export class MapConsentStore implements ConsentStore {
  constructor(private readonly read: () => unknown, private readonly write: (v: Record<string, Remembered>) => Promise<void>) {}

  private all(): Record<string, Remembered> {
    const v = this.read();
    const out: Record<string, Remembered> = {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
    for (const [k, x] of Object.entries(v)) if (x === 'allow' || x === 'deny') out[k] = x;
    return out;
  }

  get(callerId: string): Remembered | undefined {
    return Object.prototype.hasOwnProperty.call(this.all(), callerId) ? this.all()[callerId] : undefined;
  }

  async set(callerId: string, value: Remembered | undefined): Promise<void> {
    const all = this.all();
    if (value === undefined) delete all[callerId];
    else all[callerId] = value;
    await this.write(all);
  }

  entries(): [string, Remembered][] {
    return Object.entries(this.all());
  }
}
