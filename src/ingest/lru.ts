/**
 * A bounded cache of recently used values, cheap on a hit (one Map lookup, no reordering): two
 * generations. New and recently used keys live in `young`; when it holds `max` keys it becomes
 * `old` and a fresh `young` starts; a hit in `old` is copied into `young`. So a key used at least
 * once per `max` insertions stays, rarely used keys fall out, and at most 2 × max are held. Keys
 * longer than `maxKeyLength` are not kept, so memory stays bounded whatever clients send. In
 * process memory only.
 */
export interface Lru<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): V;
  readonly size: number;
}

export function createLru<V>(max: number, maxKeyLength = 512): Lru<V> {
  let young = new Map<string, V>();
  let old = new Map<string, V>();
  const put = (key: string, value: V) => {
    if (young.size >= max) {
      old = young;
      young = new Map();
    }
    young.set(key, value);
  };
  return {
    get(key) {
      const v = young.get(key);
      if (v !== undefined) return v;
      const o = old.get(key);
      if (o !== undefined) put(key, o);
      return o;
    },
    set(key, value) {
      if (key.length <= maxKeyLength) put(key, value);
      return value;
    },
    get size() {
      let n = young.size;
      for (const k of old.keys()) if (!young.has(k)) n++;
      return n;
    },
  };
}
