// Exactly-once answers for Slack deliveries, cheap on the acknowledgement path: a redelivery this
// replica has already seen is refused from memory (no store round trip, no synchronous SQLite
// commit); the store's claim, which settles it between replicas, runs only after the event loop
// has had a turn to acknowledge the other requests waiting on it.
import type { Logger } from "../../log/logger.ts";
import type { Store } from "../../store/store.ts";

/** A burst far beyond any real workspace's; past it the oldest keys are forgotten (the store still has them). */
const MAX_LOCAL_KEYS = 100_000;

export class DeliveryClaims {
  private readonly store: Store;
  private readonly ttlMs: number;
  private readonly log: Logger;
  /** key → expiry (ms); insertion order is expiry order, so pruning reads from the front. */
  private readonly local = new Map<string, number>();

  constructor(store: Store, ttlMs: number, log: Logger) {
    this.store = store;
    this.ttlMs = ttlMs;
    this.log = log;
  }

  /** Synchronous: false when this replica already took `key` (a retry, a double submit). */
  takeLocally(key: string): boolean {
    const now = Date.now();
    this.prune(now);
    if ((this.local.get(key) ?? 0) > now) return false;
    this.local.delete(key);
    this.local.set(key, now + this.ttlMs);
    return true;
  }

  /**
   * True unless another delivery of `key` was claimed first, here or on another replica; true as
   * well when the store can't say (a rare duplicate answer is better than a silent bot).
   */
  async first(key: string): Promise<boolean> {
    if (!this.takeLocally(key)) return false;
    // the store's write waits for the loop's next turn: the acks of requests already read go out first
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      return await this.store.claimOnce(key, this.ttlMs);
    } catch (err) {
      this.log.warn({ key, err }, "store unavailable, answering without a dedupe record");
      return true;
    }
  }

  private prune(now: number): void {
    for (const [key, expires] of this.local) {
      if (expires > now && this.local.size <= MAX_LOCAL_KEYS) return;
      this.local.delete(key);
    }
  }
}
