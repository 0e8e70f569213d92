// A data table (log rows, quota, a kql result) as Slack lays it out: a `table` block (100 rows with
// the header, 20 columns, ~10,000 characters across its cells, one a message), or aligned text in a
// preformatted rich_text block where a table block can't go. Cells are shown as Azure sent them: plain
// text (raw_text), figures in right-aligned columns raw_number, and only a cell that is one ⟦ISO⟧ a
// rich_text date element Slack shows in the reader's zone; message markup (**bold**, `code`) is not
// read in a cell. None of these is mrkdwn: Slack reads no *, _, ~, backticks, <!channel>, <url|text> or
// &entities in raw_text or in a rich_text text element (mentions and links are elements of their own),
// so nothing is escaped here; escaping would show "&lt;" to the reader.
import type { RawNumberElement, RawTextElement, RichTextBlock, RichTextElement, TableBlock } from "@slack/types";
import { cellInstant } from "../../bot/data-cell.ts";
import { LEFT_OUT, type Table } from "../../bot/message.ts";
import { alignedColumns } from "../../bot/render-text.ts";

export const SLACK_TABLE_LIMITS = { rows: 100, columns: 20, chars: 10_000, preformattedChars: 3_000, cellChars: 1_000 } as const;

type Align = "left" | "right";
type Cell = RawTextElement | RawNumberElement | RichTextBlock;

/** What a layout kept: the block, and how many data rows and columns of the table it shows. */
export interface LaidOut<B> {
  readonly block: B;
  readonly rows: number;
  readonly columns: number;
}

/** The table as one `table` block, cut to Slack's limits (the caller says what was left out). */
export function tableBlock(t: Table, align: readonly Align[]): LaidOut<TableBlock> {
  const columns = t.columns.slice(0, SLACK_TABLE_LIMITS.columns);
  const seconds = columns.map((_, i) => t.rows.some((r) => hasSeconds(r[i] ?? "")));
  const header: Cell[] = columns.map((c) => ({ type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "text", text: clip(c) || " ", style: { bold: true } }] }] }));
  let chars = columns.reduce((n, c) => n + c.length, 0);
  const rows: Cell[][] = [header];
  for (const r of t.rows.slice(0, SLACK_TABLE_LIMITS.rows - 1)) {
    const cells = columns.map((_, i) => clip(r[i] ?? ""));
    chars += cells.reduce((n, c) => n + c.length, 0);
    if (chars > SLACK_TABLE_LIMITS.chars) break;
    rows.push(cells.map((c, i) => cell(c, align[i] ?? "left", seconds[i] ?? false)));
  }
  const block: TableBlock = { type: "table", column_settings: columns.map((_, i) => ({ align: align[i] ?? "left" })), rows };
  return { block, rows: rows.length - 1, columns: columns.length };
}

/** The table as aligned text, cells as written (times as UTC instants: preformatted text has no date element). */
export function preformattedTable(t: Table, align: readonly Align[]): LaidOut<RichTextBlock> {
  const { text, rows } = aligned([t.columns, ...t.rows.map((r) => t.columns.map((_, i) => plain(r[i] ?? "")))], align);
  return { block: preformatted(text), rows, columns: t.columns.length };
}

/** A table block Slack refused, as the same rows in aligned text (read back from its cells). */
export function tableAsPreformatted(block: TableBlock): RichTextBlock {
  const align = (block.column_settings ?? []).map((s): Align => (s.align === "right" ? "right" : "left"));
  const rows = block.rows.map((r) => r.map(cellText));
  const { text, rows: shown } = aligned(rows, align);
  const cut = rows.length - 1 - shown;
  return preformatted(cut > 0 ? `${text}\n${LEFT_OUT.rows(cut)}` : text);
}

/** Said under a table that had more columns than Slack shows. */
export function columnsLeftOut(names: readonly string[]): string {
  return `${names.length} more column${names.length === 1 ? "" : "s"} not shown (a Slack table holds ${SLACK_TABLE_LIMITS.columns}): ${names.join(", ")}`;
}

function cell(text: string, align: Align, seconds: boolean): Cell {
  const iso = cellInstant(text);
  if (iso !== undefined) return { type: "rich_text", elements: [{ type: "rich_text_section", elements: [date(iso, seconds)] }] };
  const value = align === "right" ? numberIn(text) : undefined;
  // Slack refuses an empty cell text
  return value === undefined ? { type: "raw_text", text: text || " " } : { type: "raw_number", value, text };
}

/** A time in the reader's zone; seconds shown when the column's times have them (log rows do). */
function date(iso: string, seconds: boolean): RichTextElement {
  return { type: "date", timestamp: Math.floor(Date.parse(iso) / 1000), format: `{date_short_pretty} ${seconds ? "{time_secs}" : "{time}"}`, fallback: iso };
}

function hasSeconds(text: string): boolean {
  const iso = cellInstant(text);
  return iso !== undefined && Date.parse(iso) % 60_000 !== 0;
}

/** "1,204 ms", "95.7 %", "−3", "4,727" → the number; words ("no data", "provisioned") → undefined. */
function numberIn(text: string): number | undefined {
  const m = /^([−-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(?:%|[a-zA-Zµ/]+))?$/.exec(text.trim());
  if (!m) return undefined;
  const value = Number(`${m[1] ? "-" : ""}${(m[2] ?? "").replace(/,/g, "")}${m[3] ?? ""}`);
  return Number.isFinite(value) ? value : undefined;
}

/** A cell as written; a time as its instant. */
function plain(text: string): string {
  return cellInstant(text) ?? text;
}

function cellText(c: Cell): string {
  if (c.type !== "rich_text") return c.text.trim();
  const inline = c.elements.flatMap((e): RichTextElement[] => (e.type === "rich_text_section" || e.type === "rich_text_preformatted" ? e.elements : []));
  return inline.map((e) => (e.type === "text" ? e.text : e.type === "date" ? (e.fallback ?? new Date(e.timestamp * 1000).toISOString()) : "")).join("").trim();
}

/** Header and as many rows as fit the preformatted budget, aligned; `rows` counts the data rows kept. */
function aligned(rows: readonly (readonly string[])[], align: readonly Align[]): { text: string; rows: number } {
  let lines = alignedColumns(rows, align);
  while (lines.length > 1 && lines.join("\n").length > SLACK_TABLE_LIMITS.preformattedChars) lines = alignedColumns(rows.slice(0, lines.length - 1), align);
  return { text: lines.join("\n").slice(0, SLACK_TABLE_LIMITS.preformattedChars), rows: lines.length - 1 };
}

function preformatted(text: string): RichTextBlock {
  return { type: "rich_text", elements: [{ type: "rich_text_preformatted", elements: [{ type: "text", text: text || " " }] }] };
}

function clip(text: string): string {
  return text.length <= SLACK_TABLE_LIMITS.cellChars ? text : `${text.slice(0, SLACK_TABLE_LIMITS.cellChars - 1)}…`;
}
