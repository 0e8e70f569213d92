// What the bot read from Azure (lookups planning depends on, metric responses), trusted for a while
// per key: a burst of questions reads it once, a read still in flight is shared by every identical
// one arriving meanwhile (single-flight, a failure included), and a failed read is not kept.

/** How often a miss also drops every expired entry (a pass over at most maxEntries). */
const SWEEP_EVERY_MS = 10_000;

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
  /**
   * A value read at least this long ago is still served, and read again in the background; the new
   * one replaces it once it arrives (a failure leaves it until it expires). A burst then never waits
   * on a read that expired under it, and nothing older than the ttl is served.
   */
  readonly refreshAfterMs?: number;
}

interface Entry<T> {
  readonly at: number;
  readonly ttlMs: number;
  readonly value: Promise<T>;
  settled: boolean;
  weight: number;
  /** A background read (refreshAfterMs) is on its way. */
  refreshing?: boolean;
}

export class LookupCache<T> {
  private readonly ttlMs: number;
  private readonly name: string;
  private readonly options: LookupCacheOptions<T>;
  // a Map iterates in insertion order: re-inserting on use keeps the least recently used first
  private readonly entries = new Map<string, Entry<T>>();
  private weight = 0;
  private sweptAt = -Infinity;

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
      const { refreshAfterMs } = this.options;
      if (refreshAfterMs !== undefined && cached.settled && cached.refreshing !== true && now - cached.at >= refreshAfterMs) this.refresh(key, cached, now, load, ttlMs);
      return cached.value;
    }
    if (cached) this.remove(key, cached);
    this.sweep(now);
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

  /** Reads `key` again while `current` keeps being served; the new value replaces it only if it is still the entry. */
  private refresh(key: string, current: Entry<T>, now: number, load: () => Promise<T>, ttlMs: number): void {
    current.refreshing = true;
    load().then(
      (value) => {
        current.refreshing = false;
        if (this.entries.get(key) !== current) return;
        const next: Entry<T> = { at: now, ttlMs, value: Promise.resolve(value), settled: true, weight: this.options.weigh?.(value) ?? 0 };
        this.remove(key, current);
        this.entries.set(key, next);
        this.weight += next.weight;
        this.evict();
      },
      // the value being served stays until it expires; the next read after refreshAfterMs tries again
      () => {
        current.refreshing = false;
      },
    );
  }

  private remove(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    this.weight -= entry.weight;
  }

  /** Entries kept (in flight, fresh, or expired and not yet swept). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Lets expired values go without waiting for the size bound: as "now" moves on, each minute's
   * live windows are new keys, and yesterday's responses held to the bound were a soak's heap growth.
   */
  private sweep(now: number): void {
    if (now - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now;
    for (const [key, entry] of this.entries) if (entry.settled && entry.refreshing !== true && now - entry.at >= entry.ttlMs) this.remove(key, entry);
  }

  private evict(): void {
    const { maxEntries = Infinity, maxWeight = Infinity } = this.options;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= maxEntries && this.weight <= maxWeight) return;
      this.remove(key, entry);
    }
  }
}
