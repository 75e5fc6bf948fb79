// Who has said yes: asks the Approver, remembers "allow for this conversation" per conversation id and per kind
// (edits apart from read-only tools), and withdraws a question when the round is cancelled. A protected edit (one
// with a protectedReason) is always asked, and "always" on it approves that edit only.
import type { ApprovalDecision, Approver, ProposedEdit, ToolApprovalRequest } from './workspace';

export type Answer = 'approved' | 'rejected' | 'cancelled';

export class Approvals {
  private readonly writesAllowed = new Set<string>();
  private readonly readsAllowed = new Set<string>();

  constructor(private readonly approver: Approver) {}

  /** True when this edit can go ahead without asking. */
  editPreApproved(edit: ProposedEdit, conversationId: string): boolean {
    return this.writesAllowed.has(conversationId) && edit.protectedReason === undefined;
  }

  readPreApproved(conversationId: string): boolean {
    return this.readsAllowed.has(conversationId);
  }

  async askEdit(edit: ProposedEdit, conversationId: string, signal: AbortSignal): Promise<Answer> {
    const d = await untilAborted(() => this.approver.approve(edit, conversationId, signal), signal);
    if (d === 'always' && edit.protectedReason === undefined) this.writesAllowed.add(conversationId);
    return toAnswer(d);
  }

  async askRead(request: ToolApprovalRequest, conversationId: string, signal: AbortSignal): Promise<Answer | 'unavailable'> {
    const ask = this.approver.approveTool?.bind(this.approver);
    if (!ask) return 'unavailable';
    const d = await untilAborted(() => ask(request, conversationId, signal), signal);
    if (d === 'always') this.readsAllowed.add(conversationId);
    return toAnswer(d);
  }

  /** Forgets every "allow for this conversation" (e.g. when trust is withdrawn). */
  clear(): void {
    this.writesAllowed.clear();
    this.readsAllowed.clear();
  }
}

function toAnswer(d: ApprovalDecision | 'cancelled'): Answer {
  return d === 'cancelled' ? 'cancelled' : d === 'reject' ? 'rejected' : 'approved';
}

/** The promise's value, or 'cancelled' as soon as `signal` aborts (the promise is left to settle on its own). */
export function untilAborted<T>(start: () => Promise<T>, signal: AbortSignal): Promise<T | 'cancelled'> {
  if (signal.aborted) return Promise.resolve('cancelled');
  return new Promise<T | 'cancelled'>((resolve, reject) => {
    const onAbort = () => resolve('cancelled');
    signal.addEventListener('abort', onAbort, { once: true });
    let p: Promise<T>;
    try {
      p = start();
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** One listener for many racers: `promise` resolves 'cancelled' when `signal` aborts; dispose() detaches it. */
export function abortPromise(signal: AbortSignal): { promise: Promise<'cancelled'>; dispose(): void } {
  let onAbort = () => {};
  const promise = new Promise<'cancelled'>((resolve) => {
    onAbort = () => resolve('cancelled');
    if (signal.aborted) resolve('cancelled');
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
