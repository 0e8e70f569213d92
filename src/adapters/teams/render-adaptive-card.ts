// Message → Adaptive Card 1.5 for Teams, for answers and reports alike, with a text fallback. Buttons
// use Action.Execute (Universal Actions, the card is updated in place) and fall back to Action.Submit
// on older clients. Cards stay under 28 KB: table rows, then sparklines, then whole figures are cut,
// saying what was left out; charts (chart-element.ts, after the figures) step down first and are
// dropped before any figure is. Data tables (log rows, quota, kql) are a Table with a header row, column
// widths from their content and each column aligned as the Message says; they keep more rows than a
// breakdown does (up to 50), and Teams takes no file: the rows shown are the answer. Their cells are
// shown as Azure sent them (see dataCell). Lays out only; the words come from the Message.
import { cellInstant } from "../../bot/data-cell.ts";
import { encodeFollowUp } from "../../bot/follow-up.ts";
import { gist, heading, LEFT_OUT, LOCAL_TIME, windowLine, type Action, type Figure, type Link, type Message, type Table, type Tone } from "../../bot/message.ts";
import { renderText } from "../../bot/render-text.ts";
import { sparkline } from "../../bot/sparkline.ts";
import { chartElements, NO_PICTURES, withChartLevels, type ChartLevel, type ChartPictures } from "./chart-element.ts";

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
export const MAX_CARD_BYTES = 28 * 1024;
/** The verb every button sends; its data says what to do. */
export const FOLLOW_UP_VERB = "aoai.followUp";

type Element = Record<string, unknown>;

export interface AdaptiveCard {
  readonly type: "AdaptiveCard";
  readonly $schema: string;
  readonly version: "1.5";
  readonly fallbackText: string;
  readonly body: Element[];
  readonly actions: Element[];
  readonly msteams?: { readonly width: "Full" };
}

interface Budget {
  readonly rows: number;
  /** Rows of a data table (a breakdown's rows are `rows`). */
  readonly dataRows: number;
  readonly sparklines: boolean;
  readonly figures: number;
}

// the first steps cut only data-table rows, five at a time (a literal cell costs a RichTextBlock), so
// a message without one renders as it always did
const BUDGETS: readonly Budget[] = [
  { rows: 15, dataRows: 50, sparklines: true, figures: 20 },
  { rows: 15, dataRows: 45, sparklines: true, figures: 20 },
  { rows: 15, dataRows: 40, sparklines: true, figures: 20 },
  { rows: 15, dataRows: 35, sparklines: true, figures: 20 },
  { rows: 15, dataRows: 30, sparklines: true, figures: 20 },
  { rows: 10, dataRows: 20, sparklines: true, figures: 20 },
  { rows: 5, dataRows: 15, sparklines: true, figures: 20 },
  { rows: 5, dataRows: 10, sparklines: false, figures: 10 },
  { rows: 3, dataRows: 5, sparklines: false, figures: 5 },
  { rows: 0, dataRows: 0, sparklines: false, figures: 2 },
];

const TITLE_COLOR: Readonly<Record<Tone, string>> = { info: "Default", ok: "Default", working: "Default", warning: "Attention", firing: "Attention", error: "Attention", resolved: "Good" };
/** Teams shows up to six buttons on a card. */
const MAX_ACTIONS = 6;

/** `pictures`: PNG data URIs of the message's charts, for clients that can't draw chart elements. */
export function renderAdaptiveCard(m: Message, pictures: ChartPictures = NO_PICTURES): AdaptiveCard {
  for (const [budget, level] of withChartLevels(BUDGETS, m.charts ?? [])) {
    const card = build(m, budget, level, pictures);
    if (Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES) return card;
  }
  // only pathological text gets here (a note or error text of tens of KB): send the gist
  const all = renderText(m);
  return shell(clip(gist(m), 2000), [text(clip(all, 8000))], []);
}

