import { describe, expect, it } from "vitest";
import { MAX_CARD_BYTES, renderAdaptiveCard } from "../../../src/adapters/teams/render-adaptive-card.ts";
import { localTime, message, type Table } from "../../../src/bot/message.ts";
import { DATA_TABLE_KINDS, dataTableExamples } from "../../bot/data-table-examples.ts";

type Element = Record<string, unknown>;
interface TableElement { columns: { width: number; horizontalCellContentAlignment: string }[]; rows: { cells: { items: Element[] }[] }[]; firstRowAsHeader: boolean }

const examples = dataTableExamples();
const tableOf = (body: Element[]): TableElement => {
  const [t, ...more] = body.filter((e) => e.type === "Table");
  expect(more).toEqual([]);
  return t as unknown as TableElement;
};
const cellOf = (t: TableElement, row: number, col: number): Element | undefined => t.rows[row]?.cells[col]?.items[0];
/** What a cell shows: a TextBlock's text, or the text of a RichTextBlock's one TextRun. */
const cellText = (t: TableElement, row: number, col: number): unknown => {
  const item = cellOf(t, row, col);
  return item?.type === "RichTextBlock" ? (item.inlines as Element[])[0]?.text : item?.text;
};
/** A cell as Teams shows it verbatim: a RichTextBlock whose one TextRun (never read as Markdown) holds the text. */
const literal = (text: string, style: Element = {}): Element => ({ type: "RichTextBlock", inlines: [{ type: "TextRun", text, ...style }] });
const oneColumn = (cells: readonly string[]): Table => ({ columns: ["value"], rows: cells.map((c) => [c]), more: 0, data: { align: ["left"] } });

