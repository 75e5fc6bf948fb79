import * as assert from 'node:assert/strict';
import { Disposable, DisposableStore, Emitter, toDisposable } from '../../../src/core/lifecycle';

describe('lifecycle: disposables and events', () => {
  it('a store disposes everything, newest first, once; an item added after dispose is disposed at once', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => log.push('a')));
    store.add(toDisposable(() => log.push('b')));
    store.dispose();
    store.dispose();
    assert.deepEqual(log, ['b', 'a']);
    store.add(toDisposable(() => log.push('late')));
    assert.deepEqual(log, ['b', 'a', 'late'], 'nothing outlives a disposed owner');
  });

  it('disposes every item even when one throws, then reports the error', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => log.push('first')));
    store.add(toDisposable(() => {
      throw new Error('boom');
    }));
    store.add(toDisposable(() => log.push('last')));
    assert.throws(() => store.dispose(), /boom/);
    assert.deepEqual(log, ['last', 'first']);
  });

  it('a Disposable owner releases what it registered', () => {
    const log: string[] = [];
    class Owner extends Disposable {
      constructor() {
        super();
        this.register(toDisposable(() => log.push('child')));
      }
    }
    new Owner().dispose();
    assert.deepEqual(log, ['child']);
  });

  it('an emitter calls listeners in order; a disposed subscription is not called; a throwing listener does not stop the others', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<number>({ onListenerError: (e) => errors.push(e) });
    const got: string[] = [];
    const a = emitter.event((n) => got.push(`a${n}`));
    emitter.event(() => {
      throw new Error('bad listener');
    });
    emitter.event((n) => got.push(`c${n}`));
    emitter.fire(1);
    a.dispose();
    emitter.fire(2);
    assert.deepEqual(got, ['a1', 'c1', 'c2']);
    assert.equal(errors.length, 2);
    emitter.dispose();
    emitter.fire(3);
    emitter.event((n) => got.push(`late${n}`));
    emitter.fire(4);
    assert.deepEqual(got, ['a1', 'c1', 'c2'], 'a disposed emitter delivers nothing');
  });

  it('without an error handler, fire rethrows after every listener ran', () => {
    const emitter = new Emitter<void>();
    let ran = false;
    emitter.event(() => {
      throw new Error('first');
    });
    emitter.event(() => {
      ran = true;
    });
    assert.throws(() => emitter.fire(), /first/);
    assert.equal(ran, true);
  });
});
