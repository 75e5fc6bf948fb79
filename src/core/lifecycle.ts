// One lifecycle and one event style for the whole extension: subscribing to an event returns a Disposable, and
// an owner registers everything it creates so one dispose() releases it all (the idea of vscode-pull-request-
// github's common/lifecycle.ts). No `vscode` import: vscode.Disposable and vscode.Event fit these shapes.

export interface IDisposable {
  dispose(): void;
}

/** A Disposable that runs `fn` once, however often it is disposed. */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Disposes every item, newest first; every item is disposed even when one throws, then the first error is rethrown. */
export function disposeAll(items: IDisposable[]): void {
  let first: { error: unknown } | undefined;
  while (items.length > 0) {
    try {
      items.pop()!.dispose();
    } catch (error) {
      first ??= { error };
    }
  }
  if (first) throw first.error;
}

/** A bag of disposables. Adding to a disposed store disposes the item at once, so nothing leaks after shutdown. */
export class DisposableStore implements IDisposable {
  private readonly items: IDisposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  /** Disposes what is held now; the store stays usable (for things that live as long as, e.g., one webview). */
  clear(): void {
    disposeAll(this.items);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.items);
  }
}

/** Base class for owners: `this.register(x)` ties x's life to this object's. */
export abstract class Disposable implements IDisposable {
  // An ES private field: subclasses keep every name (e.g. their own `store`).
  readonly #owned = new DisposableStore();

  protected register<T extends IDisposable>(item: T): T {
    return this.#owned.add(item);
  }

  protected get isDisposed(): boolean {
    return this.#owned.isDisposed;
  }

  dispose(): void {
    this.#owned.dispose();
  }
}

/** Subscribe with a listener; dispose the result to unsubscribe. */
export type Event<T> = (listener: (e: T) => void) => IDisposable;

export interface EmitterOptions {
  /** Called when a listener throws; the other listeners still run. Without it, the first error is rethrown after all ran. */
  onListenerError?(error: unknown): void;
}

export class Emitter<T> implements IDisposable {
  private listeners: ((e: T) => void)[] = [];
  private disposed = false;

  constructor(private readonly options: EmitterOptions = {}) {}

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return toDisposable(() => {});
    this.listeners = [...this.listeners, listener];
    return toDisposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  fire(e: T): void {
    let first: { error: unknown } | undefined;
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (error) {
        if (this.options.onListenerError) this.options.onListenerError(error);
        else first ??= { error };
      }
    }
    if (first) throw first.error;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}
