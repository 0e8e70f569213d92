import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import type { Question } from "../../src/queries/question.ts";
import { restrictResources } from "../../src/queries/scope.ts";
import { QueryService } from "../../src/queries/service.ts";
import { FakeAzureMonitor, fakeCredential, type RecordedRequest } from "../fakes/azure-monitor.ts";
import { expectSentAsPlanned } from "./sent-requests.ts";

const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const NOW = new Date("2026-11-29T10:00:00Z");
/** The service's clock: an hour after the window these tests ask about, so the window is complete (not live). */
const LATER = new Date("2026-11-29T11:00:00Z");

type Point = Record<string, number | string>;
interface Series { dims: Record<string, string>; data: Point[] }

const metricBody = (name: string, unit: string, series: Series[], extra: Record<string, unknown> = {}) => ({
  id: `${AOAI}/providers/Microsoft.Insights/metrics/${name}`,
  type: "Microsoft.Insights/metrics",
  name: { value: name, localizedValue: name },
  unit,
  errorCode: "Success",
  timeseries: series.map((s) => ({ metadatavalues: Object.entries(s.dims).map(([k, v]) => ({ name: { value: k.toLowerCase(), localizedValue: k }, value: v })), data: s.data })),
  ...extra,
});
const at = (minute: number, fields: Record<string, number>): Point => ({ timeStamp: new Date(NOW.getTime() - (60 - minute) * 60_000).toISOString().replace(".000Z", "Z"), ...fields });
const deploymentsBody = { timespan: "x", value: [metricBody("AzureOpenAIRequests", "Count", [{ dims: { ModelDeploymentName: "gpt-4o" }, data: [] }, { dims: { ModelDeploymentName: "gpt-4o-mini" }, data: [] }])] };

let fake: FakeAzureMonitor;
let service: QueryService;
const question = (over: Partial<Question>): Question => ({ topic: "t", asks: [], window: { kind: "absolute", start: "2026-11-29T09:00:00Z", end: "2026-11-29T10:00:00Z" }, filters: {}, notes: [], ...over });
/** Latency is read for successful calls: Azure answers the StatusCode split with a 200 series. */
const ok = { StatusCode: "200" };
/** Scripted replies: Metadata queries list deployments, everything else goes to `data`. */
const script = (data: (req: RecordedRequest) => unknown) => {
  fake.handler = (req) => ({ status: 200, body: req.query.resultType === "Metadata" ? deploymentsBody : data(req) });
};

/** Answers, and checks that Azure received exactly the plan's requests that ran (unconditional + conditions that held). */
const answered = async (q: Question) => {
  const plan = await service.plan(q);
  const before = fake.requests.length;
  const a = await service.answer(q);
  expectSentAsPlanned(fake.requests.slice(before), plan, a.requests);
  return a;
};

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  // tests change Azure's answers between two identical questions: each must reach the fake (the cache has its own tests)
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), now: () => NOW, cache: false });
  service = new QueryService({ metrics, resourceIds: [AOAI], zone: "Europe/Berlin", now: () => LATER });
});
afterEach(async () => {
  await fake.close();
});

