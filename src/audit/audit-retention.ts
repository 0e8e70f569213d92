// How long audit rows are kept (`audit.retentionDays`, AOAI_AUDIT_RETENTION_DAYS; 30 days by
// default), and the purge that deletes older ones: once at start, every hour, and every
// PURGE_EVERY_ROWS rows written (a busy bot does not wait for the hour).
import { z } from "zod";
import type { Logger } from "../log/logger.ts";
import type { Store } from "../store/store.ts";

export const DEFAULT_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 3650;
export const PURGE_EVERY_MS = 3_600_000;
export const PURGE_EVERY_ROWS = 1_000;
const DAY_MS = 86_400_000;

export const retentionDays = z.number().int().min(1).max(MAX_RETENTION_DAYS);
/** The `audit:` key of the configuration file. */
export const AuditConfigSchema = z.strictObject({ retentionDays: retentionDays.default(DEFAULT_RETENTION_DAYS) });

export interface AuditSettings {
  readonly retentionDays: number;
}

export type AuditStore = Pick<Store, "appendAudit" | "auditSince" | "purgeAudit">;

export interface RetentionOptions {
  readonly store: Pick<Store, "purgeAudit">;
  readonly retentionDays: number;
  readonly logger: Logger;
  /** Epoch ms (default Date.now); tests move it on. */
  readonly clock?: () => number;
}

export class AuditRetention {
  private readonly o: RetentionOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(options: RetentionOptions) {
    this.o = options;
  }

  /** Deletes rows older than the retention; never throws (a failed purge is tried again next time). Concurrent calls share one purge. */
  purge(): Promise<number> {
    this.running ??= this.purgeOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Purges now and then every hour; the timer keeps no process alive. */
  start(): void {
    if (this.timer) return;
    void this.purge();
    this.timer = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.timer.unref();
  }

  /** Stops the timer and waits for a purge under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async purgeOnce(): Promise<number> {
    const before = (this.o.clock ?? Date.now)() - this.o.retentionDays * DAY_MS;
    try {
      const n = await this.o.store.purgeAudit(before);
      if (n > 0) this.o.logger.info({ purged: n, before: new Date(before).toISOString() }, "audit rows past retention deleted");
      return n;
    } catch (err) {
      this.o.logger.warn({ err }, "audit purge failed; tried again later");
      return 0;
    }
  }
}
