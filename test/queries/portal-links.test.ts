// "Open in Azure portal": every metric answer links to Metrics explorer and every log answer to Log
// Analytics, in the portal of the cloud the bot reads. Each link is decoded here the way the portal
// reads it (path segments URL-decoded; the chart as JSON; the query base64 + gunzip) and compared
// with what was sent to Azure: the same resource, metric, aggregation, filter, split and window, the
// same KQL, scope and timespan.
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../../src/app/config.ts";
import { createQuerySource, type QuerySource } from "../../src/app/query-source.ts";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { portalFor } from "../../src/queries/portal-hosts.ts";
import type { Question } from "../../src/queries/question.ts";
import { QueryService } from "../../src/queries/service.ts";
import type { LogQuestion, RawKqlQuestion } from "../../src/queries/table-questions.ts";
import { ACCOUNT, startKqlWorld, WORKSPACE, type KqlWorld } from "../adapters/kql-world.ts";
import { FakeAzureMonitor, fakeCredential, type RecordedRequest } from "../fakes/azure-monitor.ts";

const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const NOW = new Date("2026-11-29T10:00:00Z");
const LATER = new Date("2026-11-29T11:00:00Z");
const PUBLIC = "https://portal.azure.com";
const GOVERNMENT = "https://portal.azure.us";

describe("the portal of the configured cloud", () => {
  it("is the cloud's own portal for its Resource Manager endpoint", () => {
    expect(portalFor("https://management.azure.com")).toBe(PUBLIC);
    expect(portalFor("https://management.usgovcloudapi.net/")).toBe(GOVERNMENT);
    expect(portalFor("https://Management.ChinaCloudApi.cn")).toBe("https://portal.azure.cn");
  });

  it("is unknown for any other endpoint, so no link is made rather than a wrong one", () => {
    expect(portalFor("https://management.local.azurestack.external")).toBeUndefined();
    expect(portalFor("http://127.0.0.1:8443")).toBeUndefined();
    expect(portalFor("https://management.azure.com:8443")).toBeUndefined();
    expect(portalFor("not a url")).toBeUndefined();
  });
});

interface MetricsLink {
  readonly resourceId: string;
  readonly time: { absolute: { startTime: string; endTime: string }; showUTCTime: boolean; grain: number };
  readonly chart: {
    metrics: { resourceMetadata: { id: string }; name: string; aggregationType: number; namespace: string }[];
    grouping?: { dimension: string; sort: number; top: number };
    filterCollection?: { filters: { key: string; operator: number; values: string[] }[] };
  };
}

/** A Metrics explorer deep link read back: each path segment after its name, URL-decoded. */
function readMetricsLink(url: string, portal: string): MetricsLink {
  const prefix = `${portal}/#blade/Microsoft_Azure_MonitoringMetrics/Metrics.ReactView/Referer/MetricsExplorer/`;
  expect(url.startsWith(prefix)).toBe(true);
  const parts = url.slice(prefix.length).split("/");
  const named = new Map<string, string>();
  for (let i = 0; i < parts.length; i += 2) named.set(parts[i] ?? "", decodeURIComponent(parts[i + 1] ?? ""));
  const chart = JSON.parse(named.get("ChartDefinition") ?? "{}") as { v2charts: MetricsLink["chart"][] };
  expect(chart.v2charts).toHaveLength(1);
  return { resourceId: named.get("ResourceId") ?? "", time: JSON.parse(named.get("TimeContext") ?? "{}") as MetricsLink["time"], chart: chart.v2charts[0]! };
}

/** The $filter Azure received, as the clauses a chart's filter and split hold. */
function sentClauses(req: RecordedRequest): { filters: { key: string; values: string[] }[]; split: string[] } {
  const filters = new Map<string, string[]>();
  const split: string[] = [];
  for (const [, key = "", value = ""] of (req.query.$filter ?? "").matchAll(/(\w+) eq '([^']*)'/g)) {
    if (value === "*") split.push(key);
    else filters.set(key, [...(filters.get(key) ?? []), value]);
  }
  return { filters: [...filters].map(([key, values]) => ({ key, values })), split };
}