describe("Adaptive Card data tables", () => {
  it.each(DATA_TABLE_KINDS)("%s matches its golden file", async (name) => {
    await expect(JSON.stringify(renderAdaptiveCard(examples[name]), null, 2)).toMatchFileSnapshot(`__golden__/${name}.json`);
  });

  it("is a Table with a bold header row and each column aligned as the message says", () => {
    const t = tableOf(renderAdaptiveCard(examples["data-table-quota"]).body);
    expect(t.firstRowAsHeader).toBe(true);
    expect(t.columns.map((c) => c.horizontalCellContentAlignment)).toEqual(["Left", "Right", "Right", "Right", "Right", "Right", "Right", "Right"]);
    expect(t.rows[0]?.cells.map((c) => c.items[0])).toEqual(["deployment", "TPM limit", "peak tokens/min", "% of TPM", "RPM limit", "peak req/min", "% of RPM", "429s"].map((h) => literal(h, { weight: "Bolder", size: "Small" })));
    expect(cellText(t, 1, 3)).toBe("95.7 %");
  });

  it("makes columns as wide as what they show: the correlation id wider than the status", () => {
    const t = tableOf(renderAdaptiveCard(examples["data-table-log"]).body);
    const [time, , status, , correlation] = t.columns.map((c) => c.width);
    expect(correlation).toBeGreaterThan(status ?? 0);
    expect(time).toBeGreaterThan(status ?? 0);
    for (const c of t.columns) expect(c.width).toBeGreaterThanOrEqual(1);
  });

  it("shows times in the viewer's zone and every other cell as written", () => {
    const t = tableOf(renderAdaptiveCard(examples["data-table-log"]).body);
    expect(cellOf(t, 1, 0)).toEqual({ type: "TextBlock", text: "{{DATE(2026-11-29T09:58:12Z, SHORT)}} {{TIME(2026-11-29T09:58:12Z)}}", wrap: true, size: "Small" });
    expect(cellOf(t, 1, 4)).toEqual(literal("`8f1c2a9e-0b7d-4c1e-9a55-1d2e3f4a5b6c`", { size: "Small" }));
  });

  it("reads no Markdown in a cell: a masked caller, **, backticks, _x_, a link and a list are TextRuns as written", () => {
    const cells = ["10.1.4.***", "**not bold**", "`code` ``", "_x_ ~y~", "[x](https://evil)", "- not a list", "1. nor this"];
    const t = tableOf(renderAdaptiveCard(message("answer", "info", "Top callers", { tables: [oneColumn(cells)] })).body);
    expect(t.rows.slice(1).map((r) => r.cells[0]?.items)).toEqual(cells.map((c) => [literal(c)]));
  });

  it("keeps a {{DATE(…)}} written in a cell from being read as a date (a word joiner between the braces)", () => {
    const t = tableOf(renderAdaptiveCard(message("answer", "info", "kql", { tables: [oneColumn(["{{DATE(2026-11-29T09:58:12Z, SHORT)}} {{TIME(2026-11-29T09:58:12Z)}}"])] })).body);
    const shown = String(cellText(t, 1, 0));
    expect(shown).not.toMatch(/\{\{(?:DATE|TIME)\(/);
    expect(shown.replace(/\u2060/g, "")).toBe("{{DATE(2026-11-29T09:58:12Z, SHORT)}} {{TIME(2026-11-29T09:58:12Z)}}");
  });

  it("shows only a cell that is exactly one ⟦ISO⟧ as a time (to the second, as DATE() takes it); one with more around it is text as written", () => {
    const cells = [localTime("2026-11-29T09:58:12.3456789Z"), `at ${localTime("2026-11-29T09:58:12Z")}`, "⟦10.1.4.***⟧"];
    const t = tableOf(renderAdaptiveCard(message("answer", "info", "t", { tables: [oneColumn(cells)] })).body);
    expect(cellOf(t, 1, 0)).toEqual({ type: "TextBlock", text: "{{DATE(2026-11-29T09:58:12Z, SHORT)}} {{TIME(2026-11-29T09:58:12Z)}}", wrap: true });
    expect(cellOf(t, 2, 0)).toEqual(literal("at ⟦2026-11-29T09:58:12Z⟧"));
    expect(cellOf(t, 3, 0)).toEqual(literal("⟦10.1.4.***⟧"));
  });

  it("keeps reading the markup in a figure's breakdown or a report's table (not data tables)", () => {
    const t = tableOf(renderAdaptiveCard(message("report", "info", "Report", { tables: [{ columns: ["deployment", "calls"], rows: [["**gpt-4o**", "`12`"]], more: 0 }] })).body);
    expect(cellOf(t, 1, 0)).toEqual({ type: "TextBlock", text: "**gpt-4o**", wrap: true });
    expect(cellText(t, 1, 1)).toBe("12");
  });

  it("shows a kql result as a table (no file) with as many rows as fit the 28 KB card, saying how many are left out", () => {
    const card = renderAdaptiveCard(examples["data-table-kql"]);
    const json = JSON.stringify(card);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const shown = tableOf(card.body).rows.length - 1;
    expect(shown).toBeGreaterThanOrEqual(30);
    expect(json).toContain(`… and ${60 - shown} more rows`);
    expect(json).not.toContain("kql-result.csv");
  });

  it("keeps more rows of a data table than of a figure's breakdown", () => {
    const rows = Array.from({ length: 25 }, (_, i) => [`deployment-${i}`, String(i)]);
    const data: Table = { columns: ["deployment", "429s"], rows, more: 0, data: { align: ["left", "right"] } };
    const plain: Table = { columns: ["deployment", "429s"], rows, more: 0 };
    const shownOf = (t: Table) => tableOf(renderAdaptiveCard(message("answer", "info", "t", { tables: [t] })).body).rows.length - 1;
    expect(shownOf(data)).toBe(25);
    expect(shownOf(plain)).toBe(15);
  });

  it("cuts the rows of a huge data table until the card fits", () => {
    const rows = Array.from({ length: 50 }, (_, i) => Array.from({ length: 8 }, (_, j) => `${i}-${j}-${"w".repeat(40)}`));
    const card = renderAdaptiveCard(message("answer", "info", "wide", { tables: [{ columns: rows[0]!.map((_, j) => `col ${j}`), rows, more: 0, moreLabel: "rows", data: { align: Array(8).fill("left") as "left"[] } }] }));
    const json = JSON.stringify(card);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(json).toMatch(/… and \d+ more rows/);
  });

  it("says an empty data table is empty", () => {
    const card = renderAdaptiveCard(message("answer", "info", "kql", { tables: [{ columns: ["a"], rows: [], more: 0, empty: "The query returned no rows.", data: { align: ["left"] } }] }));
    expect(card.body.some((e) => e.type === "Table")).toBe(false);
    expect(JSON.stringify(card.body)).toContain("The query returned no rows.");
  });
});
