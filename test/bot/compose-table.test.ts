// Table answers as people read them: the rows as the query layer returned them (data, not a mock),
// composed into the neutral Message and laid out as text.
import { describe, expect, it } from "vitest";
import { composeReply } from "../../src/bot/compose.ts";
import { composeTable, tableCsv } from "../../src/bot/compose-table.ts";
import { renderText } from "../../src/bot/render-text.ts";
import type { ResultTable, TableAnswer } from "../../src/queries/table-answer.ts";
import type { LogQuestion, RawKqlQuestion } from "../../src/queries/table-questions.ts";

const WINDOW = { start: "2026-12-01T09:00:00Z", end: "2026-12-01T10:00:00Z", label: "last 1 h" };
const SOURCE = 'workspace law-demo · KQL AzureDiagnostics | where Category == "RequestResponse" · timespan 2026-12-01T09:00:00Z/2026-12-01T10:00:00Z';

const failed: ResultTable = {
  columns: [
    { name: "TimeGenerated", type: "datetime" },
    { name: "OperationName", type: "string" },
    { name: "ResultSignature", type: "int" },
    { name: "DurationMs", type: "long" },
    { name: "calls", type: "long" },
    { name: "% of TPM", type: "real" },
    { name: "CorrelationId", type: "string" },
  ],
  rows: [
    ["2026-12-01T09:58:12.345Z", "ChatCompletions_Create", 429, 112, 1234, 89.7, "8f1c2a9e"],
    ["2026-12-01T09:41:03.010Z", "ChatCompletions_Create", 500, null, 0, null, "3b9d7e21"],
    ["2026-12-01T09:30:00.000Z", "Embeddings_Create", 503, 30114, null, 12.25, "⟦not a time⟧"],
  ],
};

function answer(over: Partial<TableAnswer> = {}): TableAnswer {
  return { kind: "logs", topic: "Last 3 failed requests — gpt-4o", zone: "UTC", window: WINDOW, table: failed, shownRows: 3, lines: [], notes: [], sources: [SOURCE], requests: [], ...over };
}

const question: LogQuestion = { kind: "logs", template: "failed-requests", topic: "Last 3 failed requests — gpt-4o", window: { kind: "relative", minutes: 60 }, deployments: ["gpt-4o"], limit: 3, notes: ["Only failed requests are listed."] };

describe("a log table", () => {
  const m = composeTable(answer(), { asked: "last 3 failed requests for gpt-4o", question });
  const table = m.tables[0];

  it("shows a missing value as no data, never as 0, and a real 0 as 0", () => {
    expect(table?.rows[1]).toEqual(["⟦2026-12-01T09:41:03.010Z⟧", "ChatCompletions_Create", "500", "no data", "0", "no data", "3b9d7e21"]);
    expect(table?.rows[2]?.[4]).toBe("no data");
  });

  it("formats numbers as figures are formatted: thousands, ms for durations, % for shares, codes as written", () => {
    expect(table?.rows[0]).toEqual(["⟦2026-12-01T09:58:12.345Z⟧", "ChatCompletions_Create", "429", "112 ms", "1,234", "89.7 %", "8f1c2a9e"]);
    expect(table?.rows[2]?.[3]).toBe("30,114 ms");
  });

  it("aligns numbers right and text left, as a data table", () => {
    expect(table?.data?.align).toEqual(["left", "left", "right", "right", "right", "right", "left"]);
  });

  it("shows a value holding the time markup as written, not as a time", () => {
    expect(table?.rows[2]?.[6]).toBe("[not a time]");
  });

  it("says what it understood, the window, where the rows came from and the question's notes", () => {
    expect(m.title).toBe("Last 3 failed requests — gpt-4o");
    expect(m.lines).toEqual(["Understood: resource logs · failed-requests · last 3 · gpt-4o · last 1 h"]);
    expect(m.window).toEqual({ start: WINDOW.start, end: WINDOW.end, local: "2026-12-01 09:00–10:00 UTC" });
    expect(m.footnotes).toEqual([`Source: ${SOURCE}`]);
    expect(m.notes).toEqual(["Only failed requests are listed."]);
    expect(m.summary).toBe("Last 3 failed requests — gpt-4o: 3 rows (last 1 h)");
  });

  it("offers other windows and a refresh, and no file", () => {
    expect(m.actions.map((a) => a.label)).toEqual(["1h", "24h", "7d", "Refresh"]);
    expect(m.actions[1]?.followUp).toEqual({ kind: "window", text: "last 3 failed requests for gpt-4o", minutes: 1440 });
    expect(m.attachment).toBeUndefined();
  });

  it("reads as aligned text", () => {
    const text = renderText(m);
    expect(text).toContain("Last 3 failed requests — gpt-4o (2026-12-01 09:00–10:00 UTC)");
    const lines = text.split("\n");
    const header = lines.find((l) => l.includes("TimeGenerated")) ?? "";
    const row = lines.find((l) => l.includes("3b9d7e21")) ?? "";
    expect(header.trim().split(/\s{2,}/)).toEqual(["TimeGenerated", "OperationName", "ResultSignature", "DurationMs", "calls", "% of TPM", "CorrelationId"]);
    expect(row.trim().split(/\s{2,}/)).toEqual(["2026-12-01T09:41:03.010Z", "ChatCompletions_Create", "500", "no data", "0", "no data", "3b9d7e21"]);
    // a right-aligned column ends where its header ends
    expect(row.indexOf("500") + 3).toBe(header.indexOf("ResultSignature") + "ResultSignature".length);
    expect(text).not.toMatch(/\b0 ms\b/);
  });
});

