// A Foundry (AIServices) resource whose metric definitions list only the Models family: the
// service asks it in those names (the real SDK against the loopback Azure Monitor, which refuses
// the Azure OpenAI names as Azure does) and reads the answers back in the catalog's names.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AzureMetrics, DEPLOYMENTS_TTL_MS, LOOKUP_REFRESH_AFTER_MS } from "../../src/queries/azure-metrics.ts";
import { UnsupportedDimensionError } from "../../src/queries/errors.ts";
import type { Question } from "../../src/queries/question.ts";
import { QueryService } from "../../src/queries/service.ts";
import { FakeAzureMonitor, fakeCredential, type FakeReply, type RecordedRequest } from "../fakes/azure-monitor.ts";
import { expectSentAsPlanned } from "./sent-requests.ts";

/** Waits (no clock involved) until a background read reached the fake. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!done()) throw new Error("never happened");
}

const FOUNDRY = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/foundry-prod";
const NOW = new Date("2026-11-29T10:00:00Z");
const LATER = new Date("2026-11-29T11:00:00Z");
const MODELS_METRICS = ["ModelRequests", "ModelAvailabilityRate", "TimeToResponse", "InputTokens", "OutputTokens", "TotalTokens", "ProvisionedUtilization", "RAIRejectedRequests"];
const BOTH = [...MODELS_METRICS, "AzureOpenAIRequests", "AzureOpenAITimeToResponse", "ProcessedPromptTokens", "GeneratedTokens", "TokenTransaction", "AzureOpenAIProvisionedManagedUtilizationV2"];

const definitionsBody = (names: readonly string[]) => ({
  value: names.map((n) => ({
    id: `${FOUNDRY}/providers/microsoft.insights/metricdefinitions/${n}`,
    resourceId: FOUNDRY,
    namespace: "Microsoft.CognitiveServices/accounts",
    name: { value: n, localizedValue: n },
    unit: "Count",
    primaryAggregationType: "Total",
    supportedAggregationTypes: ["Total", "Count"],
    metricAvailabilities: [{ timeGrain: "PT1M", retention: "P93D" }],
    dimensions: [{ value: "ModelDeploymentName", localizedValue: "ModelDeploymentName" }],
    isDimensionRequired: false,
  })),
});
type Point = Record<string, number | string>;
const at = (minute: number, fields: Record<string, number>): Point => ({ timeStamp: new Date(NOW.getTime() - (60 - minute) * 60_000).toISOString().replace(".000Z", "Z"), ...fields });
const entry = (name: string, series: readonly { dims: Record<string, string>; data: Point[] }[]) => ({
  id: `${FOUNDRY}/providers/Microsoft.Insights/metrics/${name}`,
  type: "Microsoft.Insights/metrics",
  name: { value: name, localizedValue: name },
  unit: "Count",
  errorCode: "Success",
  timeseries: series.map((s) => ({ metadatavalues: Object.entries(s.dims).map(([k, v]) => ({ name: { value: k.toLowerCase(), localizedValue: k }, value: v })), data: s.data })),
});

let fake: FakeAzureMonitor;
let service: QueryService;
let clock: Date;
let listed: readonly string[];
/** The figures a data request gets, by the metric name it was sent with. */
let data: (name: string, req: RecordedRequest) => { dims: Record<string, string>; data: Point[] }[];

/** As Azure: metric definitions, deployments from Metadata queries, and a 400 for a metric the resource does not report. */
function azure(req: RecordedRequest): FakeReply {
  if (req.path.endsWith("/metricDefinitions")) return { status: 200, body: definitionsBody(listed) };
  const names = (req.query.metricnames ?? "").split(",");
  const unknown = names.find((n) => !listed.includes(n));
  if (unknown !== undefined) return { status: 400, body: { code: "BadRequest", message: `Failed to find metric configuration for provider: Microsoft.CognitiveServices, resource Type: accounts, metric: ${unknown}, Valid metrics: ${listed.join(",")}` } };
  if (req.query.resultType === "Metadata") {
    return { status: 200, body: { timespan: req.query.timespan, value: names.map((n) => entry(n, n.includes("Provisioned") ? [{ dims: { ModelDeploymentName: "gpt-4o-ptu", ModelName: "gpt-4o" }, data: [] }] : [{ dims: { ModelDeploymentName: "gpt-4o", ModelName: "gpt-4o" }, data: [] }, { dims: { ModelDeploymentName: "gpt-4o-ptu", ModelName: "gpt-4o" }, data: [] }])) } };
  }
  return { status: 200, body: { timespan: req.query.timespan, interval: req.query.interval, value: names.map((n) => entry(n, data(n, req))) } };
}