function build(m: Message, budget: Budget, level: ChartLevel | undefined, pictures: ChartPictures): AdaptiveCard {
  const color = TITLE_COLOR[m.tone];
  const body: Element[] = [text(card(heading(m)), { weight: "Bolder", size: "Medium", ...(color === "Default" ? {} : { color }) })];
  for (const l of m.lines) body.push(text(card(l)));
  for (const f of m.figures.slice(0, budget.figures)) body.push(...figure(f, budget));
  if (m.figures.length > budget.figures) body.push(text(LEFT_OUT.figures(m.figures.length - budget.figures), { isSubtle: true }));
  body.push(...chartElements(m.charts ?? [], level, pictures));
  for (const t of m.tables) body.push(...(t.data ? dataTable(t, t.data.align, budget.dataRows) : table(t, budget.rows)));
  for (const n of m.notes) body.push(text(card(n), { isSubtle: true, size: "Small" }));
  if (m.window) body.push(text(card(windowLine(m.window)), { isSubtle: true, size: "Small" }));
  for (const f of m.footnotes) body.push(text(card(f), { isSubtle: true, size: "Small", spacing: "None" }));
  body.push(...linkSet(m.links ?? []));
  // a card's actions sit at its foot, so what they are is said last in the body
  const actions = m.actions.slice(0, MAX_ACTIONS).map(action).filter((a) => a !== undefined);
  if (m.actionsTitle && actions.length > 0) body.push(text(card(m.actionsTitle), { isSubtle: true }));
  return shell(gist(m), body, actions);
}

function figure(f: Figure, budget: Budget): Element[] {
  if (f.error) return [text(`**${f.label}**: ${f.text} — ${f.error}`), text(f.source, { isSubtle: true, size: "Small" })];
  const comparison = [f.change, f.baseline].filter((s) => s !== undefined && s !== "").join(" ");
  const out: Element[] = [text(`**${f.label}**: **${f.text}**  ${comparison}`, { spacing: "Medium" })];
  const spark = f.series ? sparkline(f.series.points.map((p) => p.value)) : "";
  if (budget.sparklines && spark.trim()) out.push(text(spark, { fontType: "Monospace", spacing: "None" }));
  if (f.breakdown) out.push(...table(f.breakdown, budget.rows));
  out.push(text(f.source, { isSubtle: true, size: "Small", spacing: "None" }));
  return out;
}

/** Every table, a figure's split or a report's, is a Table element with a header row. */
function table(t: Table, maxRows: number): Element[] {
  if (t.rows.length === 0) return t.empty ? [text(card(`${t.title ? `${t.title}: ` : ""}${t.empty}`), { isSubtle: true })] : [];
  if (maxRows === 0) return [text(LEFT_OUT.allRows(t.rows.length + t.more, t.columns[0] ?? ""), { isSubtle: true })];
  const shown = t.rows.slice(0, maxRows);
  // wide tables (a report's nine figures a row) read better small
  const size = t.columns.length > 3 ? { size: "Small" } : {};
  const out: Element[] = [{
    type: "Table",
    firstRowAsHeader: true,
    showGridLines: false,
    columns: t.columns.map((_, i) => ({ width: i === 0 ? 3 : 2 })),
    rows: [t.columns, ...shown].map((row, i) => ({ type: "TableRow", cells: row.map((c) => ({ type: "TableCell", items: [text(card(c), i === 0 ? { weight: "Bolder", ...size } : size)] })) })),
  }];
  const more = t.more + t.rows.length - shown.length;
  if (more > 0) out.push(text(LEFT_OUT.rows(more, t.moreLabel), { isSubtle: true, spacing: "None" }));
  return out;
}

/** A data table: header row, columns as wide as their content reads, each aligned as the Message says. */
function dataTable(t: Table, align: readonly ("left" | "right")[], maxRows: number): Element[] {
  if (t.rows.length === 0 || maxRows === 0) return table(t, maxRows);
  const shown = t.rows.slice(0, maxRows);
  const all = [t.columns, ...shown];
  const size = t.columns.length > 3 ? { size: "Small" } : {};
  const out: Element[] = [...(t.title ? [text(card(t.title), { weight: "Bolder", spacing: "Medium" })] : []), {
    type: "Table",
    firstRowAsHeader: true,
    showGridLines: false,
    columns: t.columns.map((_, i) => ({ width: widthOf(all.map((r) => r[i] ?? "")), horizontalCellContentAlignment: align[i] === "right" ? "Right" : "Left" })),
    rows: all.map((row, i) => ({ type: "TableRow", cells: t.columns.map((_, j) => ({ type: "TableCell", items: [i === 0 ? literal(row[j] ?? "", { weight: "Bolder", ...size }) : dataCell(row[j] ?? "", size)] })) })),
  }];
  const more = t.more + t.rows.length - shown.length;
  if (more > 0) out.push(text(LEFT_OUT.rows(more, t.moreLabel), { isSubtle: true, spacing: "None" }));
  return out;
}