describe("partial, empty and long results", () => {
  it("leads a partial result with what Log Analytics said, as a warning", () => {
    const m = composeTable(answer({ partial: "Query exceeded the 64 MB result limit (PartialError)" }), { asked: "x", question });
    expect(m.tone).toBe("warning");
    expect(m.lines[0]).toBe("⚠️ Partial result: Query exceeded the 64 MB result limit (PartialError)");
    expect(m.tables[0]?.rows).toHaveLength(3);
  });

  it("says the answer's own words when there are no rows, and no rows at all", () => {
    const empty = composeTable(answer({ table: { columns: failed.columns, rows: [] }, shownRows: 0, empty: "No failed requests for gpt-4o in the last 1 h." }), { asked: "x", question });
    expect(empty.tables[0]).toMatchObject({ rows: [], more: 0, empty: "No failed requests for gpt-4o in the last 1 h." });
    expect(empty.summary).toBe("Last 3 failed requests — gpt-4o: No failed requests for gpt-4o in the last 1 h.");
    expect(renderText(empty)).toContain("    No failed requests for gpt-4o in the last 1 h.");
    const unsaid = composeTable(answer({ table: { columns: failed.columns, rows: [] }, shownRows: 0 }), { asked: "x" });
    expect(unsaid.tables[0]?.empty).toBe("No rows in the window.");
  });

  it("shows the rows the answer says to show and counts the rest", () => {
    const m = composeTable(answer({ shownRows: 1 }), { asked: "x", question });
    expect(m.tables[0]?.rows).toHaveLength(1);
    expect(m.tables[0]).toMatchObject({ more: 2, moreLabel: "rows" });
    expect(renderText(m)).toContain("… and 2 more rows");
  });

  it("says the query statistics under the sources", () => {
    expect(composeTable(answer({ statistics: "12 ms, 4,210 rows scanned" }), { asked: "x" }).footnotes).toEqual([`Source: ${SOURCE}`, "Query statistics: 12 ms, 4,210 rows scanned"]);
  });
});

describe("a raw kql result", () => {
  const rows: ResultTable = {
    columns: [
      { name: "TimeGenerated", type: "datetime" },
      { name: "note", type: "string" },
      { name: "delta", type: "long" },
      { name: "ok", type: "bool" },
    ],
    rows: [
      ["2026-12-01T09:00:00Z", "plain", -5, true],
      ["2026-12-01T09:01:00Z", 'has "quotes", and a comma', 3, false],
      ["2026-12-01T09:02:00Z", "line one\nline two", null, null],
      ["2026-12-01T09:03:00Z", "=HYPERLINK(\"http://evil\")", 1, true],
      ["2026-12-01T09:04:00Z", "+1+2", 1, true],
      ["2026-12-01T09:05:00Z", "-2+3", 1, true],
      ["2026-12-01T09:06:00Z", "@SUM(A1)", 1, true],
    ],
  };
  const kql: RawKqlQuestion = { kind: "kql", topic: "Raw KQL", query: "AzureDiagnostics | take 7", window: { kind: "relative", minutes: 1440 }, notes: [] };
  const m = composeTable(answer({ kind: "kql", topic: "Raw KQL", table: rows, shownRows: 7 }), { asked: "kql AzureDiagnostics | take 7", question: kql, maxRows: 5 });

  it("shows at most kql.maxRows rows in chat", () => {
    expect(m.tables[0]?.rows).toHaveLength(5);
    expect(m.tables[0]?.more).toBe(2);
  });

  it("attaches every row as CSV (RFC 4180: CRLF, quotes doubled, fields with commas, quotes or line breaks quoted)", () => {
    expect(m.attachment).toMatchObject({ filename: "kql-result.csv", title: "kql result (7 rows)", rows: 7 });
    const lines = (m.attachment?.csv ?? "").split("\r\n");
    expect(lines[0]).toBe("TimeGenerated,note,delta,ok");
    expect(lines[1]).toBe("2026-12-01T09:00:00Z,plain,-5,true");
    expect(lines[2]).toBe('2026-12-01T09:01:00Z,"has ""quotes"", and a comma",3,false');
    expect(lines[3]).toBe('2026-12-01T09:02:00Z,"line one\nline two",,');
    expect(m.attachment?.csv.endsWith("\r\n")).toBe(true);
  });

  it("neutralises spreadsheet formulas in text cells, and leaves numbers as numbers", () => {
    const csv = m.attachment?.csv ?? "";
    expect(csv).toContain('2026-12-01T09:03:00Z,"\'=HYPERLINK(""http://evil"")",1,true');
    expect(csv).toContain("2026-12-01T09:04:00Z,'+1+2,1,true");
    expect(csv).toContain("2026-12-01T09:05:00Z,'-2+3,1,true");
    expect(csv).toContain("2026-12-01T09:06:00Z,'@SUM(A1),1,true");
    expect(csv).toContain(",-5,");
    expect(tableCsv({ columns: [{ name: "=cmd", type: "string" }], rows: [["\tx"]] })).toBe("'=cmd\r\n'\tx\r\n");
  });

  it("is only run again: raw KQL brings its own time filters", () => {
    expect(m.actions.map((a) => a.label)).toEqual(["Refresh"]);
    expect(m.lines).toEqual(["Understood: raw KQL · last 1 h"]);
  });
});

describe("through composeReply", () => {
  it("composes a table reply and a metric reply's activity mention", () => {
    const m = composeReply({ kind: "table", question, answer: answer() }, "last 3 failed requests for gpt-4o");
    expect(m.tables[0]?.data).toBeDefined();
    expect(m.lines).toContain("Understood: resource logs · failed-requests · last 3 · gpt-4o · last 1 h");
  });
});