const question = (over: Partial<Question>): Question => ({ topic: "t", asks: [], window: { kind: "absolute", start: "2026-11-29T09:00:00Z", end: "2026-11-29T10:00:00Z" }, filters: {}, notes: [], ...over });
const requests: Question = question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }] });

const answered = async (q: Question) => {
  const plan = await service.plan(q);
  const before = fake.requests.length;
  const a = await service.answer(q);
  expectSentAsPlanned(fake.requests.slice(before), plan, a.requests);
  return { plan, answer: a };
};
const definitionReads = () => fake.requests.filter((r) => r.path.endsWith("/metricDefinitions"));

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  fake.handler = azure;
  listed = MODELS_METRICS;
  clock = LATER;
  data = (_name, req) => [{ dims: {}, data: req.query.interval === "FULL" ? [at(0, { total: 40 })] : [at(1, { total: 30 }), at(2, { total: 12 })] }];
  const now = () => clock;
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), now, retry: { maxAttempts: 1 } });
  service = new QueryService({ metrics, resourceIds: [FOUNDRY], zone: "UTC", now });
});
afterEach(async () => {
  await fake.close();
});

describe("a resource that reports only the Models metric family", () => {
  it("is asked in the Models names, answers with the right figures, and the answer says which family answered", async () => {
    const { plan, answer } = await answered(requests);
    expect(fake.metricsRequests().map((r) => r.query.metricnames)).toEqual(["ModelRequests", "ModelRequests"]);
    expect(plan.requests.map((p) => p.request.metricnames)).toEqual(["ModelRequests", "ModelRequests"]);
    const r = answer.results[0]!;
    // read back in the catalog's names: the figure keeps its label and metric, its provenance names what was sent
    expect([r.metric, r.label, r.value, r.previous]).toEqual(["AzureOpenAIRequests", "Requests", 42, 40]);
    expect(r.provenance).toMatchObject({ metric: "ModelRequests", resourceId: FOUNDRY, timespan: "2026-11-29T09:00:00Z/2026-11-29T10:00:00Z" });
    expect(answer.notes).toContain("Read from the Models metric family (Foundry resource): ModelRequests for AzureOpenAIRequests.");
    expect(answer.requests.map((q) => q.metricnames)).toEqual(["ModelRequests", "ModelRequests"]);
  });

  it("lists the metric-definitions read among the plan's lookups, and finds its deployments in the Models names", async () => {
    const resources = await service.resources();
    expect(resources).toMatchObject([{ id: FOUNDRY, family: "models", deployments: ["gpt-4o", "gpt-4o-ptu"] }]);
    expect(resources[0]?.facts?.find((f) => f.name === "gpt-4o-ptu")?.provisioned).toBe(true);
    const plan = await service.plan(requests, LATER, "UTC", resources);
    expect(plan.lookups).toEqual([
      { api: "metrics", resourceId: FOUNDRY, reads: "metric definitions", metricnamespace: "Microsoft.CognitiveServices/accounts" },
      { api: "metrics", resourceId: FOUNDRY, resultType: "Metadata", reads: "deployment names", metricnames: "ModelRequests,ProvisionedUtilization", filter: "ModelDeploymentName eq '*' and ModelName eq '*'" },
    ]);
    const metadata = fake.requests.filter((r) => r.query.resultType === "Metadata");
    expect(metadata.map((r) => r.query.metricnames)).toEqual(["ModelRequests,ProvisionedUtilization"]);
    expect(definitionReads()).toHaveLength(1);
  });

  it("reads the definitions once for questions asked together, again in the background from 40 s on (served meanwhile), and again after 60 s unused", async () => {
    await Promise.all([service.resources(), service.resources(), service.answer(requests)]);
    expect(definitionReads()).toHaveLength(1);
    clock = new Date(LATER.getTime() + LOOKUP_REFRESH_AFTER_MS - 1);
    await service.resources();
    expect(definitionReads()).toHaveLength(1);
    clock = new Date(LATER.getTime() + LOOKUP_REFRESH_AFTER_MS);
    await service.resources();
    await until(() => definitionReads().length === 2);
    clock = new Date(LATER.getTime() + LOOKUP_REFRESH_AFTER_MS + DEPLOYMENTS_TTL_MS);
    await service.resources();
    expect(definitionReads()).toHaveLength(3);
  });

  it("runs a planned check in the Models names too: no 429 series but traffic is a real zero", async () => {
    data = (_name, req) => (req.query.$filter === "StatusCode eq '429'" ? [] : [{ dims: {}, data: [at(1, { total: 25 })] }]);
    const { answer } = await answered(question({ asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "429s", status: { kind: "exact", code: "429" } }] }));
    // the figures (window and baseline), then the traffic checks their empty answers called for
    expect(fake.metricsRequests().map((r) => [r.query.metricnames, r.query.$filter ?? "(none)"])).toEqual([
      ["ModelRequests", "StatusCode eq '429'"],
      ["ModelRequests", "StatusCode eq '429'"],
      ["ModelRequests", "(none)"],
      ["ModelRequests", "(none)"],
    ]);
    expect([answer.results[0]?.value, answer.results[0]?.previous]).toEqual([0, 0]);
  });

  it("names several metrics of one request in the note, and keeps metrics without an equivalent", async () => {
    const { answer } = await answered(question({ asks: [{ metric: "TokenTransaction", aggregation: "Total", label: "Tokens" }, { metric: "RAIRejectedRequests", aggregation: "Total", label: "Blocked" }, { metric: "ProcessedPromptTokens", aggregation: "Total", label: "Prompt tokens" }] }));
    expect(fake.metricsRequests()[0]?.query.metricnames).toBe("TotalTokens,RAIRejectedRequests,InputTokens");
    expect(answer.results.map((r) => [r.metric, r.value])).toEqual([["TokenTransaction", 42], ["RAIRejectedRequests", 42], ["ProcessedPromptTokens", 42]]);
    expect(answer.notes).toContain("Read from the Models metric family (Foundry resource): TotalTokens for TokenTransaction, InputTokens for ProcessedPromptTokens.");
  });

  it("refuses a split its Models metric does not have, before asking Azure for data", async () => {
    const utilisation = question({ asks: [{ metric: "AzureOpenAIProvisionedManagedUtilizationV2", aggregation: "Average", label: "PTU utilisation" }], splitBy: "StreamType" });
    const err = await service.plan(utilisation).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedDimensionError);
    expect((err as Error).message).toBe("foundry-prod reports AzureOpenAIProvisionedManagedUtilizationV2 as ProvisionedUtilization (the Models metric family), which has no StreamType dimension, so it can't be filtered or split that way there.");
    expect(fake.metricsRequests()).toHaveLength(0);
  });
});

