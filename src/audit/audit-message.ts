// Audit rows → the Message chat and `aoai audit` show: one data table, newest first, with who asked
// what where, how it ended and how long it took. The question is shown cut short; the row keeps more.
import { localTime, message, type Message } from "../bot/message.ts";
import type { AuditRow } from "../store/audit-row.ts";

export const AUDIT_COLUMNS = ["time", "platform", "where", "who", "command", "question", "outcome", "ms"] as const;
const ALIGN = ["left", "left", "left", "left", "left", "left", "left", "right"] as const;
/** Outcomes that are refusals by the access rules: the row says which rule refused. */
const DENIALS: ReadonlySet<string> = new Set(["access_denied", "kql_not_allowed"]);
/** A question longer than this is cut in the table. */
const QUESTION_CELL = 80;
const NONE = "—";

export interface AuditView {
  readonly rows: readonly AuditRow[];
  /** The span asked for ("24h") and where it starts. */
  readonly since: string;
  readonly from: Date;
  /** More rows than shown were found. */
  readonly more: boolean;
  readonly retentionDays: number;
  /** The zone text shows times in (the CLI's configured zone); chat shows each reader's own. */
  readonly zone?: string;
}

export function auditMessage(v: AuditView): Message {
  const n = v.rows.length;
  const title = `Audit log — last ${v.since}`;
  return message("answer", "info", title, {
    summary: `${title}: ${String(n)}${v.more ? "+" : ""} turn${n === 1 ? "" : "s"}`,
    lines: [`${String(n)} turn${n === 1 ? "" : "s"} since ${localTime(v.from.toISOString())}, newest first.${v.more ? " There are more: `--limit` shows more, `--since` a shorter span." : ""}`],
    tables: [{ columns: AUDIT_COLUMNS, rows: v.rows.map(cells), more: 0, empty: "Nothing was asked in that span.", data: { align: ALIGN } }],
    footnotes: [`Rows are kept ${String(v.retentionDays)} days (\`audit.retentionDays\`).`],
    ...(v.zone === undefined ? {} : { zone: v.zone }),
  });
}

function cells(r: AuditRow): string[] {
  const where = [r.workspace, r.team, r.channel].filter((p) => p !== undefined && p !== "").join(" / ");
  const who = r.user === undefined ? NONE : r.org === undefined ? r.user : `${r.user} (of ${r.org})`;
  const outcome = [r.outcome, ...(DENIALS.has(r.outcome) && r.decidedBy ? [`by ${r.decidedBy}`] : []), ...(r.reference ? [`ref ${r.reference}`] : [])].join(" · ");
  return [localTime(new Date(r.at).toISOString()), r.platform, where || NONE, who, r.command, clip(oneLine(r.question), QUESTION_CELL), outcome, String(r.durationMs)];
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function clip(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join("")}…`;
}
