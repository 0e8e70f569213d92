// Lookups planning depends on (deployments, dimension values), trusted for a while per key: a burst
// of questions reads them once, concurrent questions share one request, and a failed read is not kept.

export class LookupCache<T> {
  private readonly ttlMs: number;
  private readonly entries = new Map<string, { readonly at: number; readonly value: Promise<T> }>();

  constructor(ttlMs: number) {
    this.ttlMs = ttlMs;
  }

  get(key: string, now: number, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    const entry = { at: now, value: load() };
    this.entries.set(key, entry);
    // a newer lookup that replaced this one stays
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }
}
