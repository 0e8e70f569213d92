// What the bot read from Azure (lookups planning depends on, metric responses), trusted for a while
// per key: a burst of questions reads it once, a read still in flight is shared by every identical
// one arriving meanwhile (single-flight, a failure included), and a failed read is not kept.

/** Told each time a read was served without asking Azure (`onHit`) or had to ask it (`onMiss`). */
export interface CacheObserver {
  readonly onHit?: (cache: string) => void;
  readonly onMiss?: (cache: string) => void;
}

export interface LookupCacheOptions<T> extends CacheObserver {
  /** The cache's name as observers see it (a fixed label, never a key). */
  readonly name?: string;
  /** Most entries kept; the least recently used is dropped first. */
  readonly maxEntries?: number;
  /** With `weigh`: the most total weight kept, so a few large values cannot fill the memory. */
  readonly maxWeight?: number;
  readonly weigh?: (value: T) => number;
}

interface Entry<T> {
  readonly at: number;
  readonly ttlMs: number;
  readonly value: Promise<T>;
  settled: boolean;
  weight: number;
}

export class LookupCache<T> {
  private readonly ttlMs: number;
  private readonly name: string;
  private readonly options: LookupCacheOptions<T>;
  // a Map iterates in insertion order: re-inserting on use keeps the least recently used first
  private readonly entries = new Map<string, Entry<T>>();
  private weight = 0;

  constructor(ttlMs: number, options: LookupCacheOptions<T> = {}) {
    this.ttlMs = ttlMs;
    this.name = options.name ?? "lookup";
    this.options = options;
  }

  /** `ttlMs`: how long this value stays true (default: the cache's), counted from when it was asked for. */
  get(key: string, now: number, load: () => Promise<T>, ttlMs: number = this.ttlMs): Promise<T> {
    const cached = this.entries.get(key);
    // in flight: shared whatever its age, the answer is on its way
    if (cached && (!cached.settled || now - cached.at < cached.ttlMs)) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      this.options.onHit?.(this.name);
      return cached.value;
    }
    if (cached) this.remove(key, cached);
    this.options.onMiss?.(this.name);
    const entry: Entry<T> = { at: now, ttlMs, value: load(), settled: false, weight: 0 };
    this.entries.set(key, entry);
    this.evict();
    entry.value.then(
      (value) => {
        entry.settled = true;
        if (this.entries.get(key) !== entry) return;
        entry.weight = this.options.weigh?.(value) ?? 0;
        this.weight += entry.weight;
        // one value heavier than the whole budget is shared with those waiting, not kept
        if (this.options.maxWeight !== undefined && entry.weight > this.options.maxWeight) this.remove(key, entry);
        else this.evict();
      },
      // a newer read that replaced this one stays
      () => {
        if (this.entries.get(key) === entry) this.remove(key, entry);
      },
    );
    return entry.value;
  }

  private remove(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    this.weight -= entry.weight;
  }

  private evict(): void {
    const { maxEntries = Infinity, maxWeight = Infinity } = this.options;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= maxEntries && this.weight <= maxWeight) return;
      this.remove(key, entry);
    }
  }
}
