// TableAnswer → Message: the wording and layout of table answers (resource logs, raw KQL, the
// activity log, quota, doctor). One data table, numbers right-aligned and formatted as figures are,
// "no data" for a missing value (never 0), ⟦ISO⟧ for times; raw KQL also carries every row as CSV.
import type { MetricUnit } from "../queries/catalog.ts";
import type { Cell, ColumnType, ResultColumn, ResultTable, TableAnswer } from "../queries/table-answer.ts";
import type { TableQuestion } from "../queries/table-questions.ts";
import { describeInZone } from "../queries/time-window.ts";
import type { FollowUp } from "./follow-up.ts";
import { formatValue, NO_DATA } from "./format.ts";
import { composeLinks } from "./compose-links.ts";
import { ANSWERED, describeRequest } from "./compose-trace.ts";
import { localTime, message, type Action, type Attachment, type Message, type Table } from "./message.ts";

export interface TableComposeOptions {
  /** What was typed: the buttons ask it again. */
  readonly asked: string;
  /** The question answered (absent for `doctor`): the "Understood:" line states it. */
  readonly question?: TableQuestion;
  /** Rows chat shows at most (`kql.maxRows`); the answer's own `shownRows` otherwise. */
  readonly maxRows?: number;
}

export const CSV_FILENAME = "kql-result.csv";

/** A cell longer than this is cut in chat (the CSV keeps it whole). */
const MAX_CELL = 200;
const NUMERIC: ReadonlySet<ColumnType> = new Set(["int", "long", "real", "decimal"]);
const DATETIME: ReadonlySet<ColumnType> = new Set(["datetime"]);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** How a numeric column reads, by its name: codes and ids as written, durations in ms, shares in %. */
const COLUMN_UNITS: readonly { readonly name: RegExp; readonly unit: MetricUnit | "as written" }[] = [
  { name: /(?:code|signature|status|id|port|year)$/i, unit: "as written" },
  { name: /(?:_ms|Ms)$/, unit: "MilliSeconds" },
  { name: /%|(?:_pct|_percent|percent|_share)$/i, unit: "Percent" },
];

/** Said for each kind when the question's window produced no rows and the answer says nothing itself. */
const NO_ROWS = "No rows in the window.";

const KIND_LABEL: Readonly<Record<TableQuestion["kind"], string>> = { logs: "resource logs", kql: "raw KQL", activity: "activity log", quota: "quota" };

export function composeTable(a: TableAnswer, o: TableComposeOptions): Message {
  const total = a.table.rows.length;
  const shown = Math.max(0, Math.min(a.shownRows, o.maxRows ?? total, total));
  const table: Table = {
    columns: a.table.columns.map((c) => c.name),
    rows: a.table.rows.slice(0, shown).map((r) => a.table.columns.map((c, i) => cell(r[i] ?? null, c))),
    more: total - shown,
    moreLabel: "rows",
    ...(total === 0 ? { empty: a.empty ?? NO_ROWS } : {}),
    data: { align: a.table.columns.map((c) => (NUMERIC.has(c.type) ? "right" : "left")) },
  };
  const lines = [...a.lines, ...(a.partial === undefined ? [] : [`⚠️ Partial result: ${a.partial}`]), ...(o.question ? [understoodTable(o.question, a)] : [])];
  const window = a.window;
  return message("answer", a.partial === undefined ? "info" : "warning", a.topic, {
    summary: total === 0 ? `${a.topic}: ${a.empty ?? NO_ROWS}` : `${a.topic}: ${String(total)} row${total === 1 ? "" : "s"}${window ? ` (${window.label})` : ""}`,
    lines,
    tables: [table],
    notes: [...new Set([...(o.question?.notes ?? []), ...a.notes])],
    footnotes: [...a.sources.map((s) => (/^sources?\b/i.test(s) ? s : `Source: ${s}`)), ...(a.statistics === undefined ? [] : [`Query statistics: ${a.statistics}`])],
    ...(window ? { window: { start: window.start, end: window.end, local: describeInZone({ start: new Date(window.start), end: new Date(window.end) }, a.zone) } } : {}),
    // an empty result has nothing to download: no file of a header (or of nothing, after a 204)
    ...(a.kind === "kql" && total > 0 ? { attachment: csvAttachment(a.table) } : {}),
    ...composeLinks(a.links),
    actions: followUps(a.kind, o.asked),
    trace: { outcome: ANSWERED, requests: a.requests.map(describeRequest) },
  });
}

