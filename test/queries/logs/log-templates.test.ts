// The vetted log templates: each reads the Azure OpenAI rows of the asked resources over the
// planner's window, and what a person can influence changes only bound values. A hostile value in
// any parameter (quotes, backslashes, pipes, newlines, `let`, comments, Unicode line separators) is
// refused with a clear error, or sits inside one string literal: the query's lines and operators
// are those of a benign value, and the literal reads back as what was typed.
import { describe, expect, it } from "vitest";
import { InvalidFilterValueError, InvalidWindowError, UserError } from "../../../src/queries/errors.ts";
import { InvalidLogParameterError } from "../../../src/queries/logs/log-errors.ts";
import { bindLogParams, LOG_TEMPLATES, type LogTemplateParams, type TableTemplateId } from "../../../src/queries/logs/log-templates.ts";

const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const AOAI2 = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-dev";
const base: LogTemplateParams = { resourceIds: [AOAI], start: new Date("2026-11-30T13:00:00Z"), end: new Date("2026-11-30T14:00:00Z"), deployments: ["gpt-4o"] };
const IDS = Object.keys(LOG_TEMPLATES) as TableTemplateId[];

/** The query with every string literal (plain or verbatim) replaced by S: what bound values can't change. */
function shape(kql: string): string {
  return kql.replace(/@"[^"]*"|"(?:[^"\\]|\\.)*"/g, "S");
}

/** Every plain string literal in the query, read back as KQL reads it. */
function literals(kql: string): string[] {
  return [...kql.matchAll(/(?<!@)"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? "").replace(/\\(.)/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c));
}

const build = (id: TableTemplateId, params: Partial<LogTemplateParams> = {}) => LOG_TEMPLATES[id].build({ ...base, ...params });

describe("every template", () => {
  it.each(IDS)("%s reads Azure OpenAI rows of the asked resources in the window", (id) => {
    const lines = build(id, { resourceIds: [AOAI, AOAI2] }).split("\n");
    expect(lines[0]).toBe(id === "azure-metrics" ? "AzureMetrics" : "AzureDiagnostics");
    expect(lines[1]).toBe("| where TimeGenerated >= datetime(2026-11-30T13:00:00Z) and TimeGenerated < datetime(2026-11-30T14:00:00Z)");
    expect(lines[2]).toMatch(/^\| where ResourceProvider == "MICROSOFT.COGNITIVESERVICES"/);
    if (!["sample", "azure-metrics"].includes(id)) expect(lines[2]).toBe('| where ResourceProvider == "MICROSOFT.COGNITIVESERVICES" and Category == "RequestResponse"');
    expect(lines[3]).toBe(`| where _ResourceId in~ ("${AOAI}", "${AOAI2}")`);
  });

  it.each(IDS)("%s has a title, and columns a person can read the table by", (id) => {
    const t = LOG_TEMPLATES[id];
    expect(t.title).not.toBe("");
    expect(t.columns(bindLogParams(id, base)).length).toBeGreaterThan(2);
  });
});

describe("what each template answers", () => {
  it("percentiles: successful non-list calls, by deployment and stream type, the asked percentiles", () => {
    const lines = build("percentiles", { percentiles: [99.9, 50, 95], streamType: "streaming" }).split("\n");
    expect(lines).toContain('| where OperationName !has "_List"');
    expect(lines).toContain('| where ResultSignature startswith "2"');
    expect(lines).toContain('| where deployment in~ ("gpt-4o")');
    expect(lines).toContain('| where streamType == "Streaming"');
    expect(lines).toContain("| summarize calls = count(), p50_ms = percentile(DurationMs, 50), p95_ms = percentile(DurationMs, 95), p99_9_ms = percentile(DurationMs, 99.9) by deployment, streamType");
    expect(LOG_TEMPLATES.percentiles.columns(bindLogParams("percentiles", { ...base, percentiles: [95] })).map((c) => c.name)).toEqual(["deployment", "streamType", "calls", "p95_ms"]);
    // p50/p95/p99 when none is named
    expect(build("percentiles", { deployments: [] })).toContain("p50_ms = percentile(DurationMs, 50), p95_ms = percentile(DurationMs, 95), p99_ms = percentile(DurationMs, 99) by");
    expect(build("percentiles", { deployments: [] })).not.toContain("where deployment");
  });

  it("errors-by-deployment: total, 429, 4xx and 5xx per deployment, the account name when no deployment was logged", () => {
    const lines = build("errors-by-deployment", { deployments: [] }).split("\n");
    expect(lines).toContain("| extend deployment = iff(isempty(deployment), Resource, deployment)");
    expect(lines).toContain('| summarize calls = count(), throttled_429 = countif(ResultSignature == "429"), client_errors_4xx = countif(ResultSignature startswith "4"), server_errors_5xx = countif(ResultSignature startswith "5") by deployment');
    const with503 = build("errors-by-deployment", { status: { kind: "exact", code: "503" } });
    expect(with503).toContain(', status_503 = countif(ResultSignature == "503") by deployment');
    expect(with503).toContain("| order by status_503 desc, throttled_429 desc");
  });

  it("error-codes: non-2xx ResultSignature counts, top N", () => {
    const lines = build("error-codes", { limit: 5 }).split("\n");
    expect(lines).toContain('| where not(ResultSignature startswith "2")');
    expect(lines).toContain("| summarize calls = count(), last_seen = max(TimeGenerated) by ResultSignature");
    expect(lines.at(-1)).toBe("| top 5 by calls desc");
  });

  it("failed-requests: the last N, with time, operation, status, duration, correlation id and deployment", () => {
    const lines = build("failed-requests", { limit: 20, status: { kind: "class", prefix: "5" } }).split("\n");
    expect(lines).toContain('| where ResultSignature startswith "5"');
    expect(lines.slice(-2)).toEqual(["| top 20 by TimeGenerated desc", "| project TimeGenerated, OperationName, ResultSignature, DurationMs, CorrelationId, deployment"]);
    expect(build("failed-requests")).toContain("| top 10 by TimeGenerated desc");
  });

  it("callers: masks what Azure did not, then counts calls, errors and 429s per caller", () => {
    const kql = build("callers");
    expect(kql).toContain('| extend CallerIPAddress = case(isempty(CallerIPAddress), "(not logged)", CallerIPAddress endswith "***", CallerIPAddress, ');
    expect(kql).toContain('replace_regex(CallerIPAddress, @"\\.\\d{1,3}$", ".***")');
    expect(kql).toContain("by CallerIPAddress\n| top 10 by calls desc");
  });

  it("sample and azure-metrics: the starter queries' projection, narrowed to the resources and window", () => {
    expect(build("sample").split("\n").slice(-2)).toEqual(["| take 100", "| project TimeGenerated, _ResourceId, Category, OperationName, DurationMs, ResultSignature, properties_s"]);
    expect(build("azure-metrics").split("\n").slice(-2)).toEqual(["| take 100", "| project TimeGenerated, MetricName, Total, Count, TimeGrain, UnitName"]);
    // neither table can be narrowed by deployment: the name is not bound at all
    expect(build("sample", { deployments: ["gpt-4o"] })).not.toContain("gpt-4o");
  });
});

/** What kqlString refuses among them (KQL has no escape for it); everything else must be bound. */
const unquotable = (v: string) => v.includes("\u0000") || v.includes("\u2028") || v.includes("\u2029");

const HOSTILE = [
  '"',
  "'",
  "\\",
  '\\"',
  "gpt-4o\" | take 1 | project secret='x",
  'gpt-4o")\n| take 1 //',
  "gpt-4o' or 1==1 or deployment=='",
  "| where 1==1",
  "line\nbreak",
  "cr\r\nlf",
  "let x=1; AzureActivity",
  "// comment",
  "/* open",
  "*/ close",
  "tab\there",
  "\u2028separator",
  "para\u2029graph",
  "nul\u0000",
];

/** Refused with an error a person can read, or bound as exactly one literal: the shape of a benign value, and the value read back. */
function expectBoundOrRefused(id: TableTemplateId, benign: Partial<LogTemplateParams>, hostile: Partial<LogTemplateParams>, value: string) {
  let kql: string;
  try {
    kql = build(id, hostile);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/can't be put in a log query|is not/);
    return "refused";
  }
  const safe = build(id, benign);
  expect(shape(kql)).toBe(shape(safe));
  expect(kql.split("\n")).toHaveLength(safe.split("\n").length);
  expect(literals(kql)).toContain(value);
  return "bound";
}

describe("KQL injection", () => {
  const takesDeployments = IDS.filter((id) => LOG_TEMPLATES[id].accepts.includes("deployments"));

  it.each(takesDeployments.flatMap((id) => HOSTILE.map((v) => [id, v] as const)))("%s: deployment %j", (id, value) => {
    const outcome = expectBoundOrRefused(id, { deployments: ["gpt-4o"] }, { deployments: [value] }, value);
    // only characters KQL can't escape are refused; every quote, pipe and comment is bound
    expect(outcome).toBe(unquotable(value) ? "refused" : "bound");
  });

  it.each(IDS.flatMap((id) => HOSTILE.map((v) => [id, v] as const)))("%s: resource id %j", (id, value) => {
    const outcome = expectBoundOrRefused(id, { resourceIds: [AOAI] }, { resourceIds: [`${AOAI}${value}`] }, `${AOAI}${value}`);
    expect(outcome).toBe(unquotable(value) ? "refused" : "bound");
  });

  it.each(HOSTILE)("percentiles: stream type %j is refused (only Streaming / Non-Streaming)", (value) => {
    expect(() => build("percentiles", { streamType: value })).toThrow(InvalidLogParameterError);
    expect(() => build("percentiles", { streamType: `Streaming${value}` })).toThrow(InvalidLogParameterError);
  });

  const notPercentiles: unknown[] = [NaN, Infinity, -1, 0, 100, 99.99, 42, "95) | take 1", "95", { valueOf: () => 95 }, null];
  it.each(notPercentiles)("percentiles: %j is refused (only 50, 75, 90, 95, 99, 99.9)", (value) => {
    expect(() => build("percentiles", { percentiles: [value as number] })).toThrow(/is not one of the percentiles/);
  });

  const notLimits: unknown[] = [0, -5, 101, 1.5, NaN, Infinity, "10 | take 1000", "10", 1e9, null];
  it.each(IDS.filter((id) => LOG_TEMPLATES[id].accepts.includes("limit")).flatMap((id) => notLimits.map((v) => [id, v] as const)))("%s: limit %j is refused (1 to 100 rows)", (id, value) => {
    expect(() => build(id, { limit: value as number })).toThrow(InvalidLogParameterError);
  });

  const notStatuses: unknown[] = [
    { kind: "exact", code: '429" or 1==1 or "' },
    { kind: "exact", code: "42" },
    { kind: "exact", code: "4290" },
    { kind: "exact", code: "429\n| take 1" },
    { kind: "exact", code: "abc" },
    { kind: "class", prefix: "5\" | take 1 //" },
    { kind: "class", prefix: "55" },
    { kind: "class", prefix: "x" },
    { kind: "other", code: "429" },
  ];
  it.each(IDS.filter((id) => LOG_TEMPLATES[id].accepts.includes("status")).flatMap((id) => notStatuses.map((v) => [id, v] as const)))("%s: status %j is refused", (id, value) => {
    expect(() => build(id, { status: value as LogTemplateParams["status"] })).toThrow(/is not an HTTP status/);
  });

  it.each(IDS)("%s: time bounds come only from valid Dates, in order", (id) => {
    expect(() => build(id, { start: new Date("2026-11-30T13:00:00Z) | take 1 //") })).toThrow(InvalidWindowError);
    expect(() => build(id, { start: "2026-11-30T13:00:00Z) | take 1" as unknown as Date })).toThrow(InvalidWindowError);
    expect(() => build(id, { start: base.end, end: base.start })).toThrow(InvalidWindowError);
  });

  it("refuses a query over no resource at all (it would read every resource in the workspace)", () => {
    expect(() => build("errors-by-deployment", { resourceIds: [] })).toThrow(InvalidLogParameterError);
  });

  it("a refused value is named without its control characters", () => {
    expect(() => build("failed-requests", { deployments: ["gpt\u2028-4o"] })).toThrow(InvalidFilterValueError);
    expect(() => build("failed-requests", { deployments: ["gpt\u2028-4o"] })).toThrow('"gpt?-4o" holds control characters');
  });
});
