/**
 * A copy of `source` with `overrides` applied and `key` computed the first time it is read (then
 * kept), without reading `source[key]` now: the per-test part of a history stays encoded until a
 * command reads it. Getters of `source` are copied as getters, so they stay lazy too.
 */
export function lazyCopy<T extends object, K extends keyof T>(source: T, overrides: Partial<T>, key: K, compute: () => T[K]): T {
  const copy = Object.create(Object.getPrototypeOf(source) as object | null, Object.getOwnPropertyDescriptors(source)) as T;
  Object.assign(copy, overrides);
  let computed = false;
  let value: T[K];
  Object.defineProperty(copy, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!computed) {
        value = compute();
        computed = true;
      }
      return value;
    },
  });
  return copy;
}
