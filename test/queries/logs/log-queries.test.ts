// Log questions end to end below the bot: a template question or raw `kql` is planned as one query
// per workspace, run through the real LogsQueryClient against a loopback Log Analytics, and
// answered as the table a person sees: rows, what was empty or partial and why, notes, and the
// workspace + KQL + timespan every figure came from.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LogsAccessDeniedError, KqlNeedsWorkspaceError, NoLogWorkspaceError } from "../../../src/queries/logs/log-errors.ts";
import { LogQueries } from "../../../src/queries/logs/log-queries.ts";
import type { LogsBackend } from "../../../src/queries/logs/logs-backend.ts";
import { AzureLogs } from "../../../src/queries/logs/logs-client.ts";
import { Workspaces } from "../../../src/queries/logs/workspaces.ts";
import type { Resource } from "../../../src/queries/resources.ts";
import type { LogsRequest } from "../../../src/queries/table-answer.ts";
import type { LogQuestion, RawKqlQuestion } from "../../../src/queries/table-questions.ts";
import { fakeCredential } from "../../fakes/azure-monitor.ts";
import { FakeLogAnalytics, tableBody, type WireColumn } from "../../fakes/log-analytics.ts";

const PROD = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const EU = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-eu";
const DEV = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-dev";
const WS_PROD = "b3c7a6c0-3f5e-4b52-9a2e-0c7d0e1f2a3b";
const WS_DEV = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-dev";
const NOW = new Date("2026-11-30T14:00:30Z");

const resource = (id: string): Resource => ({ id, name: id.split("/").pop() ?? id, deployments: ["gpt-4o", "gpt-4o-mini"] });
const question = (template: LogQuestion["template"], extra: Partial<LogQuestion> = {}): LogQuestion => ({
  kind: "logs",
  template,
  topic: "from the request logs",
  window: { kind: "relative", minutes: 60 },
  deployments: ["gpt-4o"],
  notes: [],
  ...extra,
});
const kql = (query: string): RawKqlQuestion => ({ kind: "kql", topic: "kql", query, window: { kind: "relative", minutes: 60 }, notes: [] });

const PERCENTILE_COLUMNS: WireColumn[] = [{ name: "deployment", type: "string" }, { name: "streamType", type: "string" }, { name: "calls", type: "long" }, { name: "p50_ms", type: "real" }, { name: "p95_ms", type: "real" }, { name: "p99_ms", type: "real" }];

let fake: FakeLogAnalytics;
const queries = (options: { backend?: LogsBackend; maxRows?: number; configured?: Record<string, string> } = {}) =>
  new LogQueries({
    backend: options.backend ?? new AzureLogs({ credential: fakeCredential, httpClient: fake.httpClient() }),
    workspaces: new Workspaces({ configured: options.configured ?? { [PROD]: WS_PROD, [EU]: WS_PROD, [DEV]: WS_DEV } }),
    zone: "Europe/Berlin",
    now: () => NOW,
    ...(options.maxRows === undefined ? {} : { maxRows: options.maxRows }),
  });

beforeEach(async () => {
  fake = await new FakeLogAnalytics().start();
});
afterEach(async () => {
  await fake.close();
});

