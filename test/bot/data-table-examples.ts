// Data-table answers (log rows, quota, a raw kql result with its CSV) as the neutral Message, built
// with message(): every platform keeps a golden copy of how it lays them out.
import { localTime, message, type Message, type Table } from "../../src/bot/message.ts";

export const DATA_TABLE_KINDS = ["data-table-log", "data-table-quota", "data-table-kql"] as const;

const WINDOW = { start: "2026-11-28T10:00:00Z", end: "2026-11-29T10:00:00Z", local: "2026-11-28 10:00 – 2026-11-29 10:00 UTC" };
const WORKSPACE = "11111111-2222-3333-4444-555555555555";

const failed: Table = {
  title: "last 5 failed requests (newest first)",
  columns: ["time", "operation", "status", "duration", "correlation id"],
  rows: [
    [localTime("2026-11-29T09:58:12.345Z"), "ChatCompletions_Create", "429", "112 ms", "`8f1c2a9e-0b7d-4c1e-9a55-1d2e3f4a5b6c`"],
    [localTime("2026-11-29T09:41:03.010Z"), "ChatCompletions_Create", "429", "98 ms", "`3b9d7e21-55aa-4f0c-8e11-0c9d8e7f6a5b`"],
    [localTime("2026-11-29T08:17:45.900Z"), "ChatCompletions_Create", "500", "30,114 ms", "`c0ffee00-1234-4abc-9def-00112233aabb`"],
    [localTime("2026-11-29T06:02:00.000Z"), "Embeddings_Create", "503", "1,204 ms", "`aa55aa55-6789-4bcd-8ef0-445566778899`"],
    [localTime("2026-11-28T23:30:30.500Z"), "ChatCompletions_Create", "408", "no data", "`0d0d0d0d-abcd-4ef0-9123-ffeeddccbbaa`"],
  ],
  more: 0,
  moreLabel: "requests",
  data: { align: ["left", "left", "right", "right", "left"] },
};

const quota: Table = {
  title: "by deployment, closest to its limit first",
  columns: ["deployment", "TPM limit", "peak tokens/min", "% of TPM", "RPM limit", "peak req/min", "% of RPM", "429s"],
  rows: [
    ["**gpt-4o-mini**", "200,000", "191,400", "95.7 %", "1,200", "1,010", "84.17 %", "4,727"],
    ["gpt-4o", "150,000", "61,250", "40.83 %", "900", "312", "34.67 %", "0"],
    ["text-embedding-3-large", "350,000", "88,020", "25.15 %", "2,100", "640", "30.48 %", "0"],
    ["gpt-4o-ptu", "provisioned", "no data", "no data", "no data", "no data", "no data", "0"],
  ],
  more: 0,
  moreLabel: "deployments",
  data: { align: ["left", "right", "right", "right", "right", "right", "right", "right"] },
};

const KQL_ROWS = 60;
const OPERATIONS = ["ChatCompletions_Create", "Embeddings_Create", "Completions_Create"] as const;
const SIGNATURES = ["200", "200", "429", "200", "500", ""] as const;

/** Row i of a 60-row result: one row a minute back from 09:59 UTC, a few 429s and 500s, one with no ResultSignature. */
function kqlRow(i: number): { time: string; operation: string; duration: number; signature: string; correlation: string } {
  const time = new Date(Date.parse("2026-11-29T09:59:00Z") - i * 60_000).toISOString();
  return {
    time,
    operation: OPERATIONS[i % OPERATIONS.length] ?? "",
    duration: 180 + ((i * 337) % 4_100),
    signature: SIGNATURES[i % SIGNATURES.length] ?? "",
    correlation: `${(0x1a2b3c4d + i * 7919).toString(16).padStart(8, "0")}-0000-4000-8000-${String(i).padStart(12, "0")}`,
  };
}

const kqlRows = Array.from({ length: KQL_ROWS }, (_, i) => kqlRow(i));
const SHOWN = 50;

const kql: Table = {
  columns: ["TimeGenerated", "OperationName", "DurationMs", "ResultSignature", "CorrelationId"],
  rows: kqlRows.slice(0, SHOWN).map((r) => [localTime(r.time), r.operation, r.duration.toLocaleString("en-US"), r.signature, r.correlation]),
  more: KQL_ROWS - SHOWN,
  moreLabel: "rows",
  data: { align: ["left", "left", "right", "left", "left"] },
};

const csv = [
  "TimeGenerated,OperationName,DurationMs,ResultSignature,CorrelationId",
  ...kqlRows.map((r) => [r.time, r.operation, String(r.duration), r.signature, r.correlation].join(",")),
].join("\r\n") + "\r\n";

export const KQL_CSV_ROWS = KQL_ROWS;

export function dataTableExamples(): Record<(typeof DATA_TABLE_KINDS)[number], Message> {
  return {
    "data-table-log": message("answer", "info", "Failed requests — gpt-4o — last 24 h", {
      lines: ["**5** failed requests (429, 5xx, timeouts) in the window."],
      tables: [failed],
      notes: ["Duration is the full stream for streaming calls."],
      window: WINDOW,
      footnotes: [`Source: workspace \`${WORKSPACE}\` · KQL: \`AzureDiagnostics | where Category == "RequestResponse" | where toint(ResultSignature) >= 400 | top 5 by TimeGenerated\` · timespan 2026-11-28T10:00:00Z/2026-11-29T10:00:00Z`],
    }),
    "data-table-quota": message("answer", "warning", "Quota — aoai-demo — last 24 h", {
      lines: ["**gpt-4o-mini** peaked at **95.7 %** of its tokens-per-minute limit and was throttled 4,727 times."],
      tables: [quota],
      notes: ["gpt-4o-ptu is provisioned: see its utilisation instead of a TPM share."],
      window: WINDOW,
      footnotes: ["Limits: ARM Deployments - List (sku.capacity, properties.rateLimits) · peaks: AzureOpenAIRequests and ProcessedPromptTokens + GeneratedTokens, PT1M Total, maximum minute"],
    }),
    "data-table-kql": message("answer", "info", "kql — 60 rows", {
      lines: ["50 of 60 rows shown."],
      tables: [kql],
      window: WINDOW,
      footnotes: [`Source: workspace \`${WORKSPACE}\` · KQL: \`AzureDiagnostics | project TimeGenerated, OperationName, DurationMs, ResultSignature, CorrelationId | take 60\` · timespan 2026-11-28T10:00:00Z/2026-11-29T10:00:00Z · 60 rows, 1.2 MB scanned`],
      attachment: { filename: "kql-result.csv", title: "kql result (60 rows)", csv, rows: KQL_ROWS },
    }),
  };
}
