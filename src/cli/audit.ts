// `aoai audit [--since 24h] [--limit N] [--json]`: the audit log from the store the bot writes to
// (DATABASE_URL or the SQLite file), newest first, as the chat `audit` command shows it.
import { readLimit, readSince, DEFAULT_SINCE } from "../audit/audit-args.ts";
import { auditMessage } from "../audit/audit-message.ts";
import type { Config } from "../app/config.ts";
import { renderText } from "../bot/render-text.ts";
import { openStore } from "../store/open-store.ts";

export const CLI_DEFAULT_LIMIT = 200;
export const CLI_MAX_LIMIT = 100_000;

export interface AuditCliOptions {
  readonly since?: string;
  readonly limit?: string;
  readonly json: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly clock?: () => number;
}

/** Prints the rows; throws AuditArgsError (a usage error) for a span or limit it cannot read. */
export async function printAudit(config: Config, o: AuditCliOptions, out: (s: string) => void): Promise<void> {
  const since = o.since ?? DEFAULT_SINCE;
  const sinceMs = readSince(since);
  const limit = o.limit === undefined ? CLI_DEFAULT_LIMIT : readLimit(o.limit, CLI_MAX_LIMIT);
  const from = new Date((o.clock ?? Date.now)() - sinceMs);
  const store = openStore(o.env);
  try {
    const found = await store.auditSince(from.getTime(), limit + 1);
    const rows = found.slice(0, limit);
    const more = found.length > limit;
    if (o.json) {
      out(JSON.stringify({ since: from.toISOString(), more, rows: rows.map((r) => ({ ...r, time: new Date(r.at).toISOString() })) }, null, 2));
      return;
    }
    // times as ISO instants: a terminal has no reader's zone, and a log is read to the second
    out(renderText(auditMessage({ rows, since, from, more, retentionDays: config.audit.retentionDays })));
  } finally {
    await store.close();
  }
}