describe("planning", () => {
  it("one query per workspace, the resources that share one in one _ResourceId filter, the window as timespan", async () => {
    const requests = await queries().plan(question("percentiles"), [resource(PROD), resource(DEV), resource(EU)]);
    expect(requests.map((r) => r.workspace)).toEqual([WS_PROD, WS_DEV]);
    expect(requests[0]).toMatchObject({ api: "logs", timespan: "2026-11-30T13:00:30Z/2026-11-30T14:00:30Z", serverTimeoutSeconds: 60 });
    expect(requests[0]?.query.split("\n")).toContain(`| where _ResourceId in~ ("${PROD}", "${EU}")`);
    expect(requests[1]?.query.split("\n")).toContain(`| where _ResourceId in~ ("${DEV}")`);
    expect(requests[0]?.query.split("\n")).toContain("| where TimeGenerated >= datetime(2026-11-30T13:00:30Z) and TimeGenerated < datetime(2026-11-30T14:00:30Z)");
    // the bound values, for --plan and for the demo's simulated workspace
    expect(requests[0]?.template).toEqual({
      id: "percentiles",
      params: { resourceIds: [PROD, EU], start: "2026-11-30T13:00:30Z", end: "2026-11-30T14:00:30Z", deployments: ["gpt-4o"], percentiles: [50, 95, 99] },
    });
    expect(fake.requests).toHaveLength(0);
  });

  it("a resource whose logs go nowhere: the error says which setting to create", async () => {
    const err = await queries({ configured: { [PROD]: WS_PROD } }).plan(question("errors-by-deployment"), [resource(PROD), resource(DEV)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoLogWorkspaceError);
    expect((err as NoLogWorkspaceError).message).toContain("aoai-dev has no diagnostic setting");
  });
});

describe("answers", () => {
  it("percentiles: the rows, the streaming note, and where each figure came from", async () => {
    fake.handler = () => ({ status: 200, body: tableBody(PERCENTILE_COLUMNS, [["gpt-4o", "Non-Streaming", 1200, 640.5, 2210, 4800], ["gpt-4o", "Streaming", 300, 3100, 9050.25, 15000]], { statistics: { query: { executionTime: 0.012, inputDatasetStatistics: { rows: { scanned: 4210 } } } } }) });
    const a = await queries().answer(question("percentiles", { topic: "p50/p95/p99 latency from the request logs" }), [resource(PROD)]);

    expect(a).toMatchObject({ kind: "logs", topic: "p50/p95/p99 latency from the request logs", zone: "Europe/Berlin", shownRows: 2, statistics: "12 ms, 4,210 rows scanned" });
    expect(a.window).toEqual({ start: "2026-11-30T13:00:30Z", end: "2026-11-30T14:00:30Z", label: "last 1 h" });
    expect(a.table.columns.map((c) => c.name)).toEqual(["deployment", "streamType", "calls", "p50_ms", "p95_ms", "p99_ms"]);
    expect(a.table.rows).toEqual([["gpt-4o", "Non-Streaming", 1200, 640.5, 2210, 4800], ["gpt-4o", "Streaming", 300, 3100, 9050.25, 15000]]);
    expect(a.empty).toBeUndefined();
    expect(a.partial).toBeUndefined();
    expect(a.notes.join(" ")).toContain("for streaming calls it runs until the stream ends");
    expect(a.sources).toEqual([`workspace ${WS_PROD} · KQL ${fake.requests[0]?.body.query?.replace(/\n/g, " ") ?? ""} · timespan 2026-11-30T13:00:30Z/2026-11-30T14:00:30Z`]);
    expect(a.sources[0]).toContain('| where ResultSignature startswith "2" |');
    expect(a.requests).toHaveLength(1);
  });

  it("several workspaces: their tables concatenated under the same columns, each query a source", async () => {
    fake.handler = (req) => ({
      status: 200,
      body: tableBody(PERCENTILE_COLUMNS, req.target?.kind === "workspace" ? [["gpt-4o", "Non-Streaming", 1200, 640, 2210, 4800]] : [["gpt-4o", "Non-Streaming", 12, 700, 900, 1000]]),
    });
    const a = await queries().answer(question("percentiles"), [resource(PROD), resource(DEV)]);
    expect(a.table.rows).toEqual([["gpt-4o", "Non-Streaming", 1200, 640, 2210, 4800], ["gpt-4o", "Non-Streaming", 12, 700, 900, 1000]]);
    expect(a.sources.map((s) => s.split(" · ")[0])).toEqual([`workspace ${WS_PROD}`, `workspace ${WS_DEV}`]);
    // sent side by side, so in either order
    expect(fake.requests.map((r) => r.target)).toHaveLength(2);
    expect(fake.requests.map((r) => r.target)).toEqual(expect.arrayContaining([{ kind: "workspace", id: WS_PROD }, { kind: "resource", id: WS_DEV }]));
  });

  it("no rows: says so for the deployment and window, with the template's columns (never a row of zeros)", async () => {
    fake.handler = () => ({ status: 200, body: tableBody(PERCENTILE_COLUMNS, []) });
    const a = await queries().answer(question("percentiles"), [resource(PROD)]);
    expect(a.table.rows).toEqual([]);
    expect(a.shownRows).toBe(0);
    expect(a.empty).toBe("No RequestResponse rows for gpt-4o (successful calls) in the last 1 h.");

    const errors = await queries().answer(question("errors-by-deployment", { deployments: [] }), [resource(PROD)]);
    expect(errors.empty).toBe("No RequestResponse rows for every deployment in the last 1 h.");
  });

  it("204 (no data at all in the workspace): empty, and that the log pipeline is worth checking", async () => {
    fake.handler = () => ({ status: 204 });
    const a = await queries().answer(question("failed-requests"), [resource(PROD)]);
    expect(a.table).toEqual({ columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "OperationName", type: "string" }, { name: "ResultSignature", type: "string" }, { name: "DurationMs", type: "real" }, { name: "CorrelationId", type: "string" }, { name: "deployment", type: "string" }], rows: [] });
    expect(a.empty).toBe(`No failed requests (non-2xx RequestResponse rows) for gpt-4o in the last 1 h. Log Analytics holds no data at all for the window in workspace ${WS_PROD}: check that the diagnostic setting still sends logs there.`);
  });

  it("a PartialError: the rows returned, marked partial with the reason", async () => {
    fake.handler = () => ({ status: 200, body: tableBody([{ name: "ResultSignature", type: "string" }, { name: "calls", type: "long" }, { name: "last_seen", type: "datetime" }], [["429", 80, "2026-11-30T13:59:00Z"]], { error: { code: "PartialError", message: "There were some errors when processing your query.", details: [{ code: "EngineError", message: "Partial query failure: Low memory condition (E_LOW_MEMORY_CONDITION)." }] } }) });
    const a = await queries().answer(question("error-codes"), [resource(PROD)]);
    expect(a.table.rows).toEqual([["429", 80, "2026-11-30T13:59:00.000Z"]]);
    expect(a.partial).toBe("There were some errors when processing your query: Partial query failure: Low memory condition (E_LOW_MEMORY_CONDITION).");
  });

  it("a workspace the bot may not read: the missing role on that workspace", async () => {
    fake.handler = () => ({ status: 403, body: { error: { code: "InsufficientAccessError", message: "The provided credentials have insufficient access to perform the requested operation" } } });
    const err = await queries().answer(question("callers"), [resource(PROD)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LogsAccessDeniedError);
    expect((err as LogsAccessDeniedError).message).toContain(WS_PROD);
    expect((err as LogsAccessDeniedError).hint).toContain('"Log Analytics Reader"');
  });

  it("callers: an address that arrives unmasked is masked as Azure masks it before it is shown", async () => {
    fake.handler = () => ({ status: 200, body: tableBody([{ name: "CallerIPAddress", type: "string" }, { name: "calls", type: "long" }, { name: "errors", type: "long" }, { name: "throttled_429", type: "long" }], [["81.2.69.***", 900, 12, 3], ["10.1.2.3", 40, 0, 0], ["2001:db8::1", 2, 2, 0]]) });
    const a = await queries().answer(question("callers", { limit: 3 }), [resource(PROD)]);
    expect(a.table.rows.map((r) => r[0])).toEqual(["81.2.69.***", "10.1.2.***", "2001:db8::***"]);
    expect(a.notes.join(" ")).toContain("last octet masked");
  });

  it("a narrowing the template can't do is said, not silently dropped", async () => {
    fake.handler = () => ({ status: 200, body: tableBody([{ name: "TimeGenerated", type: "datetime" }, { name: "MetricName", type: "string" }], [["2026-11-30T13:01:00Z", "AzureOpenAIRequests"]]) });
    const a = await queries().answer(question("azure-metrics", { deployments: ["gpt-4o"] }), [resource(PROD)]);
    expect(a.notes).toContain("This query can't be narrowed to deployments; it covers the whole resource.");
    expect(fake.requests[0]?.body.query).not.toContain("gpt-4o");
  });
});