const sameInstant = (a: string, b: string): void => {
  expect(Date.parse(a)).toBe(Date.parse(b));
};

describe("Metrics explorer links of metric answers", () => {
  let fake: FakeAzureMonitor;
  const deployments = { timespan: "x", value: [{ name: { value: "AzureOpenAIRequests" }, unit: "Count", timeseries: ["gpt-4o", "gpt-4o-mini"].map((d) => ({ metadatavalues: [{ name: { value: "modeldeploymentname", localizedValue: "ModelDeploymentName" }, value: d }], data: [] })) }] };
  const service = (portal?: string) => new QueryService({ metrics: new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), now: () => NOW }), resourceIds: [AOAI], zone: "UTC", now: () => LATER, ...(portal ? { portal } : {}) });
  const question = (over: Partial<Question>): Question => ({ topic: "t", asks: [], window: { kind: "absolute", start: "2026-11-29T09:00:00Z", end: "2026-11-29T10:00:00Z" }, filters: {}, notes: [], ...over });

  beforeEach(async () => {
    fake = await new FakeAzureMonitor().start();
    // every metric asked answers one 200 series per deployment with a point in the window
    fake.handler = (req) => ({
      status: 200,
      body: req.query.resultType === "Metadata" ? deployments : {
        timespan: req.query.timespan,
        interval: req.query.interval,
        value: (req.query.metricnames ?? "").split(",").map((name) => ({
          name: { value: name, localizedValue: name },
          unit: "Count",
          timeseries: ["gpt-4o", "gpt-4o-mini"].map((d) => ({ metadatavalues: [{ name: { value: "modeldeploymentname", localizedValue: "ModelDeploymentName" }, value: d }, { name: { value: "statuscode", localizedValue: "StatusCode" }, value: "200" }], data: [{ timeStamp: "2026-11-29T09:01:00Z", total: 7, average: 120, count: 7 }] })),
        })),
      },
    });
  });
  afterEach(async () => {
    await fake.close();
  });

  /** The current-window figures request that carried `metric`. */
  const sentFor = (metric: string, filterHas = ""): RecordedRequest => {
    const req = fake.metricsRequests().find((r) => r.query.metricnames?.split(",").includes(metric) && r.query.interval !== "FULL" && r.query.timespan?.startsWith("2026-11-29T09:00") && (r.query.$filter ?? "").includes(filterHas));
    expect(req).toBeDefined();
    return req!;
  };

  it("a split answer opens the same metric, aggregation, filter, split and UTC window (public cloud)", async () => {
    const a = await service(PUBLIC).answer(question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "429s", status: { kind: "exact", code: "429" } }], filters: { ModelDeploymentName: ["gpt-4o"] }, splitBy: "ApiName", top: 3 }));
    expect(a.links).toHaveLength(1);
    const link = a.links![0]!;
    expect(link).toMatchObject({ kind: "metrics", about: "429s" });
    const read = readMetricsLink(link.url, PUBLIC);
    const sent = sentFor("AzureOpenAIRequests");
    expect(read.resourceId).toBe(AOAI);
    expect(read.chart.metrics).toEqual([expect.objectContaining({ resourceMetadata: { id: AOAI }, name: "AzureOpenAIRequests", namespace: "Microsoft.CognitiveServices/accounts", aggregationType: 1 })]);
    expect(sent.query.aggregation).toBe("Total");
    // the $filter's values are the chart's filters, its `eq '*'` the chart's split
    const clauses = sentClauses(sent);
    expect(clauses).toEqual({ filters: [{ key: "ModelDeploymentName", values: ["gpt-4o"] }, { key: "StatusCode", values: ["429"] }], split: ["ApiName"] });
    expect(read.chart.filterCollection?.filters).toEqual(clauses.filters.map((f) => ({ ...f, operator: 0 })));
    expect(read.chart.grouping).toMatchObject({ dimension: "ApiName", sort: 2 });
    const [start = "", end = ""] = (sent.query.timespan ?? "").split("/");
    sameInstant(read.time.absolute.startTime, start);
    sameInstant(read.time.absolute.endTime, end);
    expect(read.time).toMatchObject({ showUTCTime: true, grain: 1 });
    // the grain the figure was read at is in its source line, for the portal's chart to be set to it
    expect(a.results[0]?.provenance.interval).toBe(sent.query.interval);
  });

  it("several figures: one link each, with its own metric, aggregation and filter (US Government cloud)", async () => {
    const a = await service(GOVERNMENT).answer(question({
      asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }, { metric: "AzureOpenAITimeToResponse", aggregation: "Average", label: "Latency" }],
      filters: { ModelDeploymentName: ["gpt-4o", "gpt-4o-mini"] },
    }));
    // two deployments compared side by side, two metrics each: four figures, four charts
    expect(a.results.map((r) => [r.provenance.metric, r.item?.value]).sort()).toEqual([["AzureOpenAIRequests", "gpt-4o"], ["AzureOpenAIRequests", "gpt-4o-mini"], ["AzureOpenAITimeToResponse", "gpt-4o"], ["AzureOpenAITimeToResponse", "gpt-4o-mini"]]);
    expect(a.links?.map((l) => l.about)).toEqual(a.results.map((r) => r.label));
    const read = (a.links ?? []).map((l) => readMetricsLink(l.url, GOVERNMENT));
    // the portal's enum: Total 1, Average 4
    expect(read.map((r) => [r.chart.metrics[0]?.name, r.chart.metrics[0]?.aggregationType])).toEqual(a.results.map((r) => [r.provenance.metric, r.aggregation === "Total" ? 1 : 4]));
    a.results.forEach((r, i) => {
      const deployment = r.item?.value ?? "";
      const sent = sentClauses(sentFor(r.provenance.metric, `'${deployment}'`));
      expect(read[i]?.chart.filterCollection?.filters).toEqual(sent.filters.map((f) => ({ ...f, operator: 0 })));
      expect(read[i]?.chart.filterCollection?.filters).toContainEqual({ key: "ModelDeploymentName", operator: 0, values: [deployment] });
      // latency is read for successful calls, split by StatusCode to keep them: the chart splits the same way
      expect(read[i]?.chart.grouping?.dimension).toBe(sent.split[0]);
    });
  });

  it("without a known portal the answer carries no links", async () => {
    const a = await service().answer(question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }] }));
    expect(a.results).toHaveLength(1);
    expect(a.links).toBeUndefined();
  });
});

