// "audit [--since 24h] [--limit 20]" as a row of the conversation's command table, for those the
// access rules allow `audit` (the console and playground by default). It reads the store through
// the AuditReader the app layer hands it.
import type { Command } from "../bot/commands/command.ts";
import { composeReply } from "../bot/compose.ts";
import type { AuditRow } from "../store/audit-row.ts";
import { readAuditArgs } from "./audit-args.ts";
import { auditMessage } from "./audit-message.ts";

export interface AuditReader {
  auditSince(sinceMs: number, limit: number): Promise<readonly AuditRow[]>;
}

export const AUDIT_USAGE: readonly string[] = ["Audit log (for those allowed `audit`): `audit --since 24h` lists who asked what, where, and how it ended; `--since 7d`, `--limit 50`."];
/** Rows chat shows by default, and at most. */
export const CHAT_DEFAULT_LIMIT = 20;
export const CHAT_MAX_LIMIT = 100;

export interface AuditCommandOptions {
  readonly reader: AuditReader;
  readonly retentionDays: number;
  readonly clock?: () => number;
  /** Waits for rows still being written, so `audit` typed right after a question lists it. */
  readonly pending?: () => Promise<void>;
}

export function auditCommand(o: AuditCommandOptions): Command {
  return {
    name: "audit",
    words: ["audit"],
    waitsOnAzure: false,
    access: "audit",
    usage: AUDIT_USAGE,
    run: async ({ text, args, bot }) => {
      let query;
      try {
        query = readAuditArgs(args, { defaultLimit: CHAT_DEFAULT_LIMIT, maxLimit: CHAT_MAX_LIMIT });
      } catch (err) {
        return composeReply(bot.failure(err, text), text);
      }
      await o.pending?.();
      const from = (o.clock ?? Date.now)() - query.sinceMs;
      // one row past the limit says whether there are more
      const rows = await o.reader.auditSince(from, query.limit + 1);
      return auditMessage({ rows: rows.slice(0, query.limit), since: query.since, from: new Date(from), more: rows.length > query.limit, retentionDays: o.retentionDays });
    },
  };
}
