// The audit log's writer: a TurnObserver that appends a row for every finished turn (question,
// command, button press, denial, schedule change, raw query). The answer never waits for it, and a
// store that fails costs the row (logged as a warning), never the answer.
import type { Turn, TurnObserver } from "../bot/conversation.ts";
import type { Logger } from "../log/logger.ts";
import type { Store } from "../store/store.ts";
import { auditRowOf } from "./audit-row-of.ts";
import { PURGE_EVERY_ROWS, type AuditRetention } from "./audit-retention.ts";

export interface RecorderOptions {
  readonly store: Pick<Store, "appendAudit">;
  readonly logger: Logger;
  /** Secret values to scrub from questions besides the known token shapes (redact.ts secretValues). */
  readonly secrets?: readonly string[];
  /** Purged every `purgeEveryRows` rows written (default PURGE_EVERY_ROWS). */
  readonly retention?: AuditRetention;
  readonly purgeEveryRows?: number;
  readonly clock?: () => number;
}

export class AuditRecorder {
  private readonly o: RecorderOptions;
  private readonly pending = new Set<Promise<void>>();
  private written = 0;

  constructor(options: RecorderOptions) {
    this.o = options;
  }

  /** The observer to hand to Conversation.observe. */
  readonly observer: TurnObserver = (turn) => {
    this.record(turn);
  };

  record(turn: Turn): void {
    let work: Promise<void>;
    try {
      const row = auditRowOf(turn, (this.o.clock ?? Date.now)(), this.o.secrets);
      // on a later turn of the event loop: SQLite writes synchronously (and may wait for another
      // process's lock), and the answer is on its way to the person first
      work = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.o.store.appendAudit(row))
        .then(() => {
          this.wrote();
        });
    } catch (err) {
      work = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const tracked = work.catch((err: unknown) => {
      this.o.logger.warn({ err, command: turn.command, platform: turn.place.platform }, "audit row not written");
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /** Resolves once every row handed in so far is written or given up (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private wrote(): void {
    if (++this.written % (this.o.purgeEveryRows ?? PURGE_EVERY_ROWS) === 0) void this.o.retention?.purge();
  }
}