/** "Understood: resource logs · failed-requests · last 10 · gpt-4o-mini · last 1 h": template, deployments and window in one line. */
export function understoodTable(q: TableQuestion, a: TableAnswer): string {
  const parts: string[] = [KIND_LABEL[q.kind]];
  if (q.kind === "logs") {
    parts.push(q.template);
    if (q.percentiles) parts.push(q.percentiles.map((p) => `p${String(p)}`).join("/"));
    if (q.streamType) parts.push(q.streamType);
    if (q.limit !== undefined) parts.push(`${q.template === "callers" || q.template === "error-codes" ? "top" : "last"} ${String(q.limit)}`);
    if (q.status) parts.push(q.status.kind === "exact" ? `status ${q.status.code}` : `status ${q.status.prefix}xx`);
  }
  if (q.kind !== "kql") parts.push(q.deployments.length > 0 ? q.deployments.join(", ") : "all deployments");
  parts.push(a.window?.label ?? windowWords(q));
  return `Understood: ${parts.join(" · ")}`;
}

/** Every row as RFC 4180 CSV (CRLF, quoted where needed), with spreadsheet formulas neutralised. */
export function tableCsv(t: ResultTable): string {
  const header = t.columns.map((c) => csvField(c.name)).join(",");
  return [header, ...t.rows.map((r) => t.columns.map((_c, i) => csvCell(r[i] ?? null)).join(","))].map((l) => `${l}\r\n`).join("");
}

function csvAttachment(t: ResultTable): Attachment {
  const rows = t.rows.length;
  return { filename: CSV_FILENAME, title: `kql result (${String(rows)} row${rows === 1 ? "" : "s"})`, csv: tableCsv(t), rows };
}

function csvCell(v: Cell): string {
  if (v === null) return "";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return csvField(v);
}

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, and a leading tab or CR) starts with
 * an apostrophe; numbers stay numbers. Quoted when it holds a comma, a quote or a line break.
 */
function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A text column without a value (an account-level event has no deployment): not applicable, not missing data. */
const NOT_APPLICABLE = "—";

function cell(v: Cell, c: ResultColumn): string {
  // only a missing figure is "no data"; a figure is never shown as 0 for it
  if (v === null) return c.type === "string" ? NOT_APPLICABLE : NO_DATA;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") {
    const unit = COLUMN_UNITS.find((u) => u.name.test(c.name))?.unit ?? "Count";
    return unit === "as written" ? String(v) : formatValue(v, unit);
  }
  if ((DATETIME.has(c.type) || c.type === "string") && ISO_INSTANT.test(v)) return localTime(v);
  // ⟦…⟧ is the time markup: a value that holds it is shown, not read as a time
  const plain = v.replace(/⟦/g, "[").replace(/⟧/g, "]");
  return plain.length <= MAX_CELL ? plain : `${plain.slice(0, MAX_CELL - 1)}…`;
}

function followUps(kind: TableAnswer["kind"], asked: string): Action[] {
  const refresh = action("Refresh", { kind: "refresh", text: asked });
  // raw KQL brings its own time filters, and doctor has no window: they are only run again
  if (kind === "kql" || kind === "doctor") return [refresh];
  return [action("1h", { kind: "window", text: asked, minutes: 60 }), action("24h", { kind: "window", text: asked, minutes: 1440 }), action("7d", { kind: "window", text: asked, minutes: 10080 }), refresh];
}

function action(label: string, followUp: FollowUp): Action {
  return { label, followUp };
}

function windowWords(q: TableQuestion): string {
  const w = q.window;
  return w.kind === "relative" ? `last ${String(w.minutes)} min` : w.kind;
}
