// The demo's simulated Log Analytics workspace, asked as the bot asks it: a LogsRequest built from
// the vetted templates (log-templates.ts, absence-template.ts), checked against the demo metrics read
// through the real @azure/arm-monitor client from the same simulator.
import { describe, expect, it } from "vitest";
import { DEMO_DEPLOYMENTS, DEMO_RESOURCE_ID } from "../../../src/demo/demo-resource.ts";
import { dataWindow } from "../../../src/demo/ingestion.ts";
import { SimulatedAzureMonitor } from "../../../src/demo/simulator.ts";
import { DemoLogsBackend } from "../../../src/demo/workspace/demo-logs-backend.ts";
import { LOG_DELAY_MS, logsWindow } from "../../../src/demo/workspace/log-ingestion.ts";
import { CELLS, MinuteCalls } from "../../../src/demo/workspace/minute-calls.ts";
import { DEMO_WORKSPACE_ID, DEMO_WORKSPACE_RESOURCE_ID } from "../../../src/demo/workspace/workspace-identity.ts";
import { absenceKql, absenceParams } from "../../../src/queries/logs/absence-template.ts";
import { KqlNeedsWorkspaceError, LogsWorkspaceNotFoundError } from "../../../src/queries/logs/log-errors.ts";
import { bindLogParams, LOG_TEMPLATES, type LogTemplateParams, type TableTemplateId } from "../../../src/queries/logs/log-templates.ts";
import type { LogsOutcome } from "../../../src/queries/logs/logs-backend.ts";
import type { Cell, LogsRequest, ResultTable } from "../../../src/queries/table-answer.ts";
import { isoSpan } from "../../../src/queries/time-window.ts";
import { byKey, demoClient, NOW, sumOf } from "../demo-client.ts";

const sim = new SimulatedAzureMonitor({ now: () => NOW });
const backend = new DemoLogsBackend({ traffic: sim.traffic, now: () => NOW });
const metrics = demoClient(sim);

function request(id: TableTemplateId, params: Omit<LogTemplateParams, "resourceIds"> & { resourceIds?: readonly string[] }, workspace: string = DEMO_WORKSPACE_ID): LogsRequest {
  const full = { resourceIds: [DEMO_RESOURCE_ID], ...params };
  return { api: "logs", workspace, query: LOG_TEMPLATES[id].build(full), timespan: isoSpan(full), template: { id, params: { ...bindLogParams(id, full) } }, serverTimeoutSeconds: 60 };
}

function tableOf(outcome: LogsOutcome): ResultTable {
  if (outcome.status === "no-data") throw new Error("expected a table");
  return outcome.table;
}

async function ask(id: TableTemplateId, params: Omit<LogTemplateParams, "resourceIds"> & { resourceIds?: readonly string[] }, on: DemoLogsBackend = backend): Promise<ResultTable> {
  return tableOf(await on.query(request(id, params)));
}

/** The table's rows as objects keyed by column name. */
function records(t: ResultTable): Record<string, Cell>[] {
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i] ?? null])));
}

const at = (iso: string) => new Date(iso);
const MORNING = { start: at("2026-11-27T08:00:00Z"), end: at("2026-11-27T11:00:00Z") };