/** A column's relative width, 1–6, from the longest text it shows (a local time reads as ~18 characters). */
function widthOf(cells: readonly string[]): number {
  const longest = Math.max(...cells.map((c) => (cellInstant(c) === undefined ? c.length : 18)));
  return Math.min(6, Math.max(1, Math.round(longest / 6)));
}

/**
 * A data cell as Azure sent it. A TextBlock reads Markdown (`**x**` bold, `_x_` italic, `[x](url)` a
 * link, `- x` a list), and backslash escapes are not in the subset Teams documents, so a cell is a
 * TextRun, whose text the schema says is never read as Markdown. Only a cell that is one ⟦ISO⟧ is a
 * TextBlock: DATE()/TIME() are documented for TextBlocks, and the text is ours.
 */
function dataCell(value: string, style: Record<string, unknown>): Element {
  const iso = cellInstant(value);
  return iso === undefined ? literal(value, style) : text(cardTime(iso), style);
}

/** Text shown as written, in a RichTextBlock (which wraps); a `{{DATE(…)}}` in it is kept from being read as a date by a word joiner. */
function literal(value: string, style: Record<string, unknown>): Element {
  return { type: "RichTextBlock", inlines: [{ type: "TextRun", text: value.replace(/\{\{(?=(?:DATE|TIME)\()/g, "{\u2060{"), ...style }] };
}

/**
 * "Open in Azure portal" as Action.OpenUrl buttons in an ActionSet under the text: the card's own
 * actions are the follow-ups (Teams shows at most MAX_ACTIONS of them), and a link opens no verb.
 */
function linkSet(list: readonly Link[]): Element[] {
  if (list.length === 0) return [];
  return [{ type: "ActionSet", actions: list.map((l) => ({ type: "Action.OpenUrl", title: clip(l.label, 60), url: l.url })) }];
}

function action(a: Action): Element | undefined {
  const encoded = encodeFollowUp(a.followUp);
  if (encoded === "") return undefined;
  const data = { followUp: JSON.parse(encoded) as unknown };
  const title = clip(a.label, 60);
  return { type: "Action.Execute", title, verb: FOLLOW_UP_VERB, data, fallback: { type: "Action.Submit", title, data: { ...data, verb: FOLLOW_UP_VERB } } };
}

function text(value: string, options: Record<string, unknown> = {}): Element {
  return { type: "TextBlock", text: value, wrap: true, ...options };
}

function shell(fallbackText: string, body: Element[], actions: Element[]): AdaptiveCard {
  return { type: "AdaptiveCard", $schema: "http://adaptivecards.io/schemas/adaptive-card.json", version: "1.5", fallbackText: clip(fallbackText, 500), body, actions, msteams: { width: "Full" } };
}

/**
 * The Message markup in Teams' terms: **bold** is already Markdown; Teams cards have no inline
 * code, so `code` loses its backticks; ⟦ISO⟧ becomes DATE()/TIME(), which render in the viewer's zone.
 */
function card(line: string): string {
  return line.replace(/`([^`]*)`/g, "$1").replace(LOCAL_TIME, (_m, iso: string) => cardTime(iso));
}

/** An instant as DATE()/TIME(), which take RFC 3339 to the second (Log Analytics sends 7 fractional digits). */
function cardTime(iso: string): string {
  const ms = Date.parse(iso);
  const t = Number.isNaN(ms) ? iso : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  return `{{DATE(${t}, SHORT)}} {{TIME(${t})}}`;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
