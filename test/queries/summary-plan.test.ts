// The daily summary's requests come from its plan: two per resource, and Azure receives exactly those
// (plus the cached metric-definitions read that picks the resource's metric family).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { QueryService } from "../../src/queries/service.ts";
import { planSummary } from "../../src/queries/summary-plan.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { isDataRequest, isLookup, plannedKey, sentKey } from "./sent-requests.ts";

const PROD = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const DEV = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-dev";
/** 09:00 in Berlin on the Monday after the clocks went back: "yesterday" had 25 hours. */
const SLOT = new Date("2026-10-26T08:00:00Z");

let fake: FakeAzureMonitor;
let service: QueryService;

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  fake.handler = (req) => ({
    status: 200,
    body: {
      timespan: req.query.timespan,
      value: (req.query.metricnames ?? "").split(",").map((name) => ({
        id: `${PROD}/providers/Microsoft.Insights/metrics/${name}`,
        type: "Microsoft.Insights/metrics",
        name: { value: name, localizedValue: name },
        unit: "Count",
        errorCode: "Success",
        timeseries:
          name === "AzureOpenAIRequests"
            ? [{ metadatavalues: [{ name: { value: "modeldeploymentname", localizedValue: "ModelDeploymentName" }, value: "gpt-4o" }, { name: { value: "statuscode", localizedValue: "StatusCode" }, value: "200" }], data: [{ timeStamp: "2026-10-25T12:00:00Z", total: 7 }, { timeStamp: "2026-10-24T12:00:00Z", total: 5 }] }]
            : [],
      })),
    },
  });
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient() });
  service = new QueryService({ metrics, resourceIds: [PROD, DEV], zone: "Europe/Berlin" });
});
afterEach(async () => {
  await fake.close();
});

describe("the daily summary's plan", () => {
  it("lists two requests per resource over both local days, hourly", () => {
    for (const id of [PROD, DEV]) {
      const plan = planSummary(id, SLOT, "Europe/Berlin");
      expect(plan.requests.map((r) => [r.resourceId, r.metricnames, r.filter, r.interval, r.timespan])).toEqual([
        [id, "AzureOpenAIRequests", "ModelDeploymentName eq '*' and StatusCode eq '*'", "PT1H", "2026-10-23T22:00:00Z/2026-10-25T23:00:00Z"],
        [id, "AzureOpenAITimeToResponse,ProcessedPromptTokens,GeneratedTokens,AzureOpenAIProvisionedManagedUtilizationV2,RAIRejectedRequests", "ModelDeploymentName eq '*'", "PT1H", "2026-10-23T22:00:00Z/2026-10-25T23:00:00Z"],
      ]);
      expect(plan.day.end.diff(plan.day.start, "hours").hours).toBe(25);
    }
  });

  it("is what Azure receives for each resource, and nothing else", async () => {
    for (const id of [PROD, DEV]) {
      const before = fake.requests.length;
      const summary = await service.summary(id, SLOT, "Europe/Berlin");
      const sent = fake.requests.slice(before);
      // one lookup: the metric definitions, which say which metric family the resource is asked in
      expect(sent.filter(isLookup).map((r) => r.path.split("/").pop())).toEqual(["metricDefinitions"]);
      expect(sent.filter(isDataRequest).map(sentKey).sort()).toEqual(planSummary(id, SLOT, "Europe/Berlin").requests.map(plannedKey).sort());
      expect(summary.requests).toEqual(planSummary(id, SLOT, "Europe/Berlin").requests);
      expect(summary.totals.requests).toEqual({ value: 7, previous: 5 });
    }
    expect(fake.requests.filter(isDataRequest)).toHaveLength(4);
  });
});