describe("answers from Azure Monitor responses", () => {
  it("weights the window average by counts and compares it with the previous window", async () => {
    script((req) => ({
      timespan: req.query.timespan,
      interval: req.query.interval,
      value: [metricBody("AzureOpenAITimeToResponse", "MilliSeconds", [{ dims: ok, data: req.query.interval === "FULL" ? [at(0, { average: 400, count: 10 })] : [at(1, { average: 1000, count: 1 }), at(2, { average: 100, count: 99 }), at(3, {})] }])],
    }));
    const a = await answered(question({ asks: [{ metric: "AzureOpenAITimeToResponse", aggregation: "Average", label: "Latency" }] }));
    const r = a.results[0]!;
    expect(r.value).toBeCloseTo(109, 10);
    expect(r.previous).toBe(400);
    expect(r.points.map((p) => p.value)).toEqual([1000, 100, null]);
    // counts came with the points: the FULL fallback the plan lists is not sent
    expect(fake.metricsRequests()).toHaveLength(2);
    expect(r.provenance).toMatchObject({
      resourceId: AOAI,
      metric: "AzureOpenAITimeToResponse",
      aggregation: "Average",
      interval: "PT1M",
      timespan: "2026-11-29T09:00:00Z/2026-11-29T10:00:00Z",
      previousTimespan: "2026-11-29T08:00:00Z/2026-11-29T09:00:00Z",
      localWindow: "2026-11-29 10:00–11:00 Europe/Berlin",
      method: "Σ(average×count)/Σcount of the 2xx series' 2 PT1M points",
    });
  });

  it("shows no data as null, never as 0", async () => {
    script((req) => ({ timespan: req.query.timespan, value: [metricBody("RAIRejectedRequests", "Count", [])] }));
    const a = await answered(question({ asks: [{ metric: "RAIRejectedRequests", aggregation: "Total", label: "Blocks" }] }));
    expect(a.results[0]).toMatchObject({ value: null, previous: null });
  });

  it("ranks split rows, keeps the headline over every series and counts the rows left out", async () => {
    const rows = { a: 5, b: 50, c: 20, d: 1 };
    script((req) => ({
      timespan: req.query.timespan,
      value: [metricBody("AzureOpenAIRequests", "Count", Object.entries(rows).map(([dep, n]) => ({ dims: { ModelDeploymentName: dep }, data: [at(1, { total: n }), at(2, { total: n })] })))],
    }));
    const a = await answered(question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }], splitBy: "ModelDeploymentName", top: 2 }));
    const r = a.results[0]!;
    expect(r.value).toBe(2 * (5 + 50 + 20 + 1));
    expect(r.series.map((s) => [s.dimensions.ModelDeploymentName, s.value])).toEqual([["b", 100], ["c", 40]]);
    expect(r.hiddenSeries).toBe(2);
  });

  it("keeps a restricted asker's rows and headline to the visible deployments even when Azure sends other series", async () => {
    const rows = { "gpt-4o": 5, "gpt-4o-mini": 50 };
    // an Azure that ignored the deployment clause: every deployment's series comes back
    script((req) => ({
      timespan: req.query.timespan,
      value: [metricBody("AzureOpenAIRequests", "Count", Object.entries(rows).map(([dep, n]) => ({ dims: { ModelDeploymentName: dep }, data: [at(1, { total: n })] })))],
    }));
    const resources = restrictResources([{ id: AOAI, name: "aoai-prod", deployments: ["gpt-4o", "gpt-4o-mini"] }], { deployments: ["gpt-4o"] });
    const a = await service.answer(question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }], splitBy: "ModelDeploymentName" }), undefined, undefined, resources);
    const r = a.results[0]!;
    expect(r.series.map((s) => [s.dimensions.ModelDeploymentName, s.value])).toEqual([["gpt-4o", 5]]);
    expect(r.value).toBe(5);
    expect(fake.metricsRequests().map((q) => q.query.$filter)).toContain("ModelDeploymentName eq '*' and ModelDeploymentName eq 'gpt-4o'");
  });

  it("adds up only the non-2xx status codes for errors", async () => {
    script((req) => ({
      timespan: req.query.timespan,
      value: [metricBody("AzureOpenAIRequests", "Count", [
        { dims: { StatusCode: "200" }, data: [at(1, { total: 1000 })] },
        { dims: { StatusCode: "429" }, data: [at(1, { total: 30 })] },
        { dims: { StatusCode: "500" }, data: [at(1, { total: 2 })] },
      ])],
    }));
    const a = await answered(question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Errors", status: { kind: "class", prefixes: ["4", "5"], label: "4xx + 5xx" } }], splitBy: "StatusCode" }));
    const r = a.results[0]!;
    expect(r.value).toBe(32);
    expect(r.series.map((s) => s.dimensions.StatusCode)).toEqual(["429", "500"]);
    expect(fake.metricsRequests()[0]?.query.$filter).toBe("StatusCode eq '*'");
  });

  it("counts a status class with no matching codes as a real zero, because Azure listed the codes it saw", async () => {
    script((req) => ({ timespan: req.query.timespan, value: [metricBody("AzureOpenAIRequests", "Count", [{ dims: { StatusCode: "200" }, data: [at(1, { total: 1000 })] }])] }));
    const a = await answered(question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "5xx", status: { kind: "class", prefixes: ["5"], label: "5xx" } }] }));
    expect(a.results[0]).toMatchObject({ value: 0, previous: 0 });
    expect(a.results[0]?.provenance.method).toBe("0: no 5xx calls, while the same requests without the StatusCode filter had data");
  });

  it("keeps no data as no data when Azure returned no series at all", async () => {
    script((req) => ({ timespan: req.query.timespan, value: [metricBody("AzureOpenAIRequests", "Count", [])] }));
    const a = await answered(question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "5xx", status: { kind: "class", prefixes: ["5"], label: "5xx" } }] }));
    expect(a.results[0]).toMatchObject({ value: null, previous: null });
  });

  it("tells a real zero of an exact status code from no data by asking without the StatusCode filter", async () => {
    script((req) => ({
      timespan: req.query.timespan,
      // Azure answers an exact filter that matches nothing with no series at all
      value: [metricBody("AzureOpenAIRequests", "Count", req.query.$filter?.includes("'429'") ? [] : [{ dims: { ModelDeploymentName: "gpt-4o" }, data: [at(1, { total: 500 })] }, { dims: { ModelDeploymentName: "gpt-4o-mini" }, data: [at(1, { total: 0 })] }])],
    }));
    const a = await answered(question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "429s", status: { kind: "exact", code: "429" } }], splitBy: "ModelDeploymentName" }));
    const r = a.results[0]!;
    expect(r).toMatchObject({ value: 0, previous: 0 });
    // gpt-4o had traffic and no 429s: a zero row; gpt-4o-mini had no traffic: no row
    expect(r.series.map((s) => [s.dimensions.ModelDeploymentName, s.value])).toEqual([["gpt-4o", 0]]);
    const check = fake.metricsRequests().find((q) => q.query.interval === "FULL" && q.query.$filter === "ModelDeploymentName eq '*'");
    expect(check).toBeDefined();
  });

  it("asks without the StatusCode clause only when an unsplit exact code matched nothing", async () => {
    const throttled = question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "429s", status: { kind: "exact", code: "429" } }] });
    let has429 = true;
    script((req) => ({
      timespan: req.query.timespan,
      value: [metricBody("AzureOpenAIRequests", "Count", !has429 && req.query.$filter === "StatusCode eq '429'" ? [] : [{ dims: {}, data: [at(1, { total: 40 })] }])],
    }));
    expect((await answered(throttled)).results[0]).toMatchObject({ value: 40, previous: 40 });
    expect(fake.metricsRequests()).toHaveLength(2);
    has429 = false;
    const a = await answered(throttled);
    expect(a.results[0]).toMatchObject({ value: 0, previous: 0 });
    expect(fake.metricsRequests().slice(2).map((r) => r.query.$filter ?? "(none)")).toEqual(["StatusCode eq '429'", "StatusCode eq '429'", "(none)", "(none)"]);
  });

  it("ranks split rows from the smallest when asked for the fastest", async () => {
    script((req) => ({
      timespan: req.query.timespan,
      value: [metricBody("AzureOpenAITimeToResponse", "MilliSeconds", [["a", 900], ["b", 300], ["c", 600]].map(([d, v]) => ({ dims: { ModelDeploymentName: String(d), ...ok }, data: [at(1, { average: Number(v), count: 1 })] })))],
    }));
    const a = await answered(question({ asks: [{ metric: "AzureOpenAITimeToResponse", aggregation: "Average", label: "Latency" }], splitBy: "ModelDeploymentName", top: 2, order: "asc" }));
    expect(a.results[0]?.series.map((s) => s.dimensions.ModelDeploymentName)).toEqual(["b", "c"]);
    expect(fake.metricsRequests()[0]?.query.orderby).toBe("Average asc");
  });

  it("has no previous figure when the previous window is older than Azure's 93-day retention", async () => {
    script((req) => ({ timespan: req.query.timespan, value: [metricBody("AzureOpenAIRequests", "Count", [{ dims: {}, data: [at(1, { total: 5 })] }])] }));
    const a = await answered(question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }], window: { kind: "relative", minutes: 60 * 24 * 60 } }));
    expect(a.results[0]).toMatchObject({ value: 5, previous: null });
  });

  it("reports Azure's per-metric error for that figure and still answers the others", async () => {
    script((req) => ({
      timespan: req.query.timespan,
      value: [
        metricBody("ProcessedPromptTokens", "Count", [], { errorCode: "InvalidSamplingType", errorMessage: "Sampling type is not found." }),
        metricBody("GeneratedTokens", "Count", [{ dims: {}, data: [at(1, { total: 7 })] }]),
      ],
    }));
    const a = await answered(question({ asks: [{ metric: "ProcessedPromptTokens", aggregation: "Total", label: "Prompt" }, { metric: "GeneratedTokens", aggregation: "Total", label: "Completion" }] }));
    expect(a.results[0]).toMatchObject({ value: null, error: { code: "InvalidSamplingType", message: "Sampling type is not found." } });
    expect(a.results[1]?.value).toBe(7);
  });

  it("asks for one FULL point when averages come without counts", async () => {
    script((req) => ({
      timespan: req.query.timespan,
      value: [metricBody("AzureOpenAITimeToResponse", "MilliSeconds", [{ dims: ok, data: req.query.interval === "FULL" ? [at(0, { average: 250 })] : [at(1, { average: 100 }), at(2, { average: 900 })] }])],
    }));
    const a = await answered(question({ asks: [{ metric: "AzureOpenAITimeToResponse", aggregation: "Average", label: "Latency" }] }));
    expect(a.results[0]?.value).toBe(250);
    expect(a.results[0]?.provenance.method).toContain("FULL");
    expect(fake.metricsRequests().map((r) => r.query.interval)).toEqual(["PT1M", "FULL", "FULL"]);
  });

  it("says when an answer uses a legacy metric and what replaces it", async () => {
    script((req) => ({ timespan: req.query.timespan, value: [metricBody("TotalCalls", "Count", [{ dims: {}, data: [at(1, { total: 3 })] }])] }));
    const a = await answered(question({ asks: [{ metric: "TotalCalls", aggregation: "Total", label: "Total calls" }] }));
    expect(a.notes).toEqual(['TotalCalls is a legacy Cognitive Services metric Microsoft marks "Do not use for Azure OpenAI service"; AzureOpenAIRequests replaces it.']);
    expect(a.results[0]?.legacy?.replacement).toBe("AzureOpenAIRequests");
  });
});
