/**
 * A bounded map that forgets its oldest entries: a small cache of results that are expensive to
 * compute and cheap to keep (verified signatures, MACs). Map keeps insertion order, so the first
 * key is the oldest.
 */
export function createMemo<V>(maxEntries: number) {
  const entries = new Map<string, V>();
  return {
    get: (key: string) => entries.get(key),
    set(key: string, value: V): void {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, value);
    },
  };
}

/**
 * `fn` with its results remembered (the newest `maxEntries`): for a pure function of a string
 * that costs more than a Map lookup, such as a hash of the session id every request presents.
 */
export function memoize<V>(fn: (key: string) => V, maxEntries = 10_000): (key: string) => V {
  const memo = createMemo<V>(maxEntries);
  return (key) => {
    let value = memo.get(key);
    if (value === undefined) {
      value = fn(key);
      memo.set(key, value);
    }
    return value;
  };
}
