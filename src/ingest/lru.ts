/**
 * A small least-recently-used cache: a Map in insertion order, where a hit moves the key to the
 * end and an insert past `max` evicts the first key. Keys longer than `maxKeyLength` are not
 * kept, so memory stays bounded whatever clients send. In process memory only.
 */
export interface Lru<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): V;
  readonly size: number;
}

export function createLru<V>(max: number, maxKeyLength = 512): Lru<V> {
  const map = new Map<string, V>();
  return {
    get(key) {
      const v = map.get(key);
      if (v !== undefined) {
        map.delete(key);
        map.set(key, v);
      }
      return v;
    },
    set(key, value) {
      if (key.length > maxKeyLength) return value;
      map.set(key, value);
      if (map.size > max) map.delete(map.keys().next().value!);
      return value;
    },
    get size() {
      return map.size;
    },
  };
}
