// The simulator on the wire: raw requests as clients send them, raw JSON as the service writes it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEMO_RESOURCE_ID } from "../../src/demo/demo-resource.ts";
import { SimulatedAzureMonitor, type SimulatorResponse } from "../../src/demo/simulator.ts";
import { NOW, span } from "./demo-client.ts";

interface WirePoint {
  timeStamp: string;
  [aggregation: string]: number | string;
}
interface WireBody {
  value: { timeseries: { metadatavalues: { name: { value: string; localizedValue: string }; value: string }[]; data?: WirePoint[] }[] }[];
  error?: { code: string; message: string };
  [key: string]: unknown;
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/GetMetric.json", import.meta.url), "utf8")) as { response: { value: Record<string, unknown>[] } };
const sim = new SimulatedAzureMonitor({ now: () => NOW });
const METRICS_PATH = `${DEMO_RESOURCE_ID}/providers/Microsoft.Insights/metrics`;

function get(query: string, path = METRICS_PATH, method = "GET"): SimulatorResponse & { json: WireBody } {
  const res = sim.handle({ method, url: `https://management.azure.com/${path}?${query}` });
  return { ...res, json: JSON.parse(res.body) as WireBody };
}

function points(res: { json: WireBody }, metric = 0, series = 0): WirePoint[] {
  return res.json.value[metric]?.timeseries[series]?.data ?? [];
}

const V = "api-version=2024-02-01";

describe("what the SDKs send", () => {
  it("accepts the leading // in the path, %24filter and parameter names in any case", () => {
    const filter = encodeURIComponent("ModelDeploymentName eq 'gpt-4o' and StatusCode eq '*'");
    const res = get(`${V}&TimeSpan=${span(-30, 0)}&INTERVAL=pt5m&MetricNames=AzureOpenAIRequests&Aggregation=total&%24filter=${filter}`, `/${METRICS_PATH}`);
    expect(res.status).toBe(200);
    expect(res.json.value[0]?.timeseries.length).toBeGreaterThan(0);
    expect(points(res)).toHaveLength(6);
  });

  it("accepts a path without scheme and host, as a tool or test might send", () => {
    const res = sim.handle({ method: "GET", url: `//${METRICS_PATH}?${V}&metricnames=AzureOpenAIRequests&timespan=${span(-5, 0)}` });
    expect(res.status).toBe(200);
  });

  it("resolves a bare duration, start/duration and duration/end timespan", () => {
    const names = `${V}&metricnames=AzureOpenAIRequests&interval=PT1M&timespan=`;
    const bare = get(`${names}PT10M`);
    const startDuration = get(`${names}${span(-10, 0).split("/")[0] ?? ""}/PT10M`);
    const durationEnd = get(`${names}PT10M/${span(-10, 0).split("/")[1] ?? ""}`);
    expect(points(bare)).toHaveLength(10);
    expect(points(startDuration)).toEqual(points(bare));
    expect(points(durationEnd)).toEqual(points(bare));
  });
});

describe("what the service writes", () => {
  it("has the documented envelope and, per metric, the fields of the official GetMetric example", () => {
    const res = get(`${V}&timespan=${span(-60, 0)}&interval=PT15M&metricnames=AzureOpenAIRequests&aggregation=Total&metricnamespace=Microsoft.CognitiveServices/accounts`);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(Object.keys(res.json).sort()).toEqual(["cost", "interval", "namespace", "resourceregion", "timespan", "value"]);
    expect(res.json).toMatchObject({ interval: "PT15M", namespace: "Microsoft.CognitiveServices/accounts", resourceregion: "swedencentral", timespan: span(-60, 0) });
    const exampleKeys = Object.keys(fixture.response.value[0] ?? {});
    expect(Object.keys(res.json.value[0] ?? {}).sort()).toEqual([...new Set([...exampleKeys, "displayDescription", "errorCode"])].sort());
    expect(res.json.value[0]).toMatchObject({ type: "Microsoft.Insights/metrics", errorCode: "Success", id: `${DEMO_RESOURCE_ID}/providers/Microsoft.Insights/metrics/AzureOpenAIRequests` });
  });

  it("writes timestamps without milliseconds, starting at the start minute, one per interval", () => {
    const start = Date.parse(span(-60, 0).split("/")[0] ?? "") + 25_000;
    const res = get(`${V}&timespan=${new Date(start).toISOString()}/${span(-60, 0).split("/")[1] ?? ""}&interval=PT15M&metricnames=AzureOpenAIRequests`);
    const stamps = points(res).map((p) => p.timeStamp);
    expect(stamps).toHaveLength(4);
    expect(stamps[0]).toBe(span(-60, 0).split("/")[0]);
    for (const s of stamps) expect(s).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
  });

  it("leaves out the minute the span ends inside, as the service does", () => {
    const [from = ""] = span(-5, 0).split("/");
    const end = new Date(Date.parse(from) + 4 * 60_000 + 59_000).toISOString();
    expect(points(get(`${V}&timespan=${from}/${end}&interval=PT1M&metricnames=AzureOpenAIRequests`))).toHaveLength(4);
  });

  it("puts only the requested aggregations in each point", () => {
    const res = get(`${V}&timespan=${span(-30, 0)}&interval=PT5M&metricnames=AzureOpenAITimeToResponse&aggregation=maximum,count`);
    for (const p of points(res)) expect(Object.keys(p).sort()).toEqual(["count", "maximum", "timeStamp"]);
  });

  it("uses each metric's primary aggregation when none is asked for", () => {
    const res = get(`${V}&timespan=${span(-5, 0)}&metricnames=AzureOpenAIRequests,AzureOpenAITimeToResponse`);
    expect(Object.keys(points(res, 0)[0] ?? {}).sort()).toEqual(["timeStamp", "total"]);
    expect(Object.keys(points(res, 1)[0] ?? {}).sort()).toEqual(["average", "timeStamp"]);
  });

  it("merges everything into one unlabelled series without a split, and answers [] when a filter matches nothing", () => {
    const merged = get(`${V}&timespan=${span(-5, 0)}&metricnames=AzureOpenAIRequests`);
    expect(merged.json.value[0]?.timeseries).toHaveLength(1);
    expect(merged.json.value[0]?.timeseries[0]?.metadatavalues).toEqual([]);
    const none = get(`${V}&timespan=${span(-5, 0)}&metricnames=AzureOpenAIRequests&$filter=${encodeURIComponent("ModelDeploymentName eq 'no-such-deployment'")}`);
    expect(none.json.value[0]?.timeseries).toEqual([]);
  });

  it("labels each split series with every split dimension, in filter order", () => {
    const filter = encodeURIComponent("StreamType eq '*' and ModelDeploymentName eq '*'");
    const res = get(`${V}&timespan=${span(-60, 0)}&interval=FULL&metricnames=AzureOpenAIRequests&$filter=${filter}&top=20`);
    const series = res.json.value[0]?.timeseries ?? [];
    // Three chat deployments stream and do not; embeddings never stream.
    expect(series).toHaveLength(7);
    for (const s of series) expect(s.metadatavalues.map((m) => m.name.value)).toEqual(["streamtype", "modeldeploymentname"]);
  });

  it("merges a split dimension back into one series when it is rolled up", () => {
    const filter = encodeURIComponent("StatusCode eq '*' and ModelDeploymentName eq '*'");
    const res = get(`${V}&timespan=${span(-60, 0)}&interval=FULL&metricnames=AzureOpenAIRequests&$filter=${filter}&rollupby=StatusCode`);
    const series = res.json.value[0]?.timeseries ?? [];
    expect(series.map((s) => s.metadatavalues.map((m) => m.name.value))).toEqual([["modeldeploymentname"], ["modeldeploymentname"], ["modeldeploymentname"], ["modeldeploymentname"]]);
  });

  it("cuts split series to 10 by default", () => {
    const filter = encodeURIComponent("Category eq '*' and TextType eq '*' and ModelDeploymentName eq '*'");
    const res = get(`${V}&timespan=${span(-7 * 24 * 60, 0)}&interval=FULL&metricnames=RAIRejectedRequests&$filter=${filter}`);
    expect(res.json.value[0]?.timeseries).toHaveLength(10);
  });

  it("gives every response a request id", () => {
    const a = get(`${V}&timespan=${span(-5, 0)}&metricnames=AzureOpenAIRequests`);
    const b = get(`${V}&metricnames=Nope`);
    expect(a.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers["x-ms-request-id"]).not.toBe(b.headers["x-ms-request-id"]);
  });

  it("serves the metric namespace list", () => {
    const res = sim.handle({ method: "GET", url: `https://management.azure.com/${DEMO_RESOURCE_ID}/providers/microsoft.insights/metricNamespaces?${V}` });
    expect(JSON.parse(res.body)).toMatchObject({ value: [{ name: "Microsoft.CognitiveServices/accounts", properties: { metricNamespaceName: "Microsoft.CognitiveServices/accounts" } }] });
  });
});

describe("errors, in the ARM error shape", () => {
  it.each([
    ["an end before the start", `${V}&metricnames=AzureOpenAIRequests&timespan=${span(0, -60).replace(/\/.*/, "")}/${span(-60, 0).replace(/\/.*/, "")}`],
    ["a timespan that is not ISO 8601", `${V}&metricnames=AzureOpenAIRequests&timespan=yesterday`],
    ["an unsupported grain", `${V}&metricnames=AzureOpenAIRequests&timespan=${span(-60, 0)}&interval=PT2M`],
    ["more than 50,000 points per series", `${V}&metricnames=AzureOpenAIRequests&timespan=${span(-40 * 24 * 60, 0)}&interval=PT1M`],
    ["an unknown aggregation", `${V}&metricnames=AzureOpenAIRequests&timespan=${span(-60, 0)}&aggregation=median`],
    ["a bad top", `${V}&metricnames=AzureOpenAIRequests&timespan=${span(-60, 0)}&top=-1`],
    ["a bad orderby", `${V}&metricnames=AzureOpenAIRequests&timespan=${span(-60, 0)}&orderby=${encodeURIComponent("Total sideways")}`],
    ["another namespace", `${V}&metricnames=AzureOpenAIRequests&timespan=${span(-60, 0)}&metricnamespace=Microsoft.Storage/storageAccounts`],
    ["no metric names", `${V}&timespan=${span(-60, 0)}`],
    ["no api-version", `metricnames=AzureOpenAIRequests`],
    ["an unknown api-version", `api-version=1999-01-01&metricnames=AzureOpenAIRequests`],
  ])("answers 400 for %s", (_, query) => {
    const res = get(query);
    expect(res.status).toBe(400);
    expect(typeof res.json.error?.code).toBe("string");
    expect(res.json.error?.message.length).toBeGreaterThan(10);
  });

  it("names the supported grains when the interval is wrong", () => {
    expect(get(`${V}&metricnames=AzureOpenAIRequests&interval=PT3M`).json.error?.message).toBe("Invalid time grain duration: PT3M, supported ones are: PT1M,PT5M,PT15M,PT30M,PT1H,PT6H,PT12H,P1D,FULL");
  });

  it("answers 404 for paths it does not serve and 405 for other methods", () => {
    expect(get(V, `${DEMO_RESOURCE_ID}/providers/Microsoft.Insights/alertRules`).status).toBe(404);
    expect(get(`${V}&metricnames=AzureOpenAIRequests`, METRICS_PATH, "POST").status).toBe(405);
  });
});
