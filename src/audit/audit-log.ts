// The audit log as a process wires it: the recorder (every turn's row), the retention purge and
// the `audit` command row, over one store.
import type { Command } from "../bot/commands/command.ts";
import type { Logger } from "../log/logger.ts";
import { auditCommand } from "./audit-command.ts";
import { AuditRecorder } from "./audit-recorder.ts";
import { AuditRetention, type AuditStore } from "./audit-retention.ts";

export interface AuditLogOptions {
  readonly store: AuditStore;
  readonly retentionDays: number;
  readonly logger: Logger;
  /** Secret values to scrub from questions (redact.ts secretValues of the process's environment). */
  readonly secrets?: readonly string[];
  readonly clock?: () => number;
  /** Rows written between purges besides the hourly one (default PURGE_EVERY_ROWS). */
  readonly purgeEveryRows?: number;
}

export class AuditLog {
  readonly recorder: AuditRecorder;
  readonly retention: AuditRetention;
  readonly command: Command;

  constructor(o: AuditLogOptions) {
    const logger = o.logger.child({ component: "audit" });
    const clock = o.clock ?? Date.now;
    this.retention = new AuditRetention({ store: o.store, retentionDays: o.retentionDays, logger, clock });
    this.recorder = new AuditRecorder({ store: o.store, logger, retention: this.retention, clock, ...(o.secrets ? { secrets: o.secrets } : {}), ...(o.purgeEveryRows === undefined ? {} : { purgeEveryRows: o.purgeEveryRows }) });
    this.command = auditCommand({ reader: o.store, retentionDays: o.retentionDays, clock, pending: () => this.recorder.flush() });
  }

  /** Purges now and every hour. */
  start(): this {
    this.retention.start();
    return this;
  }

  /** Rows handed in so far written (or given up) and no purge running: safe to close the store. */
  async stop(): Promise<void> {
    await this.retention.stop();
    await this.recorder.flush();
  }
}
