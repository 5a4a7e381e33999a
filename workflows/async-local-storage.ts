/**
 * Every AsyncLocalStorage the runs of a workflow thread create, carried by one Node AsyncLocalStorage.
 *
 * Why: Node (before AsyncContextFrame, Node 24) copies the store of every enabled AsyncLocalStorage of the
 * thread onto every promise created in it, whichever run created the storage. Each cached run enables two
 * or three (Temporal's cancellation and update scopes, the tracing interceptor's context), so with N runs
 * cached every promise carried ~3N properties and cost ~3N steps to create: a run waiting on an approval held
 * 0.6 MB of heap with 20 runs cached and 1.9 MB with 300 (BENCHMARKS.md "Cached run memory"), and creating a
 * promise with 400 storages enabled took 65 µs. Temporal's sdk-typescript issue 1432 describes the problem.
 *
 * How: this module is preloaded into the workflow sandbox (workers/bundle.ts) before Temporal freezes its
 * globals, and replaces the methods of the sandbox's `AsyncLocalStorage` class. Every instance then keeps its
 * store in an immutable map, keyed by the instance, held by one shared Node storage: a promise carries one
 * property whatever the number of cached runs, and a map holds only the storages entered in that run's own
 * async chain. The semantics are Node's: `run`, `exit` and `enterWith` scope the store to the async chain,
 * `getStore` reads it, `disable` hides it until the next `run` or `enterWith` (Temporal disables a run's
 * storages when it leaves the cache).
 *
 * Loaded once per thread, at preload: it must import nothing (see workflows/shared-modules.ts for why).
 */

type Stores = ReadonlyMap<object, unknown>;
type Callback = (...args: unknown[]) => unknown;

interface NodeStorageMethods {
  run(store: unknown, callback: Callback, ...args: unknown[]): unknown;
  exit(callback: Callback, ...args: unknown[]): unknown;
  enterWith(store: unknown): void;
  getStore(): unknown;
  disable(): void;
}

type StorageClass = (new (name?: string) => NodeStorageMethods) & { prototype: NodeStorageMethods };

/** Marks a patched class: the sandbox is set up once per thread, but a second preload must not wrap twice. */
const PATCHED = Symbol.for('gongflow.asyncLocalStorage.shared');

export function shareAsyncLocalStorage(Storage: StorageClass): boolean {
  const prototype = Storage.prototype as NodeStorageMethods & { [PATCHED]?: true };
  if (prototype[PATCHED] || Object.isFrozen(prototype)) return false;
  // Node's own methods, before the sandbox class's are replaced.
  const node = Object.getPrototypeOf(prototype) as NodeStorageMethods;
  const shared = new Storage('gongflow-shared');
  const current = (): Stores | undefined => node.getStore.call(shared) as Stores | undefined;
  const disabled = new WeakSet<object>();
  const withStore = (stores: Stores | undefined, storage: object, store: unknown): Stores =>
    new Map(stores).set(storage, store);

  Object.defineProperties(prototype, {
    run: {
      value(this: object, store: unknown, callback: Callback, ...args: unknown[]): unknown {
        const stores = current();
        // As Node: entering the store already current (what getStore returns) costs nothing.
        if (Object.is(store, disabled.has(this) ? undefined : stores?.get(this))) return callback(...args);
        disabled.delete(this);
        return node.run.call(shared, withStore(stores, this, store), callback, ...args);
      },
    },
    exit: {
      value(this: object, callback: Callback, ...args: unknown[]): unknown {
        const stores = current();
        if (!stores?.has(this)) return callback(...args);
        const without = new Map(stores);
        without.delete(this);
        return node.run.call(shared, without, callback, ...args);
      },
    },
    enterWith: {
      value(this: object, store: unknown): void {
        disabled.delete(this);
        node.enterWith.call(shared, withStore(current(), this, store));
      },
    },
    getStore: {
      value(this: object): unknown {
        return disabled.has(this) ? undefined : current()?.get(this);
      },
    },
    disable: {
      value(this: object): void {
        disabled.add(this);
      },
    },
    [PATCHED]: { value: true },
  });
  return true;
}

const sandboxStorage = (globalThis as { AsyncLocalStorage?: StorageClass }).AsyncLocalStorage;
/** Whether this thread's sandbox storages share one Node storage (false outside a sandbox, e.g. in tests). */
export const SHARED_ASYNC_LOCAL_STORAGE = sandboxStorage ? shareAsyncLocalStorage(sandboxStorage) : false;
