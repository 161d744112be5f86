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
