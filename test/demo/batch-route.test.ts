// The simulator's metrics:getBatch as the bot's batch client sees it: the real
// @azure/monitor-query-metrics MetricsClient against the simulator in-process. Each account of a
// batch carries what the demo account's own Metrics - List request answers.
import { MetricsClient } from "@azure/monitor-query-metrics";
import { isRestError, type RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { DEMO_REGION, DEMO_RESOURCE_ID, DEMO_SUBSCRIPTION_ID } from "../../src/demo/demo-resource.ts";
import { simulatorHttpClient } from "../../src/demo/http-client.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";
import { METRIC_NAMESPACE } from "../../src/queries/catalog.ts";
import { demoClient, fakeCredential, NOW, span } from "./demo-client.ts";

const TWIN = `/subscriptions/${DEMO_SUBSCRIPTION_ID}/resourceGroups/rg-aoai-demo/providers/Microsoft.CognitiveServices/accounts/aoai-demo-twin`;
const STRANGER = `/subscriptions/${DEMO_SUBSCRIPTION_ID}/resourceGroups/rg-other/providers/Microsoft.CognitiveServices/accounts/not-simulated`;

function batchClient(region: string = DEMO_REGION): MetricsClient {
  const sim = new SimulatedAzureMonitor({ now: () => NOW, alsoAnswers: (id) => id === TWIN });
  return new MetricsClient(`https://${region}.metrics.monitor.azure.com`, fakeCredential, { credentials: { scopes: ["https://metrics.monitor.azure.com/.default"] }, httpClient: simulatorHttpClient(sim), retryOptions: { maxRetries: 0 } });
}

async function restError(p: Promise<unknown>): Promise<RestError> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isRestError(err)) throw new Error(`expected a RestError, got ${String(err)}`);
  return err;
}

const [start, end] = span(-180, -60).split("/").map((t) => new Date(t));
const query = { startTime: start!, endTime: end!, interval: "PT1H", aggregation: "Total", filter: "ModelDeploymentName eq '*'", top: 50 };

describe("the simulator's metrics:getBatch", () => {
  it("answers each account it has with the demo account's Metrics - List figures, in the region's wire format", async () => {
    const results = await batchClient().queryResources([DEMO_RESOURCE_ID, TWIN, STRANGER], ["AzureOpenAIRequests"], METRIC_NAMESPACE, query);
    // an account it does not simulate is left out, as the service leaves out what it cannot read
    expect(results.map((r) => r.resourceId)).toEqual([DEMO_RESOURCE_ID, TWIN]);
    expect(results.map((r) => r.resourceRegion)).toEqual([DEMO_REGION, DEMO_REGION]);
    const list = await demoClient().metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1H", timespan: span(-180, -60), filter: "ModelDeploymentName eq '*'", top: 50 });
    const totals = (series: readonly { metadatavalues?: { value?: string }[]; data?: { total?: number }[] }[]) => series.map((s) => [s.metadatavalues?.[0]?.value, (s.data ?? []).map((p) => p.total)]);
    for (const r of results) {
      expect(r.metrics).toHaveLength(1);
      expect(r.metrics[0]!.id).toBe(`${r.resourceId!}/providers/Microsoft.Insights/metrics/AzureOpenAIRequests`);
      expect(totals(r.metrics[0]!.timeseries)).toEqual(totals(list.value[0]!.timeseries));
    }
    expect(totals(list.value[0]!.timeseries).length).toBeGreaterThan(0);
  });

  it("refuses a batch sent to another region's endpoint, and more than 50 accounts", async () => {
    expect((await restError(batchClient("eastus").queryResources([DEMO_RESOURCE_ID, TWIN], ["AzureOpenAIRequests"], METRIC_NAMESPACE, query))).statusCode).toBe(400);
    const many = Array.from({ length: 51 }, (_, i) => `${TWIN}-${i}`);
    const tooMany = await restError(batchClient().queryResources(many, ["AzureOpenAIRequests"], METRIC_NAMESPACE, query));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.message).toContain("at most 50");
  });
});
