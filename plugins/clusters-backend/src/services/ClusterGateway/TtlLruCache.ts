/**
 * A map bounded in size and in age: an entry is served for `ttlMs` after it was set, and when the
 * map is full the least recently used entry makes room for a new one (never the whole map at
 * once, so a burst of new keys does not throw away every warm entry). A Map keeps insertion
 * order; a hit moves its key to the end, so the first key is always the least recently used.
 * @internal
 */
export class TtlLruCache<K, V> {
  private readonly entries = new Map<K, { value: V; at: number }>();

  constructor(
    private readonly options: {
      maxEntries: number;
      ttlMs: number;
      now?: () => number;
    },
  ) {
    if (!(options.maxEntries >= 1)) {
      throw new Error('TtlLruCache needs room for at least one entry');
    }
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  get size() {
    return this.entries.size;
  }

  /** The value when it was set less than `ttlMs` ago; marks it as recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.now() - entry.at >= this.options.ttlMs) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V) {
    this.entries.delete(key);
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { value, at: this.now() });
  }

  delete(key: K) {
    return this.entries.delete(key);
  }

  clear() {
    this.entries.clear();
  }
}
