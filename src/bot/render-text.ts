// Message → plain text, for the console, `aoai ask` and `aoai report --print`. Lays out and never
// rewords: the words come from the Message.
import { DateTime } from "luxon";
import { cellInstant } from "./data-cell.ts";
import { heading, LEFT_OUT, LOCAL_TIME, type Figure, type Message, type Table } from "./message.ts";
import { sparkline } from "./sparkline.ts";

export function renderText(m: Message): string {
  const w = m.window;
  const out = [`${heading(m)}${w ? ` (${w.local ?? `${w.start}/${w.end}`})` : ""}`];
  const plain = (text: string) => plainIn(text, m.zone);
  for (const l of m.lines) out.push(`  ${plain(l)}`);
  for (const f of m.figures) out.push(...figure(f));
  for (const t of m.tables) out.push(...table(t, m.zone));
  for (const n of m.notes) out.push(`note: ${plain(n)}`);
  // only what can be typed back is worth listing: clickable examples, not window buttons
  const typed = m.actions.filter((a) => a.followUp.kind === "ask");
  if (typed.length > 0) {
    if (m.actionsTitle) out.push(`  ${plain(m.actionsTitle)}`);
    for (const a of typed) out.push(`    ${a.followUp.text}`);
  }
  for (const f of m.footnotes) out.push(`  ${plain(f)}`);
  out.push(...links(m));
  return out.join("\n");
}

/** "Open in Azure portal: https://…": a terminal shows the whole URL, to click or copy. */
function links(m: Message): string[] {
  return (m.links ?? []).map((l) => `  ${l.label}: ${l.url}`);
}

function figure(f: Figure): string[] {
  if (f.error) return ["", `${f.label}: ${f.text} — ${f.error}`, `  source: ${f.source}`];
  const comparison = [f.change, f.baseline].filter((s) => s !== undefined && s !== "").join(" ");
  const out = ["", `${f.label}: ${f.text}${f.value === null ? " " : "  "}${comparison}`.trimEnd()];
  const spark = f.series ? sparkline(f.series.points.map((p) => p.value)) : "";
  if (spark.trim().length > 0) out.push(`  ${spark}`);
  if (f.breakdown) out.push(...breakdown(f.breakdown));
  out.push(`  source: ${f.source}`);
  return out;
}

/** A figure's split: key, value and change under the figure it splits. */
function breakdown(t: Table): string[] {
  if (t.rows.length === 0) return [`  ${t.title ?? ""}: ${t.empty ?? ""}`];
  // the change follows its value unpadded, as people read "120  ▲ +20.0 %"
  const aligned = columns(t.rows.map((r) => r.slice(0, 2)));
  const out = [`  ${t.title ?? ""}:`, ...aligned.map((r, i) => `    ${r}${t.rows[i]?.[2] ? `  ${t.rows[i]?.[2] ?? ""}` : ""}`)];
  if (t.more > 0) out.push(`    ${LEFT_OUT.rows(t.more, t.moreLabel)}`);
  return out;
}

/** A report's table, or a data table (log rows, quota) aligned as its columns say, its cells as written. */
function table(t: Table, zone: string | undefined): string[] {
  const out = t.title ? [`  ${plainIn(t.title, zone)}:`] : [];
  if (t.rows.length === 0) return [...out, `    ${t.empty ?? ""}`];
  const cell = t.data ? (c: string) => dataCell(c, zone) : (c: string) => plainIn(c, zone);
  const rows = [t.columns, ...t.rows.map((r) => r.map(cell))];
  out.push(...(t.data ? alignedColumns(rows, t.data.align) : columns(rows)).map((r) => `    ${r}`));
  if (t.more > 0) out.push(`    ${LEFT_OUT.rows(t.more, t.moreLabel)}`);
  return out;
}

/** First column left-aligned, the figures right-aligned; empty trailing cells leave no spaces. */
function columns(rows: readonly (readonly string[])[]): string[] {
  return alignedColumns(rows, ["left"]);
}

/**
 * Rows padded into columns two spaces apart, each column aligned as `align` says (columns past its
 * end are right-aligned figures); trailing spaces are trimmed. Slack's preformatted tables use it too.
 */
export function alignedColumns(rows: readonly (readonly string[])[], align: readonly ("left" | "right")[]): string[] {
  const count = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: count }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => ((align[i] ?? "right") === "left" ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ").trimEnd());
}

/**
 * **bold** → plain, ⟦ISO⟧ → the time in the message's zone ("Sun 29 Nov 15:00 Europe/Berlin"), or the
 * instant as written when it names none (a terminal has no reader's zone to show).
 */
function plainIn(text: string, zone: string | undefined): string {
  return text.replace(/\*\*/g, "").replace(LOCAL_TIME, (_m, iso: string) => timeIn(iso, zone));
}

/** A data table's cell exactly as Azure sent it (a caller `10.1.4.***` keeps its asterisks); a cell that is one ⟦ISO⟧ is a time. */
function dataCell(text: string, zone: string | undefined): string {
  const iso = cellInstant(text);
  return iso === undefined ? text : timeIn(iso, zone);
}

function timeIn(iso: string, zone: string | undefined): string {
  const at = zone === undefined ? undefined : DateTime.fromISO(iso, { zone });
  return at?.isValid ? `${at.toFormat("ccc d LLL HH:mm")} ${zone ?? ""}` : iso;
}
