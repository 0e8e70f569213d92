import type { KnownBlock, RichTextBlock, TableBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { renderBlockKit } from "../../../src/adapters/slack/render-blockkit.ts";
import { SLACK_TABLE_LIMITS, tableAsPreformatted } from "../../../src/adapters/slack/table-block.ts";
import { localTime, message, type Table } from "../../../src/bot/message.ts";
import { DATA_TABLE_KINDS, dataTableExamples } from "../../bot/data-table-examples.ts";

const examples = dataTableExamples();
const tableBlocks = (blocks: KnownBlock[]) => blocks.filter((b): b is TableBlock => b.type === "table");
const only = (blocks: KnownBlock[]): TableBlock => {
  const [t, ...more] = tableBlocks(blocks);
  expect(more).toEqual([]);
  if (!t) throw new Error("no table block");
  return t;
};
const dataTable = (rows: string[][], over: Partial<Table> = {}): Table => ({ columns: rows[0]?.map((_, i) => `c${i}`) ?? [], rows, more: 0, data: { align: rows[0]?.map((_, i) => (i === 0 ? "left" : "right")) ?? [] }, ...over });

describe("Block Kit data tables", () => {
  it.each(DATA_TABLE_KINDS)("%s matches its golden file", async (name) => {
    await expect(JSON.stringify(renderBlockKit(examples[name]), null, 2)).toMatchFileSnapshot(`__golden__/${name}.json`);
  });

  it("is one table block: a bold header row, then the rows, each column aligned as the message says", () => {
    const t = only(renderBlockKit(examples["data-table-log"]).blocks);
    expect(t.column_settings).toEqual([{ align: "left" }, { align: "left" }, { align: "right" }, { align: "right" }, { align: "left" }]);
    expect(t.rows).toHaveLength(6);
    expect(JSON.stringify(t.rows[0])).toContain('"text":"correlation id","style":{"bold":true}');
  });

  it("sends figures in right-aligned columns as numbers with their text, and words as text", () => {
    const [, first] = only(renderBlockKit(examples["data-table-quota"]).blocks).rows;
    expect(first?.[1]).toEqual({ type: "raw_number", value: 200000, text: "200,000" });
    expect(first?.[3]).toEqual({ type: "raw_number", value: 95.7, text: "95.7 %" });
    const ptu = only(renderBlockKit(examples["data-table-quota"]).blocks).rows[4];
    expect(ptu?.[1]).toEqual({ type: "raw_text", text: "provisioned" });
    expect(ptu?.[2]).toEqual({ type: "raw_text", text: "no data" });
  });

  it("shows times in the reader's zone (with seconds for log rows) and every other cell as written", () => {
    const [, row] = only(renderBlockKit(examples["data-table-log"]).blocks).rows;
    expect(row?.[0]).toEqual({ type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "date", timestamp: 1795946292, format: "{date_short_pretty} {time_secs}", fallback: "2026-11-29T09:58:12.345Z" }] }] });
    expect(row?.[4]).toEqual({ type: "raw_text", text: "`8f1c2a9e-0b7d-4c1e-9a55-1d2e3f4a5b6c`" });
    const [, quota] = only(renderBlockKit(examples["data-table-quota"]).blocks).rows;
    expect(quota?.[0]).toEqual({ type: "raw_text", text: "**gpt-4o-mini**" });
  });

  it("reads no markup in a cell: a masked caller, asterisks, underscores, tildes and backticks are plain text", () => {
    const cells = ["10.1.4.***", "**not bold**", "`code` ``", "_x_ ~y~ *z*"];
    const m = message("answer", "info", "Top callers", { tables: [dataTable(cells.map((c) => [c]))] });
    const rows = only(renderBlockKit(m).blocks).rows.slice(1);
    expect(rows).toEqual(cells.map((text) => [{ type: "raw_text", text }]));
  });

  it("shows only a cell that is exactly one ⟦ISO⟧ as a date; one with more around it is text as written", () => {
    const m = message("answer", "info", "t", { tables: [dataTable([[localTime("2026-11-29T09:58:00Z")], [`at ${localTime("2026-11-29T09:58:00Z")}`], ["⟦10.1.4.***⟧"]])] });
    const [, time, around, bracketed] = only(renderBlockKit(m).blocks).rows;
    expect(time).toEqual([{ type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "date", timestamp: 1795946280, format: "{date_short_pretty} {time}", fallback: "2026-11-29T09:58:00Z" }] }] }]);
    expect(around).toEqual([{ type: "raw_text", text: "at ⟦2026-11-29T09:58:00Z⟧" }]);
    expect(bracketed).toEqual([{ type: "raw_text", text: "⟦10.1.4.***⟧" }]);
  });

  it("shows whole-minute times without seconds", () => {
    const [, row] = only(renderBlockKit(examples["data-table-kql"]).blocks).rows;
    expect(JSON.stringify(row?.[0])).toContain('"format":"{date_short_pretty} {time}"');
  });

  it("takes text from Azure literally: a cell cannot mention @channel or fake a link", () => {
    const m = message("answer", "info", "kql", { tables: [dataTable([["<!channel> <https://evil|click>", "1"], ["<@U024BE7LH> &amp; <#C024BE7LR>", "2"]])] });
    const [, first, second] = only(renderBlockKit(m).blocks).rows;
    expect(first?.[0]).toEqual({ type: "raw_text", text: "<!channel> <https://evil|click>" });
    expect(second?.[0]).toEqual({ type: "raw_text", text: "<@U024BE7LH> &amp; <#C024BE7LR>" });
  });

  it("keeps cells as written in aligned text too (a second table, or a table block Slack refused): a rich_text text element reads no mrkdwn, so nothing is stripped or escaped", () => {
    const literal: Table = { columns: ["caller", "note"], rows: [["10.1.4.***", "<!channel> **x** `y` & <https://evil|click>"]], more: 0, data: { align: ["left", "left"] } };
    const { blocks } = renderBlockKit(message("answer", "info", "Two tables", { tables: [literal, literal] }));
    const expected = [{ type: "rich_text_preformatted", elements: [{ type: "text", text: "caller      note\n10.1.4.***  <!channel> **x** `y` & <https://evil|click>" }] }];
    expect(blocks.find((b): b is RichTextBlock => b.type === "rich_text")?.elements).toEqual(expected);
    expect(tableAsPreformatted(only(blocks)).elements).toEqual(expected);
  });

  it("never sends an empty cell (Slack refuses one)", () => {
    const [, , , , , , row] = only(renderBlockKit(examples["data-table-kql"]).blocks).rows;
    expect(row?.[3]).toEqual({ type: "raw_text", text: " " });
  });

  it("says how many rows the message leaves out; the attachment carries them all", () => {
    const rendered = renderBlockKit(examples["data-table-kql"]);
    expect(only(rendered.blocks).rows).toHaveLength(51);
    expect(JSON.stringify(rendered.blocks)).toContain("… and 10 more rows");
    expect(rendered.attachment).toMatchObject({ filename: "kql-result.csv", rows: 60 });
  });

  it("keeps within 100 rows, 20 columns and 10,000 characters, saying what it left out", () => {
    const wide = Array.from({ length: 150 }, (_, r) => Array.from({ length: 25 }, (_, c) => `${r}-${c}`));
    const t = only(renderBlockKit(message("answer", "info", "kql", { tables: [dataTable(wide, { moreLabel: "rows" })] })).blocks);
    expect(t.rows.length).toBeLessThanOrEqual(SLACK_TABLE_LIMITS.rows);
    expect(t.rows.every((r) => r.length === SLACK_TABLE_LIMITS.columns)).toBe(true);
    expect(t.column_settings).toHaveLength(20);
    const json = JSON.stringify(renderBlockKit(message("answer", "info", "kql", { tables: [dataTable(wide, { moreLabel: "rows" })] })).blocks);
    expect(json).toMatch(new RegExp(`… and ${150 - (t.rows.length - 1)} more rows`));
    expect(json).toContain("5 more columns not shown (a Slack table holds 20): c20, c21, c22, c23, c24");

    const long = Array.from({ length: 90 }, (_, r) => [`row ${r} ${"x".repeat(200)}`, String(r)]);
    const cut = only(renderBlockKit(message("answer", "info", "kql", { tables: [dataTable(long)] })).blocks);
    const text = cut.rows.flat().map((c) => ("text" in c ? c.text : "")).join("");
    expect(text.length).toBeLessThanOrEqual(SLACK_TABLE_LIMITS.chars);
    expect(cut.rows.length).toBeLessThan(91);
  });

  it("makes only the first data table a table block (Slack takes one a message); the next is aligned text", () => {
    const second: Table = { title: "second", columns: ["deployment", "429s"], rows: [["gpt-4o-mini", "4,727"], ["gpt-4o", "0"]], more: 0, data: { align: ["left", "right"] } };
    const { blocks } = renderBlockKit(message("answer", "info", "Two tables", { tables: [examples["data-table-quota"].tables[0]!, second] }));
    expect(tableBlocks(blocks)).toHaveLength(1);
    const pre = blocks.find((b): b is RichTextBlock => b.type === "rich_text");
    expect(pre?.elements).toEqual([{ type: "rich_text_preformatted", elements: [{ type: "text", text: "deployment    429s\ngpt-4o-mini  4,727\ngpt-4o           0" }] }]);
  });

  it("says a data table is empty instead of sending an empty table", () => {
    const { blocks } = renderBlockKit(message("answer", "info", "kql", { tables: [{ ...dataTable([]), columns: ["a"], empty: "The query returned no rows." }] }));
    expect(tableBlocks(blocks)).toEqual([]);
    expect(JSON.stringify(blocks)).toContain("The query returned no rows.");
  });

  it("leaves a figure's breakdown and a report's table as they were (fields sections)", () => {
    const plain: Table = { columns: ["deployment", "calls"], rows: [["gpt-4o", "12"]], more: 0 };
    const { blocks } = renderBlockKit(message("report", "info", "Report", { tables: [plain] }));
    expect(tableBlocks(blocks)).toEqual([]);
    expect(JSON.stringify(blocks)).toContain('"fields":[{"type":"mrkdwn","text":"*gpt-4o*\\ncalls: 12"}]');
  });

  it("keeps the times of a second table as UTC instants (preformatted text has no dates)", () => {
    const times: Table = { columns: ["time", "n"], rows: [[localTime("2026-11-29T09:58:12Z"), "1"]], more: 0, data: { align: ["left", "right"] } };
    const json = JSON.stringify(renderBlockKit(message("answer", "info", "t", { tables: [times, times] })).blocks);
    expect(json).toContain("2026-11-29T09:58:12Z  1");
  });
});