/** A Log Analytics deep link read back: the scope, the KQL (twice URL-decoded, base64, gunzip) and the timespan. */
function readLogsLink(url: string, portal: string): { scope: string; query: string; timespan: string } {
  const m = /^(.+?)\/#blade\/Microsoft_OperationsManagementSuite_Workspace\/Logs\.ReactView\/resourceId\/([^/]+)\/source\/LogsBlade\.AnalyticsShareLinkToQuery\/q\/([^/]+)\/timespan\/([^/]+)$/.exec(url);
  expect(m?.[1]).toBe(portal);
  const packed = decodeURIComponent(decodeURIComponent(m?.[3] ?? ""));
  return { scope: decodeURIComponent(m?.[2] ?? ""), query: gunzipSync(Buffer.from(packed, "base64")).toString("utf8"), timespan: decodeURIComponent(m?.[4] ?? "") };
}

describe("Log Analytics links of log answers, through the query source of the configured cloud", () => {
  let world: KqlWorld;
  const base = loadConfig({ env: {}, cwd: "/nonexistent" });
  const source = (over: Partial<Config>): QuerySource =>
    createQuerySource({ ...base, resourceIds: [ACCOUNT], ...over }, { source: "azure", now: NOW, credential: fakeCredential, httpClient: world.arm.httpClient(), logsHttpClient: world.logAnalytics.httpClient() });
  const logs = (template: LogQuestion["template"]): LogQuestion => ({ kind: "logs", template, topic: "from the request logs", window: { kind: "relative", minutes: 60 }, deployments: ["gpt-4o"], notes: [] });
  const kql = (query: string): RawKqlQuestion => ({ kind: "kql", topic: "kql", query, window: { kind: "relative", minutes: 60 }, notes: [] });
  const ask = async (s: QuerySource, q: LogQuestion | RawKqlQuestion) => s.tables.answer(q, await s.service.resources(), NOW);

  beforeAll(async () => {
    world = await startKqlWorld();
  });
  afterAll(async () => {
    await world.close();
  });
  beforeEach(() => {
    world.logAnalytics.requests.length = 0;
  });

  it("raw KQL opens the same query, workspace and time range (US Government cloud)", async () => {
    const text = 'AzureDiagnostics\n| where Category == "RequestResponse" and ResultSignature == "429"\n| summarize calls = count() by bin(TimeGenerated, 5m)';
    const a = await ask(source({ armEndpoint: "https://management.usgovcloudapi.net" }), kql(text));
    const sent = world.logAnalytics.requests.at(-1);
    expect(a.links).toHaveLength(1);
    expect(a.links?.[0]).toMatchObject({ kind: "logs", about: "law-prod" });
    const read = readLogsLink(a.links?.[0]?.url ?? "", GOVERNMENT);
    expect(read.scope).toBe(WORKSPACE);
    expect(read.query).toBe(text);
    expect(read.query).toBe(sent?.body.query);
    const [start = "", end = ""] = read.timespan.split("/");
    const [sentStart = "", sentEnd = ""] = (sent?.body.timespan ?? "").split("/");
    sameInstant(start, sentStart);
    sameInstant(end, sentEnd);
  });

  it("a log template opens the KQL it was answered with (public cloud)", async () => {
    const a = await ask(source({}), logs("errors-by-deployment"));
    const sent = world.logAnalytics.requests.at(-1);
    const read = readLogsLink(a.links?.[0]?.url ?? "", PUBLIC);
    expect(read.scope).toBe(WORKSPACE);
    expect(read.query).toBe(sent?.body.query);
    expect(read.query).toContain(`| where _ResourceId in~ ("${ACCOUNT}")`);
  });

  it("a workspace named by its GUID: a template opens the resource's own logs; raw KQL gets no link", async () => {
    const s = source({ workspaces: { [ACCOUNT]: "b3c7a6c0-3f5e-4b52-9a2e-0c7d0e1f2a3b" } });
    const template = await ask(s, logs("errors-by-deployment"));
    expect(readLogsLink(template.links?.[0]?.url ?? "", PUBLIC).scope).toBe(ACCOUNT);
    expect(template.links?.[0]?.about).toBe("aoai-prod");
    const raw = await ask(s, kql("AzureDiagnostics | take 5"));
    expect(raw.table.rows.length).toBeGreaterThan(0);
    expect(raw.links).toEqual([]);
  });

  it("an unknown cloud gets no links, for logs or metrics", async () => {
    const s = source({ armEndpoint: "https://management.local.azurestack.external" });
    const a = await ask(s, kql("AzureDiagnostics | take 5"));
    expect(a.table.rows.length).toBeGreaterThan(0);
    expect(a.links).toBeUndefined();
    const m = await s.service.answer({ topic: "Requests", asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }], window: { kind: "relative", minutes: 60 }, filters: {}, notes: [] });
    expect(m.links).toBeUndefined();
  });

  it("metric answers of a sovereign cloud open its portal", async () => {
    const m = await source({ armEndpoint: "https://management.chinacloudapi.cn" }).service.answer({ topic: "Requests", asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }], window: { kind: "relative", minutes: 60 }, filters: {}, notes: [] });
    expect(readMetricsLink(m.links?.[0]?.url ?? "", "https://portal.azure.cn").resourceId).toBe(ACCOUNT);
  });
});