describe("agreement with the demo metrics", () => {
  it("counts each deployment's rows by status exactly as AzureOpenAIRequests counts them by StatusCode", async () => {
    const res = await metrics.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "FULL", timespan: isoSpan(MORNING), filter: "ModelDeploymentName eq '*' and StatusCode eq '*'", top: 50 });
    const fromMetrics = new Map([...byKey(res.value[0])].map(([key, points]) => [key, sumOf(points, "total")]));
    const byDeployment = new Map(records(await ask("errors-by-deployment", MORNING)).map((r) => [r.deployment, r]));
    let compared = 0;
    for (const d of DEMO_DEPLOYMENTS) {
      const codes = new Map(records(await ask("error-codes", { ...MORNING, deployments: [d.name], limit: 100 })).map((r) => [r.ResultSignature, r.calls]));
      const total = [...fromMetrics].filter(([key]) => key.startsWith(`${d.name}/`)).reduce((s, [, n]) => s + n, 0);
      expect(byDeployment.get(d.name)?.calls).toBe(total);
      for (const code of ["400", "429", "500", "503"]) {
        const metric = fromMetrics.get(`${d.name}/${code}`) ?? 0;
        expect(codes.get(code) ?? 0, `${d.name} ${code}`).toBe(metric);
        compared += metric;
      }
      expect(byDeployment.get(d.name)?.throttled_429).toBe(fromMetrics.get(`${d.name}/429`) ?? 0);
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("logs gpt-4o-ptu's spilled requests as gpt-4o's rows, as the metrics count them, from gpt-4o-ptu's callers", async () => {
    const afternoon = { start: at("2026-11-26T13:00:00Z"), end: at("2026-11-26T16:00:00Z") };
    const res = await metrics.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "FULL", timespan: isoSpan(afternoon), filter: "ModelDeploymentName eq '*' and IsSpillover eq '*'", top: 50 });
    const fromMetrics = new Map([...byKey(res.value[0])].map(([key, points]) => [key, sumOf(points, "total")]));
    const byDeployment = new Map(records(await ask("errors-by-deployment", afternoon)).map((r) => [r.deployment, r]));
    const spilled = fromMetrics.get("gpt-4o/true") ?? 0;
    expect(spilled).toBeGreaterThan(100);
    expect(byDeployment.get("gpt-4o")?.calls).toBe((fromMetrics.get("gpt-4o/false") ?? 0) + spilled);
    expect(byDeployment.get("gpt-4o-ptu")?.calls).toBe(fromMetrics.get("gpt-4o-ptu/false"));
    expect(byDeployment.get("gpt-4o-ptu")?.throttled_429).toBe(0);
    // a spilled row is one of the cell's last rows, and its caller one of gpt-4o-ptu's
    const gpt4o = DEMO_DEPLOYMENTS.find((d) => d.name === "gpt-4o");
    if (gpt4o === undefined) throw new Error("no gpt-4o in the demo");
    const calls = new MinuteCalls(sim.traffic, gpt4o);
    const callers = new Set<string>();
    let seen = 0;
    for (let m = afternoon.start.getTime(); m < afternoon.end.getTime(); m += 60_000) {
      calls.moveTo(m);
      for (let cell = 0; cell < CELLS; cell++) {
        const n = calls.count(cell);
        for (let i = n - calls.spilled(cell); i < n; i++) callers.add(calls.callerAddresses[calls.caller(cell, i)] ?? "");
        seen += calls.spilled(cell);
      }
    }
    expect(seen).toBe(spilled);
    expect([...callers].sort()).toEqual(["10.1.4.***", "10.1.7.***"]);
  });

  it("gives each minute's rows the metrics' mean latency: time to response, or time to last byte for streamed successes", async () => {
    const minute = at("2026-11-27T10:07:00Z");
    const span = isoSpan({ start: minute, end: new Date(minute.getTime() + 60_000) });
    const gpt4o = DEMO_DEPLOYMENTS.find((d) => d.name === "gpt-4o");
    if (gpt4o === undefined) throw new Error("no gpt-4o in the demo");
    const calls = new MinuteCalls(sim.traffic, gpt4o);
    calls.moveTo(minute.getTime());
    const mean = (cell: number) => calls.durations(cell).reduce((s, v) => s + v, 0) / calls.count(cell);
    const ttr = await metrics.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAITimeToResponse", aggregation: "Average", interval: "PT1M", timespan: span, filter: "ModelDeploymentName eq 'gpt-4o' and StatusCode eq '200' and StreamType eq 'Non-Streaming'" });
    const ttlt = await metrics.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAITTLTInMS", aggregation: "Average", interval: "PT1M", timespan: span, filter: "ModelDeploymentName eq 'gpt-4o'" });
    // cells are stream × status: 0 = Streaming 200, 5 = Non-Streaming 200
    expect(mean(5)).toBeCloseTo(ttr.value[0]?.timeseries?.[0]?.data?.[0]?.average ?? Number.NaN, -1);
    expect(mean(0)).toBeCloseTo(ttlt.value[0]?.timeseries?.[0]?.data?.[0]?.average ?? Number.NaN, -1);
  });

  it("splits a minute a window cuts through by each row's own time: two halves add up to the whole", async () => {
    const mid = at("2026-11-27T09:30:27Z");
    const whole = records(await ask("errors-by-deployment", MORNING));
    const first = new Map(records(await ask("errors-by-deployment", { start: MORNING.start, end: mid })).map((r) => [r.deployment, r.calls]));
    const second = new Map(records(await ask("errors-by-deployment", { start: mid, end: MORNING.end })).map((r) => [r.deployment, r.calls]));
    for (const r of whole) expect(Number(first.get(r.deployment)) + Number(second.get(r.deployment))).toBe(r.calls);
  });

  it("exports AzureMetrics rows that are the account's metric totals per minute", async () => {
    const window = { start: at("2026-11-27T09:00:00Z"), end: at("2026-11-27T09:05:00Z") };
    const rows = records(await ask("azure-metrics", window)).filter((r) => r.MetricName === "AzureOpenAIRequests");
    const res = await metrics.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: isoSpan(window) });
    const points = res.value[0]?.timeseries?.[0]?.data ?? [];
    expect(rows.map((r) => [r.TimeGenerated, r.Total])).toEqual(points.map((p) => [p.timeStamp.toISOString(), p.total]).reverse());
    expect(rows.every((r) => r.TimeGrain === "PT1M" && r.UnitName === "Count")).toBe(true);
  });
});

