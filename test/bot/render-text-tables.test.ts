import { describe, expect, it } from "vitest";
import { localTime, message } from "../../src/bot/message.ts";
import { renderText } from "../../src/bot/render-text.ts";
import { DATA_TABLE_KINDS, dataTableExamples } from "./data-table-examples.ts";

const examples = dataTableExamples();

describe("text data tables", () => {
  it.each(DATA_TABLE_KINDS)("%s matches its golden file", async (name) => {
    await expect(renderText(examples[name])).toMatchFileSnapshot(`__golden__/${name}.txt`);
  });

  it("lines columns up: text left, figures right, headers over their columns", () => {
    const lines = renderText(examples["data-table-quota"]).split("\n");
    expect(lines).toContain("    deployment                TPM limit  peak tokens/min  % of TPM  RPM limit  peak req/min  % of RPM   429s");
    expect(lines).toContain("    gpt-4o                      150,000           61,250   40.83 %        900           312   34.67 %      0");
    expect(lines).toContain("    gpt-4o-ptu              provisioned          no data   no data    no data       no data   no data      0");
  });

  it("aligns as the table says, not as a breakdown would (a second text column stays left)", () => {
    const t = renderText(examples["data-table-log"]);
    expect(t).toContain("    2026-11-29T09:58:12.345Z  ChatCompletions_Create     429     112 ms  `8f1c2a9e-0b7d-4c1e-9a55-1d2e3f4a5b6c`");
    expect(t).toContain("    2026-11-29T06:02:00.000Z  Embeddings_Create          503   1,204 ms  `aa55aa55-6789-4bcd-8ef0-445566778899`");
  });

  it("shows every row the message holds and says how many it left out", () => {
    const t = renderText(examples["data-table-kql"]);
    expect(t.split("\n").filter((l) => /^ {4}2026-11-29T/.test(l))).toHaveLength(50);
    expect(t).toContain("    … and 10 more rows");
  });

  it("shows times in the message's zone when it names one", () => {
    const m = message("report", "info", "Failed requests", { zone: "Europe/Berlin", tables: [{ columns: ["time", "status"], rows: [[localTime("2026-11-29T09:58:12Z"), "429"]], more: 0, data: { align: ["left", "right"] } }] });
    expect(renderText(m)).toContain("    Sun 29 Nov 10:58 Europe/Berlin     429");
  });

  it("shows every cell of a data table as Azure sent it: masked callers, asterisks and backticks stay", () => {
    const m = message("answer", "info", "Top callers", { tables: [{ columns: ["caller", "text", "calls"], rows: [["10.1.4.***", "**not bold**", "1,204"], ["10.2.0.***", "`kql` and ``", "7"]], more: 0, data: { align: ["left", "left", "right"] } }] });
    const lines = renderText(m).split("\n");
    expect(lines).toContain("    caller      text          calls");
    expect(lines).toContain("    10.1.4.***  **not bold**  1,204");
    expect(lines).toContain("    10.2.0.***  `kql` and ``      7");
  });

  it("shows only a cell that is exactly one ⟦ISO⟧ as a time; one with more around it is text as written", () => {
    const m = message("answer", "info", "t", { zone: "Europe/Berlin", tables: [{ columns: ["a"], rows: [[localTime("2026-11-29T09:58:12Z")], [`at ${localTime("2026-11-29T09:58:12Z")}`], ["⟦not a time⟧"]], more: 0, data: { align: ["left"] } }] });
    const lines = renderText(m).split("\n");
    expect(lines).toContain("    Sun 29 Nov 10:58 Europe/Berlin");
    expect(lines).toContain("    at ⟦2026-11-29T09:58:12Z⟧");
    expect(lines).toContain("    ⟦not a time⟧");
    expect(renderText({ ...m, zone: undefined })).toContain("    2026-11-29T09:58:12Z\n");
  });

  it("keeps reading the markup in a table that is not a data table (a report's table)", () => {
    const m = message("report", "info", "Report", { tables: [{ columns: ["deployment", "calls"], rows: [["**gpt-4o**", "12"]], more: 0 }] });
    expect(renderText(m)).toContain("    gpt-4o         12");
  });

  it("says an empty data table is empty", () => {
    const m = message("answer", "info", "kql", { tables: [{ title: "result", columns: ["a"], rows: [], more: 0, empty: "The query returned no rows.", data: { align: ["left"] } }] });
    expect(renderText(m)).toContain("  result:\n    The query returned no rows.");
  });
});
