import { AsyncLocalStorage } from 'node:async_hooks';
import { shareAsyncLocalStorage } from '../workflows/async-local-storage';

/** A fresh class each time, as the sandbox's subclass of Node's storage (the patch changes its prototype). */
function storageClass(): typeof AsyncLocalStorage {
  return class SandboxStorage<T> extends AsyncLocalStorage<T> {};
}

/** How many storages copied their store onto a promise created here (Node's cost per promise). */
const storagesOnNewPromise = (): number => Object.getOwnPropertySymbols(Promise.resolve()).length;

describe('AsyncLocalStorage instances sharing one Node storage (workflows/async-local-storage.ts)', () => {
  it('keeps each storage its own store, through awaits, nesting, exit and enterWith', async () => {
    const Storage = storageClass();
    expect(shareAsyncLocalStorage(Storage)).toBe(true);
    const scope = new Storage<string>();
    const trace = new Storage<string>();
    expect(scope.getStore()).toBeUndefined();

    const seen = await scope.run('outer', async () => {
      const before = [scope.getStore(), trace.getStore()];
      await Promise.resolve();
      const nested = await trace.run('span', async () => {
        await new Promise((resolve) => setImmediate(resolve));
        const inner = await scope.run('inner', async () => {
          await Promise.resolve();
          return [scope.getStore(), trace.getStore()];
        });
        return {
          inner,
          after: [scope.getStore(), trace.getStore()],
          exited: scope.exit(() => scope.getStore()),
        };
      });
      return { before, nested, after: [scope.getStore(), trace.getStore()] };
    });
    expect(seen).toEqual({
      before: ['outer', undefined],
      nested: { inner: ['inner', 'span'], after: ['outer', 'span'], exited: undefined },
      after: ['outer', undefined],
    });
    expect(scope.getStore()).toBeUndefined();

    // Concurrent chains do not see each other's stores.
    const chain = (value: string) =>
      scope.run(value, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return scope.getStore();
      });
    expect(await Promise.all([chain('a'), chain('b')])).toEqual(['a', 'b']);

    // enterWith holds for the rest of the synchronous execution and what it starts.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        trace.enterWith('entered');
        void Promise.resolve().then(() => {
          expect(trace.getStore()).toBe('entered');
          resolve();
        });
      }),
    );
  });

  it('hides a disabled storage until it runs again, as Node does', async () => {
    const Storage = storageClass();
    shareAsyncLocalStorage(Storage);
    const storage = new Storage<number>();
    await storage.run(1, async () => {
      storage.disable();
      expect(storage.getStore()).toBeUndefined();
      await Promise.resolve();
      expect(storage.getStore()).toBeUndefined();
      expect(storage.run(2, () => storage.getStore())).toBe(2);
    });
  });

  it('copies one store onto a promise however many storages are entered', async () => {
    const baseline = storagesOnNewPromise();
    const Storage = storageClass();
    shareAsyncLocalStorage(Storage);
    const storages = Array.from({ length: 50 }, () => new Storage<number>());
    for (const [index, storage] of storages.entries()) storage.run(index, () => undefined);
    const nested = (index: number): number =>
      index === storages.length
        ? storagesOnNewPromise()
        : storages[index]!.run(index, () => nested(index + 1));
    // Node's own storages would add 50 properties to this promise; shared, they add one (or none more).
    expect(nested(0) - baseline).toBeLessThanOrEqual(1);
    await Promise.resolve();
  });

  it('patches a class once, and never a frozen one', () => {
    const Storage = storageClass();
    expect(shareAsyncLocalStorage(Storage)).toBe(true);
    expect(shareAsyncLocalStorage(Storage)).toBe(false);
    const Frozen = storageClass();
    Object.freeze(Frozen.prototype);
    expect(shareAsyncLocalStorage(Frozen)).toBe(false);
  });
});