describe("percentiles", () => {
  it("orders p50 ≤ p95 ≤ p99 for every deployment and stream type, over successful calls only", async () => {
    const day = { start: at("2026-11-26T12:00:00Z"), end: at("2026-11-27T12:00:00Z") };
    const rows = records(await ask("percentiles", { ...day, percentiles: [50, 95, 99] }));
    expect(rows.map((r) => `${String(r.deployment)}/${String(r.streamType)}`)).toEqual([
      "gpt-4o/Non-Streaming",
      "gpt-4o/Streaming",
      "gpt-4o-mini/Non-Streaming",
      "gpt-4o-mini/Streaming",
      "gpt-4o-ptu/Non-Streaming",
      "gpt-4o-ptu/Streaming",
      "text-embedding-3-large/Non-Streaming",
    ]);
    const successes = new Map(records(await ask("errors-by-deployment", day)).map((r) => [r.deployment, Number(r.calls) - Number(r.client_errors_4xx) - Number(r.server_errors_5xx)]));
    for (const r of rows) {
      expect(Number(r.p50_ms)).toBeGreaterThan(0);
      expect(Number(r.p50_ms)).toBeLessThanOrEqual(Number(r.p95_ms));
      expect(Number(r.p95_ms)).toBeLessThanOrEqual(Number(r.p99_ms));
    }
    for (const [name, ok] of successes) expect(rows.filter((r) => r.deployment === name).reduce((s, r) => s + Number(r.calls), 0)).toBe(ok);
  });

  it("shows gpt-4o's daily latency spike: p95 during 10:00–10:20 UTC well above 09:00–09:20", async () => {
    const p95 = async (start: string, end: string, streamType: string) =>
      Number(records(await ask("percentiles", { start: at(start), end: at(end), deployments: ["gpt-4o"], percentiles: [95], streamType }))[0]?.p95_ms);
    for (const stream of ["Streaming", "Non-Streaming"]) {
      const calm = await p95("2026-11-27T09:00:00Z", "2026-11-27T09:20:00Z", stream);
      const spike = await p95("2026-11-27T10:00:00Z", "2026-11-27T10:20:00Z", stream);
      expect(spike, stream).toBeGreaterThan(1.8 * calm);
    }
  });

  it("answers a 24-hour window over every deployment in well under a second", async () => {
    const fresh = new DemoLogsBackend({ traffic: new SimulatedAzureMonitor({ now: () => NOW }).traffic, now: () => NOW });
    const started = performance.now();
    const rows = await ask("percentiles", { start: at("2026-11-25T12:00:00Z"), end: at("2026-11-26T12:00:00Z"), percentiles: [50, 95, 99] }, fresh);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(rows.rows.length).toBe(7);
  });
});