describe("raw kql", () => {
  it("runs as typed over the window, keeps every row for the file, shows maxRows in chat", async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`op-${String(i)}`, i]);
    fake.handler = () => ({ status: 200, body: tableBody([{ name: "OperationName", type: "string" }, { name: "n", type: "long" }], rows) });
    const typed = "AzureDiagnostics\n// everything\n| summarize n = count() by OperationName";
    const a = await queries({ maxRows: 50 }).answer(kql(typed), [resource(PROD)]);

    expect(fake.requests[0]?.body).toEqual({ query: typed, timespan: "2026-11-30T13:00:30.000Z/2026-11-30T14:00:30.000Z" });
    expect(a.kind).toBe("kql");
    expect(a.table.rows).toHaveLength(120);
    expect(a.shownRows).toBe(50);
    // the platforms say how many rows they left out (their own limits may cut more)
    expect(a.lines).toEqual([]);
    expect(a.sources).toEqual([`workspace ${WS_PROD} · KQL ${typed} · timespan 2026-11-30T13:00:30Z/2026-11-30T14:00:30Z`]);
    expect(a.notes.join(" ")).toContain("read-only");
    expect((a.requests[0] as LogsRequest).template).toBeUndefined();
  });

  it("no rows: says the query returned none in the window", async () => {
    fake.handler = () => ({ status: 200, body: tableBody([{ name: "x", type: "long" }], []) });
    const a = await queries().answer(kql("AzureDiagnostics | where false"), [resource(PROD)]);
    expect(a.empty).toBe("The query returned no rows in the last 1 h.");
  });

  it("the demo's simulated workspace refuses it: it needs a real workspace", async () => {
    const demo: LogsBackend = { kind: "demo", query: () => Promise.resolve({ status: "no-data" }) };
    const err = await queries({ backend: demo }).answer(kql("AzureDiagnostics | take 1"), [resource(PROD)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KqlNeedsWorkspaceError);
    expect((err as KqlNeedsWorkspaceError).message).toContain("needs a real Log Analytics workspace");
    expect(await queries({ backend: demo }).plan(kql("x"), [resource(PROD)]).catch((e: unknown) => e)).toBeInstanceOf(KqlNeedsWorkspaceError);
  });
});
