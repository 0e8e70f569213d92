import { describe, expect, it } from "vitest";
import { MAX_CARD_BYTES, renderAdaptiveCard } from "../../../src/adapters/teams/render-adaptive-card.ts";
import { message, type Table } from "../../../src/bot/message.ts";
import { DATA_TABLE_KINDS, dataTableExamples } from "../../bot/data-table-examples.ts";

type Element = Record<string, unknown>;
interface TableElement { columns: { width: number; horizontalCellContentAlignment: string }[]; rows: { cells: { items: Element[] }[] }[]; firstRowAsHeader: boolean }

const examples = dataTableExamples();
const tableOf = (body: Element[]): TableElement => {
  const [t, ...more] = body.filter((e) => e.type === "Table");
  expect(more).toEqual([]);
  return t as unknown as TableElement;
};
const cellText = (t: TableElement, row: number, col: number) => t.rows[row]?.cells[col]?.items[0]?.text;

describe("Adaptive Card data tables", () => {
  it.each(DATA_TABLE_KINDS)("%s matches its golden file", async (name) => {
    await expect(JSON.stringify(renderAdaptiveCard(examples[name]), null, 2)).toMatchFileSnapshot(`__golden__/${name}.json`);
  });

  it("is a Table with a bold header row and each column aligned as the message says", () => {
    const t = tableOf(renderAdaptiveCard(examples["data-table-quota"]).body);
    expect(t.firstRowAsHeader).toBe(true);
    expect(t.columns.map((c) => c.horizontalCellContentAlignment)).toEqual(["Left", "Right", "Right", "Right", "Right", "Right", "Right", "Right"]);
    expect(t.rows[0]?.cells.map((c) => c.items[0]?.weight)).toEqual(Array(8).fill("Bolder"));
    expect(cellText(t, 1, 3)).toBe("95.7 %");
  });

  it("makes columns as wide as what they show: the correlation id wider than the status", () => {
    const t = tableOf(renderAdaptiveCard(examples["data-table-log"]).body);
    const [time, , status, , correlation] = t.columns.map((c) => c.width);
    expect(correlation).toBeGreaterThan(status ?? 0);
    expect(time).toBeGreaterThan(status ?? 0);
    for (const c of t.columns) expect(c.width).toBeGreaterThanOrEqual(1);
  });

  it("shows times in the viewer's zone and `code` without backticks, like other cells", () => {
    const t = tableOf(renderAdaptiveCard(examples["data-table-log"]).body);
    expect(cellText(t, 1, 0)).toBe("{{DATE(2026-11-29T09:58:12Z, SHORT)}} {{TIME(2026-11-29T09:58:12Z)}}");
    expect(cellText(t, 1, 4)).toBe("8f1c2a9e-0b7d-4c1e-9a55-1d2e3f4a5b6c");
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