describe("a resource that lists both families", () => {
  it("is asked in the Azure OpenAI names, without a family note", async () => {
    listed = BOTH;
    const { answer } = await answered(requests);
    expect(fake.metricsRequests().map((r) => r.query.metricnames)).toEqual(["AzureOpenAIRequests", "AzureOpenAIRequests"]);
    expect(answer.results[0]?.provenance.metric).toBe("AzureOpenAIRequests");
    expect(answer.notes.filter((n) => n.includes("metric family"))).toEqual([]);
  });
});

describe("the daily summary of a Foundry resource", () => {
  it("asks its two requests in the Models names and reads the totals back as the Azure OpenAI figures", async () => {
    const SLOT = new Date("2026-11-29T08:00:00Z");
    data = (name, req) => (name === "ModelRequests" && (req.query.$filter ?? "").includes("StatusCode") ? [{ dims: { ModelDeploymentName: "gpt-4o", StatusCode: "200" }, data: [{ timeStamp: "2026-11-28T10:00:00Z", total: 9 }] }] : []);
    const summary = await service.summary(FOUNDRY, SLOT, "UTC");
    const sent = fake.metricsRequests().filter((r) => r.query.resultType !== "Metadata");
    expect(sent.map((r) => r.query.metricnames?.split(",")[0])).toEqual(["ModelRequests", expect.stringMatching(/^[A-Za-z]+$/) as unknown]);
    expect(sent.every((r) => !(r.query.metricnames ?? "").includes("AzureOpenAI"))).toBe(true);
    expect(summary.totals.requests.value).toBe(9);
  });
});
