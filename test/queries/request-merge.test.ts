// A live window and its baseline differ only by timespan: they go to Azure as one request over
// both, and the answer is what separate requests would have given. Figures are compared with the
// same plan answered from separately fetched responses of the demo's simulated Azure Monitor (the
// real @azure/arm-monitor client in both), the fallbacks against the loopback fake Azure Monitor.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ARM_ENDPOINT } from "../../src/app/config.ts";
import { Bot } from "../../src/bot/bot.ts";
import { describeRequest } from "../../src/bot/compose-trace.ts";
import { isTableQuestion } from "../../src/bot/table-parse.ts";
import { planJson } from "../../src/cli/json-output.ts";
import { DEMO_RESOURCE_ID } from "../../src/demo/demo-resource.ts";
import { simulatorHttpClient } from "../../src/demo/http-client.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";
import { AzureMetrics, type MetricsResponse } from "../../src/queries/azure-metrics.ts";
import { conditionHolds, results } from "../../src/queries/figures.ts";
import type { MetricsRequest, Plan, PlannedRequest } from "../../src/queries/plan.ts";
import { cutMerged, MERGE_LIMITS, mergeBatch, plannedSends } from "../../src/queries/request-merge.ts";
import { QueryService } from "../../src/queries/service.ts";
import { FakeAzureMonitor, fakeCredential, type RecordedRequest } from "../fakes/azure-monitor.ts";
import { isDataRequest, plannedKey, recording, sentKey, type Sent } from "./sent-requests.ts";

