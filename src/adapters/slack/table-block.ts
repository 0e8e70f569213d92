// A data table (log rows, quota, a kql result) as Slack lays it out: a `table` block (100 rows with
// the header, 20 columns, ~10,000 characters across its cells, one a message), or aligned text in a
// preformatted rich_text block where a table block can't go. Cells are plain text (raw_text), figures
// in right-aligned columns raw_number, and cells with markup rich_text (**bold**, `code`, ⟦ISO⟧ as a
// date element Slack shows in the reader's zone). Text from Azure is literal here: no mrkdwn escaping.
import type { RawNumberElement, RawTextElement, RichTextBlock, RichTextElement, TableBlock } from "@slack/types";
import { LEFT_OUT, LOCAL_TIME, type Table } from "../../bot/message.ts";
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

/** The table as aligned text (times as UTC instants: preformatted text has no date element). */
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
  if (MARKUP.test(text)) return { type: "rich_text", elements: [{ type: "rich_text_section", elements: rich(text, seconds) }] };
  const value = align === "right" ? numberIn(text) : undefined;
  // Slack refuses an empty cell text
  return value === undefined ? { type: "raw_text", text: text || " " } : { type: "raw_number", value, text };
}

const MARKUP = /\*\*.+?\*\*|`[^`]*`|⟦[^⟧]+⟧/;
const SEGMENT = /\*\*(.+?)\*\*|`([^`]*)`|⟦([^⟧]+)⟧/g;

/** **bold**, `code` and ⟦ISO⟧ as rich text elements; the text between them as it is. */
function rich(text: string, seconds: boolean): RichTextElement[] {
  const out: RichTextElement[] = [];
  let at = 0;
  for (const m of text.matchAll(SEGMENT)) {
    if (m.index > at) out.push({ type: "text", text: text.slice(at, m.index) });
    const [, bold, code, iso] = m;
    if (bold !== undefined) out.push({ type: "text", text: bold, style: { bold: true } });
    else if (code !== undefined) { if (code !== "") out.push({ type: "text", text: code, style: { code: true } }); }
    else if (iso !== undefined) out.push(date(iso, seconds));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ type: "text", text: text.slice(at) });
  return out.length > 0 ? out : [{ type: "text", text: " " }];
}

/** A time in the reader's zone; seconds shown when the column's times have them (log rows do). */
function date(iso: string, seconds: boolean): RichTextElement {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return { type: "text", text: iso };
  return { type: "date", timestamp: Math.floor(ms / 1000), format: `{date_short_pretty} ${seconds ? "{time_secs}" : "{time}"}`, fallback: iso };
}

function hasSeconds(text: string): boolean {
  for (const [, iso = ""] of text.matchAll(LOCAL_TIME)) {
    const ms = Date.parse(iso);
    if (!Number.isNaN(ms) && ms % 60_000 !== 0) return true;
  }
  return false;
}

/** "1,204 ms", "95.7 %", "−3", "4,727" → the number; words ("no data", "provisioned") → undefined. */
function numberIn(text: string): number | undefined {
  const m = /^([−-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(?:%|[a-zA-Zµ/]+))?$/.exec(text.trim());
  if (!m) return undefined;
  const value = Number(`${m[1] ? "-" : ""}${(m[2] ?? "").replace(/,/g, "")}${m[3] ?? ""}`);
  return Number.isFinite(value) ? value : undefined;
}

/** The text a reader sees of a cell, without markup; times as the UTC instant. */
function plain(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, "$1").replace(/`([^`]*)`/g, "$1").replace(LOCAL_TIME, (_m, iso: string) => iso);
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
