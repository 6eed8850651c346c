// Active-span propagation across `await` needs AsyncLocalStorage. The official
// AsyncLocalStorageContextManager imports `async_hooks` at the top of its module, which a main
// entry that must load on workerd cannot do; so we find AsyncLocalStorage at run time through
// `process.getBuiltinModule` (Node >= 20.16, Bun, Deno, workerd with nodejs_compat) and wrap it in
// the few lines a ContextManager needs. Without it there is no context manager: spans still work,
// but nesting across `await` needs explicit parents.
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context, ContextManager } from '@opentelemetry/api';

/** The part of Node's AsyncLocalStorage the context manager uses. */
export interface AsyncLocalStorageLike<T> {
  getStore(): T | undefined;
  run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, ...args: A): R;
  disable(): void;
}
/** The AsyncLocalStorage class, e.g. `import { AsyncLocalStorage } from 'node:async_hooks'`. */
export type AsyncLocalStorageClass = new <T>() => AsyncLocalStorageLike<T>;

function findAsyncLocalStorage(): AsyncLocalStorageClass | undefined {
  const global = globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
    AsyncLocalStorage?: AsyncLocalStorageClass;
  };
  try {
    const mod = global.process?.getBuiltinModule?.('node:async_hooks') as { AsyncLocalStorage?: AsyncLocalStorageClass } | undefined;
    if (typeof mod?.AsyncLocalStorage === 'function') return mod.AsyncLocalStorage;
  } catch {
    // getBuiltinModule throws on runtimes that have the function but not the module.
  }
  return typeof global.AsyncLocalStorage === 'function' ? global.AsyncLocalStorage : undefined;
}

/**
 * A ContextManager on AsyncLocalStorage: the class you pass, or the runtime's own found through
 * `process.getBuiltinModule`; `undefined` when there is none (workerd without `nodejs_compat`,
 * browsers).
 *
 * @example
 * ```ts
 * import { AsyncLocalStorage } from 'node:async_hooks';
 * const obs = createObservability({ contextManager: createAsyncContextManager(AsyncLocalStorage) });
 * ```
 */
export function createAsyncContextManager(storageClass?: AsyncLocalStorageClass): ContextManager | undefined {
  const AsyncLocalStorage = storageClass ?? findAsyncLocalStorage();
  if (AsyncLocalStorage === undefined) return undefined;
  let storage = new AsyncLocalStorage<Context>();
  const manager: ContextManager = {
    active: () => storage.getStore() ?? ROOT_CONTEXT,
    with(ctx, fn, thisArg, ...args) {
      const bound = thisArg == null ? fn : fn.bind(thisArg);
      return storage.run(ctx, bound, ...args);
    },
    bind<T>(ctx: Context, target: T): T {
      if (typeof target !== 'function') return target;
      const fn = target as unknown as (...args: unknown[]) => unknown;
      const wrapper = function (this: unknown, ...args: unknown[]): unknown {
        return manager.with(ctx, () => fn.apply(this, args));
      };
      Object.defineProperty(wrapper, 'length', { value: fn.length, configurable: true });
      return wrapper as T;
    },
    enable: () => manager,
    disable() {
      try {
        storage.disable();
      } catch {
        // workerd's AsyncLocalStorage has no disable(); a fresh store forgets the old contexts anyway.
      }
      storage = new AsyncLocalStorage<Context>();
      return manager;
    },
  };
  return manager;
}