/** The demo's throttling hour (gpt-4o-mini 429s since 13:30) and its latency spike (gpt-4o slow since 10:00). */
const INCIDENT = new Date("2026-12-01T14:30:00Z");
const SPIKE = new Date("2026-12-01T10:10:00Z");
const credential = { getToken: () => Promise.resolve({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) };

interface Demo {
  readonly service: QueryService;
  readonly metrics: AzureMetrics;
  readonly sent: Sent[];
  readonly bot: Bot;
}

/** The simulator as Azure, nothing cached: every response is fetched, so both ways read the same minutes. */
function demo(now: Date): Demo {
  const rec = recording(simulatorHttpClient(new SimulatedAzureMonitor({ now: () => now })));
  const metrics = new AzureMetrics({ credential, endpoint: DEFAULT_ARM_ENDPOINT, httpClient: rec.client, now: () => now, cache: false });
  const service = new QueryService({ metrics, resourceIds: [DEMO_RESOURCE_ID], zone: "UTC", now: () => now });
  return { service, metrics, sent: rec.sent, bot: new Bot(service) };
}

async function planOf(d: Demo, text: string): Promise<Plan> {
  const understood = await d.bot.understand(text);
  if ("reply" in understood || isTableQuestion(understood.question)) throw new Error(`not a metrics question: ${text}`);
  return d.service.plan(understood.question, undefined, undefined, understood.resources);
}

/** The plan answered the way it was before merging: every planned request fetched on its own, the conditional ones whose condition holds after. */
async function separately(d: Demo, plan: Plan): Promise<Map<PlannedRequest, MetricsResponse>> {
  const got = new Map<PlannedRequest, MetricsResponse>();
  for (const p of plan.requests.filter((r) => r.conditional === undefined)) got.set(p, await d.metrics.query(p.request));
  for (const p of plan.requests.filter((r) => r.conditional !== undefined && conditionHolds(plan, r, got))) got.set(p, await d.metrics.query(p.request));
  return got;
}

const merges = (plan: Plan) => plannedSends(plan).filter((s) => s.parts.length > 1);

describe("a window and its baseline as one request", () => {
  // each: asked at a moment where the answer matters (the throttling hour, the latency spike)
  // each: asked at a moment where the answer matters (the throttling hour, the latency spike);
  // `alone`: the cut is undecidable (no 429 in the baseline hour of an unsplit filter), so each window is also asked alone
  const QUESTIONS: readonly { readonly q: string; readonly at: Date; readonly alone?: true }[] = [
    { q: "latency gpt-4o", at: SPIKE },
    { q: "latency gpt-4o last 3 hours", at: SPIKE },
    { q: "429s gpt-4o-mini last 30 minutes", at: INCIDENT },
    { q: "429s gpt-4o-mini last hour", at: INCIDENT, alone: true },
    { q: "429s by deployment last hour", at: INCIDENT },
    { q: "throttle rate gpt-4o-mini", at: INCIDENT },
    { q: "requests last hour", at: INCIDENT },
    { q: "tokens last hour", at: INCIDENT },
    { q: "TotalCalls last hour", at: INCIDENT },
    { q: "tokens by deployment last hour", at: INCIDENT },
    { q: "errors by status code last 30 minutes", at: INCIDENT },
    { q: "latency", at: INCIDENT },
  ];

  for (const { q, at, alone } of QUESTIONS) {
    it(`"${q}" at ${at.toISOString()}: ${alone ? "merged, then each window alone" : "sent once"}; every figure as from separate requests`, async () => {
      const d = demo(at);
      const plan = await planOf(d, q);
      expect(merges(plan).length, "a live question's window and baseline are one request").toBeGreaterThan(0);
      const before = d.sent.length;
      const answer = await d.service.run(plan);
      const received = d.sent.slice(before).filter(isDataRequest).map(sentKey);
      for (const m of merges(plan)) {
        expect(received).toContain(plannedKey(m.request));
        for (const p of m.parts) expect(received.includes(plannedKey(p.request))).toBe(alone === true);
      }
      expect(received.sort()).toEqual(answer.requests.map(plannedKey).sort());
      expect(answer.results).toEqual(results(plan, await separately(d, plan)));
    });
  }

  it("cuts the merged response into exactly the responses Azure sends for each window alone", async () => {
    const d = demo(INCIDENT);
    const plan = await planOf(d, "429s by deployment last hour");
    const [m] = merges(plan);
    if (m === undefined) throw new Error("expected a merged request");
    const cut = cutMerged(await d.metrics.query(m.request), m.request, m.parts.map((p) => p.request));
    const alone = await Promise.all(m.parts.map((p) => d.metrics.query(p.request)));
    const raw = (r: MetricsResponse) => ({ timespan: r.timespan, interval: r.interval, value: r.value });
    expect(cut?.map(raw)).toEqual(alone.map(raw));
  });

  it("during the throttling hour: the same 429 counts and latency as separate requests, and fewer requests", async () => {
    const d = demo(INCIDENT);
    for (const q of ["429s gpt-4o-mini last 30 minutes", "latency gpt-4o-mini"]) {
      const plan = await planOf(d, q);
      const before = d.sent.length;
      const answer = await d.service.run(plan);
      const merged = d.sent.slice(before).filter(isDataRequest).length;
      const beforeSeparate = d.sent.length;
      const theirs = results(plan, await separately(d, plan));
      expect(answer.results.map((r) => [r.label, r.value, r.previous])).toEqual(theirs.map((r) => [r.label, r.value, r.previous]));
      expect(answer.results[0]?.value).toBeGreaterThan(0);
      expect(merged).toBeLessThan(d.sent.length - beforeSeparate);
    }
  });
});

describe("what the trace and --plan say", () => {
  it("lists the one request that was sent, with the windows it answers", async () => {
    const d = demo(SPIKE);
    const plan = await planOf(d, "latency gpt-4o");
    const answer = await d.service.run(plan);
    const merged = answer.requests.find((r) => r.covers !== undefined);
    if (merged === undefined) throw new Error("expected a merged request in the answer");
    expect(merged.covers).toEqual([
      { window: "previous", timespan: "2026-12-01T08:10:00Z/2026-12-01T09:10:00Z" },
      { window: "current", timespan: "2026-12-01T09:10:00Z/2026-12-01T10:10:00Z" },
    ]);
    expect(merged.timespan).toBe("2026-12-01T08:10:00Z/2026-12-01T10:10:00Z");
    // the audit's line for it names the whole span sent and both windows
    expect(describeRequest(merged)).toBe(
      "metrics aoai-demo AzureOpenAITimeToResponse Average,Count PT1M 2026-12-01T08:10:00Z/2026-12-01T10:10:00Z filter ModelDeploymentName eq 'gpt-4o' and StatusCode eq '*' top 100 (one request for baseline 2026-12-01T08:10:00Z/2026-12-01T09:10:00Z + window 2026-12-01T09:10:00Z/2026-12-01T10:10:00Z)",
    );
    // every figure still names its own window and baseline (cut to the minutes the window has data for)
    expect(answer.results[0]?.provenance).toMatchObject({ interval: "PT1M", timespan: "2026-12-01T09:10:00Z/2026-12-01T10:10:00Z", previousTimespan: expect.stringMatching(/^2026-12-01T08:10:00Z\//) as unknown });
    const shown = (planJson(plan) as { requests: { timespan: string; covers?: unknown }[] }).requests;
    expect(shown.filter((r) => r.covers !== undefined).map((r) => r.timespan)).toEqual(["2026-12-01T08:10:00Z/2026-12-01T10:10:00Z"]);
    expect(shown.some((r) => r.timespan === "2026-12-01T09:10:00Z/2026-12-01T10:10:00Z" && r.covers === undefined && !("purpose" in r))).toBe(false);
  });

  it("an unfiltered question's freshness probe rides in its figures' request: one request in all, the probe's minutes and metric its own", async () => {
    const d = demo(INCIDENT);
    const plan = await planOf(d, "tokens last hour");
    const before = d.sent.length;
    const answer = await d.service.run(plan);
    expect(d.sent.slice(before).filter(isDataRequest)).toHaveLength(1);
    expect(answer.requests).toHaveLength(1);
    expect(answer.requests[0]).toMatchObject({ metricnames: "TokenTransaction,AzureOpenAIRequests", timespan: "2026-12-01T12:30:00Z/2026-12-01T14:30:00Z" });
    expect(describeRequest(answer.requests[0]!)).toContain(
      "(one request for TokenTransaction baseline 2026-12-01T12:30:00Z/2026-12-01T13:30:00Z + TokenTransaction window 2026-12-01T13:30:00Z/2026-12-01T14:30:00Z + AzureOpenAIRequests window 2026-12-01T14:15:00Z/2026-12-01T14:30:00Z)",
    );
    expect(answer.results).toEqual(results(plan, await separately(d, plan)));
  });

  it("keeps the freshness probe as its own request when the figures are filtered (it reads the whole resource)", async () => {
    const d = demo(SPIKE);
    const shown = (planJson(await planOf(d, "latency gpt-4o")) as { requests: { purpose?: string; filter?: string }[] }).requests;
    expect(shown.filter((r) => r.purpose?.startsWith("the resource's newest minutes") === true).map((r) => r.filter)).toEqual([undefined]);
  });
});

describe("what is not merged", () => {
  const req = (timespan: string, over: Partial<MetricsRequest> = {}): MetricsRequest => ({ api: "metrics", resourceId: DEMO_RESOURCE_ID, metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan, window: "current", ...over });
  const sends = (rs: MetricsRequest[]) => mergeBatch(rs).map((s) => s.parts);

  it("windows with a gap between them", () => {
    expect(sends([req("2026-12-01T09:00:00Z/2026-12-01T10:00:00Z"), req("2026-12-01T07:00:00Z/2026-12-01T08:00:00Z", { window: "previous" })])).toEqual([[0], [1]]);
  });
  it("a window compared with the same time yesterday", async () => {
    const d = demo(INCIDENT);
    const plan = await planOf(d, "latency gpt-4o today");
    expect(merges(plan)).toEqual([]);
    const before = d.sent.length;
    const answer = await d.service.run(plan);
    expect(d.sent.slice(before).filter(isDataRequest).map(sentKey).sort()).toEqual(answer.requests.map(plannedKey).sort());
    expect(answer.requests.every((r) => r.covers === undefined)).toBe(true);
  });
  it("requests that differ in anything but time, or read one FULL point", () => {
    const a = "2026-12-01T08:00:00Z/2026-12-01T09:00:00Z";
    const b = "2026-12-01T09:00:00Z/2026-12-01T10:00:00Z";
    expect(sends([req(a), req(b, { interval: "PT5M" })])).toEqual([[0], [1]]);
    expect(sends([req(a), req(b, { filter: "ModelDeploymentName eq 'gpt-4o'" })])).toEqual([[0], [1]]);
    expect(sends([req(a), req(b, { aggregation: "Total,Count" })])).toEqual([[0], [1]]);
    expect(sends([req(a, { interval: "FULL" }), req(b, { interval: "FULL" })])).toEqual([[0], [1]]);
    expect(sends([req(a), req(b)])).toEqual([[0, 1]]);
  });
  it("a grain whose buckets would straddle a window's edge", () => {
    expect(sends([req("2026-12-01T08:10:00Z/2026-12-01T09:10:00Z", { interval: "PT1H" }), req("2026-12-01T09:10:00Z/2026-12-01T10:10:00Z", { interval: "PT1H" })])).toEqual([[0], [1]]);
  });
  it("a union over Azure's limits for the grain", () => {
    const start = Date.parse("2026-10-01T00:00:00Z");
    const mid = start + MERGE_LIMITS.maxPointsPerSeries * 60_000;
    const span = (s: number, e: number) => `${new Date(s).toISOString()}/${new Date(e).toISOString()}`;
    expect(sends([req(span(start, mid)), req(span(mid, mid + 60_000))])).toEqual([[0], [1]]);
  });
});

describe("when the merged response could differ, each window is asked on its own", () => {
  const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
  const NOW = new Date("2026-11-29T10:00:30Z");
  const metric = (name: string, timeseries: unknown[]) => ({ id: `${AOAI}/providers/Microsoft.Insights/metrics/${name}`, type: "Microsoft.Insights/metrics", name: { value: name, localizedValue: name }, unit: "MilliSeconds", errorCode: "Success", timeseries });
  const deployments = { timespan: "x", value: [metric("AzureOpenAIRequests", [{ metadatavalues: [{ name: { value: "modeldeploymentname", localizedValue: "ModelDeploymentName" }, value: "gpt-4o" }], data: [] }])] };
  /** PT1M points over the request's span, `ms` each minute, 10 calls each, for every status code named. */
  const latency = (req: RecordedRequest, codes: readonly string[], ms: number) => {
    const [from = "", to = ""] = (req.query.timespan ?? "").split("/");
    const minutes = (Date.parse(to) - Date.parse(from)) / 60_000;
    const data = Array.from({ length: minutes }, (_, i) => ({ timeStamp: new Date(Date.parse(from) + i * 60_000).toISOString(), average: ms, count: 10 }));
    const series = codes.map((code) => ({ metadatavalues: [{ name: { value: "statuscode", localizedValue: "StatusCode" }, value: code }], data }));
    return { timespan: req.query.timespan, interval: req.query.interval, value: (req.query.metricnames ?? "").split(",").map((n) => metric(n, n === "AzureOpenAIRequests" ? [{ metadatavalues: [], data: data.map((p) => ({ timeStamp: p.timeStamp, total: 10 })) }] : series)) };
  };
  let fake: FakeAzureMonitor;
  let service: QueryService;
  beforeEach(async () => {
    fake = await new FakeAzureMonitor().start();
    const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), now: () => NOW, cache: false, retry: { maxAttempts: 1 } });
    service = new QueryService({ metrics, resourceIds: [AOAI], zone: "UTC", now: () => NOW });
  });
  afterEach(async () => {
    await fake.close();
  });
  const ask = async (text: string) => {
    const bot = new Bot(service);
    const understood = await bot.understand(text);
    if ("reply" in understood || isTableQuestion(understood.question)) throw new Error("not understood");
    return service.run(await service.plan(understood.question, undefined, undefined, understood.resources));
  };
  const twoHours = (req: RecordedRequest) => req.query.timespan === "2026-11-29T08:00:00Z/2026-11-29T10:00:00Z";

  it("a merged response with `top` series (Azure may have cut one a window had): both windows asked alone, figures from those", async () => {
    fake.handler = (req) => {
      if (req.path.endsWith("/metricDefinitions")) return { status: 200, body: { value: [] } };
      if (req.query.resultType === "Metadata") return { status: 200, body: deployments };
      // over both windows Azure ranks 100 codes and cuts there; each window alone has only 200 and 429
      if (twoHours(req)) return { status: 200, body: latency(req, Array.from({ length: 100 }, (_, i) => String(200 + i)), 999) };
      return { status: 200, body: latency(req, ["200", "429"], req.query.timespan?.startsWith("2026-11-29T09:00") === true ? 300 : 200) };
    };
    const answer = await ask("latency");
    const data = fake.metricsRequests().filter((r) => r.query.metricnames === "AzureOpenAITimeToResponse" && r.query.interval === "PT1M").map((r) => r.query.timespan);
    expect(data.sort()).toEqual(["2026-11-29T08:00:00Z/2026-11-29T09:00:00Z", "2026-11-29T08:00:00Z/2026-11-29T10:00:00Z", "2026-11-29T09:00:00Z/2026-11-29T10:00:00Z"]);
    expect(answer.results[0]).toMatchObject({ value: 300, previous: 200 });
    // what was sent, all of it: the merged request and the two it fell back to
    expect(answer.requests.filter((r) => r.metricnames === "AzureOpenAITimeToResponse" && r.interval === "PT1M").map((r) => [r.timespan, r.covers === undefined])).toEqual([
      ["2026-11-29T08:00:00Z/2026-11-29T10:00:00Z", false],
      ["2026-11-29T09:00:00Z/2026-11-29T10:00:00Z", true],
      ["2026-11-29T08:00:00Z/2026-11-29T09:00:00Z", true],
    ]);
  });

  it("fewer series than `top`: one request, each window's series and figures its own", async () => {
    fake.handler = (req) => {
      if (req.path.endsWith("/metricDefinitions")) return { status: 200, body: { value: [] } };
      if (req.query.resultType === "Metadata") return { status: 200, body: deployments };
      return { status: 200, body: latency(req, ["200"], 250) };
    };
    const answer = await ask("latency");
    const data = fake.metricsRequests().filter((r) => r.query.metricnames === "AzureOpenAITimeToResponse" && r.query.interval === "PT1M").map((r) => r.query.timespan);
    expect(data).toEqual(["2026-11-29T08:00:00Z/2026-11-29T10:00:00Z"]);
    expect(answer.results[0]).toMatchObject({ value: 250, previous: 250 });
  });
});