describe("other templates", () => {
  it("lists the latest failed requests newest first, with status, duration and a correlation id", async () => {
    const rows = records(await ask("failed-requests", { ...MORNING, limit: 10, status: { kind: "exact", code: "400" } }));
    expect(rows).toHaveLength(10);
    const times = rows.map((r) => Date.parse(String(r.TimeGenerated)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[0]).toBeLessThan(MORNING.end.getTime());
    expect(times[0]).toBeGreaterThan(MORNING.end.getTime() - 5 * 60_000);
    for (const r of rows) {
      expect(r.ResultSignature).toBe("400");
      expect(r.CorrelationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(["ChatCompletions_Create", "Embeddings_Create"]).toContain(r.OperationName);
      expect(Number(r.DurationMs)).toBeGreaterThan(0);
    }
  });

  it("names a few masked caller addresses with stable shares, the same in the morning and the afternoon", async () => {
    const share = async (start: string, end: string) => {
      const rows = records(await ask("callers", { start: at(start), end: at(end), deployments: ["gpt-4o-mini"], limit: 10 }));
      const total = rows.reduce((s, r) => s + Number(r.calls), 0);
      return new Map(rows.map((r) => [r.CallerIPAddress, Number(r.calls) / total]));
    };
    const morning = await share("2026-11-27T08:00:00Z", "2026-11-27T10:00:00Z");
    const afternoon = await share("2026-11-26T15:00:00Z", "2026-11-26T17:00:00Z");
    expect([...morning.keys()].every((ip) => /^\d+\.\d+\.\d+\.\*\*\*$/.test(String(ip)))).toBe(true);
    expect(morning.size).toBeGreaterThanOrEqual(3);
    for (const [ip, s] of morning) expect(Math.abs(s - (afternoon.get(ip) ?? 0))).toBeLessThan(0.02);
  });

  it("samples AzureDiagnostics rows with properties_s holding deployment, model and stream type", async () => {
    const rows = records(await ask("sample", MORNING));
    expect(rows).toHaveLength(100);
    for (const r of rows) {
      expect(r.Category).toBe("RequestResponse");
      expect(r._ResourceId).toBe(DEMO_RESOURCE_ID.toLowerCase());
      const props = JSON.parse(String(r.properties_s)) as Record<string, unknown>;
      expect(DEMO_DEPLOYMENTS.map((d) => d.name)).toContain(props.modelDeploymentName);
      expect(["Streaming", "Non-Streaming"]).toContain(props.streamType);
    }
  });

  it("answers the absence template: rows per deployment in the window and each one's newest row", async () => {
    const query = { resourceIds: [DEMO_RESOURCE_ID], deployments: [], start: at("2026-11-27T10:30:00Z"), end: at("2026-11-27T12:30:00Z"), since: at("2026-11-20T12:30:00Z") };
    const outcome = await backend.query({ api: "logs", workspace: DEMO_WORKSPACE_RESOURCE_ID, query: absenceKql(query), timespan: isoSpan({ start: query.since, end: query.end }), template: { id: "absence", params: absenceParams(query) }, serverTimeoutSeconds: 60 });
    const t = tableOf(outcome);
    expect(t.columns.map((c) => c.name)).toEqual(["_ResourceId", "deployment", "rows", "last_row"]);
    const byName = new Map(records(t).map((r) => [r.deployment, r]));
    expect([...byName.keys()]).toEqual(DEMO_DEPLOYMENTS.map((d) => d.name).sort());
    const calls = new Map(records(await ask("errors-by-deployment", { start: query.start, end: query.end })).map((r) => [r.deployment, r.calls]));
    for (const [name, r] of byName) {
      expect(r.rows).toBe(calls.get(name));
      expect(Date.parse(String(r.last_row))).toBeGreaterThan(query.end.getTime() - 60_000);
    }
  });

  it("has the columns the templates declare", async () => {
    const window = { start: at("2026-11-27T09:00:00Z"), end: at("2026-11-27T09:10:00Z") };
    const asked: Record<TableTemplateId, Omit<LogTemplateParams, "resourceIds">> = {
      percentiles: { ...window, percentiles: [50, 99.9] },
      "errors-by-deployment": { ...window, status: { kind: "exact", code: "503" } },
      "error-codes": { ...window, limit: 3 },
      "failed-requests": { ...window, limit: 3 },
      callers: { ...window, limit: 3 },
      sample: window,
      "azure-metrics": window,
    };
    for (const [id, params] of Object.entries(asked) as [TableTemplateId, Omit<LogTemplateParams, "resourceIds">][]) {
      const bound = bindLogParams(id, { resourceIds: [DEMO_RESOURCE_ID], ...params });
      const t = await ask(id, params);
      expect(t.columns, id).toEqual(LOG_TEMPLATES[id].columns(bound));
      expect(t.rows.length, id).toBeGreaterThan(0);
      for (const row of t.rows) expect(row, id).toHaveLength(t.columns.length);
    }
  });

  it("has no rows for a resource other than the demo account", async () => {
    const t = await ask("errors-by-deployment", { ...MORNING, resourceIds: ["/subscriptions/1/resourceGroups/x/providers/Microsoft.CognitiveServices/accounts/other"] });
    expect(t.rows).toEqual([]);
  });
});

describe("ingestion and determinism", () => {
  it("lands a minute's rows a few minutes after its metrics, so the newest rows are older than the newest metric minute", async () => {
    const landedLogs = logsWindow(sim.traffic.seed, NOW.getTime());
    const landedMetrics = dataWindow(sim.traffic.seed, NOW.getTime());
    expect(landedMetrics.end - landedLogs.end).toBeGreaterThanOrEqual(LOG_DELAY_MS - 60_000);
    const newest = records(await ask("sample", { start: at("2026-11-27T12:00:00Z"), end: NOW }))[0];
    const newestMs = Date.parse(String(newest?.TimeGenerated));
    expect(newestMs).toBeLessThan(landedLogs.end);
    // a minute's rows land 4 to 5.5 minutes after it starts
    expect(Math.floor(newestMs / 60_000) * 60_000).toBeLessThanOrEqual(NOW.getTime() - 4 * 60_000);
  });

  it("answers a past window the same whenever it is asked, from a fresh simulator with the same seed", async () => {
    const later = new DemoLogsBackend({ traffic: new SimulatedAzureMonitor({ now: () => NOW }).traffic, now: () => at("2026-12-10T00:00:00Z") });
    for (const id of ["failed-requests", "callers", "percentiles"] as const) {
      const params = { ...MORNING, limit: 5, percentiles: [50, 95] };
      expect(await ask(id, params, later), id).toEqual(await ask(id, params));
    }
  });
});

describe("refusals", () => {
  it("refuses raw KQL, saying it needs a real Log Analytics workspace and how to configure one", async () => {
    const raw: LogsRequest = { api: "logs", workspace: DEMO_WORKSPACE_ID, query: "AzureDiagnostics | take 10", timespan: isoSpan(MORNING), serverTimeoutSeconds: 60 };
    const err: unknown = await backend.query(raw).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KqlNeedsWorkspaceError);
    const e = err as KqlNeedsWorkspaceError;
    expect(e.code).toBe("kql_needs_workspace");
    expect(e.message).toContain("Raw KQL needs a real Log Analytics workspace");
    expect(e.hint).toContain("AOAI_RESOURCE_IDS");
    expect(e.hint).toContain("workspaceId");
  });

  it("does not know another workspace", async () => {
    const err: unknown = await backend.query(request("sample", MORNING, "11111111-2222-3333-4444-555555555555")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LogsWorkspaceNotFoundError);
  });
});
