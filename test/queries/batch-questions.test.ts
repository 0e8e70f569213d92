// A question about several accounts of one region: each request of its plan goes once for all of
// them as a metrics:getBatch call (the real @azure/monitor-query-metrics client against the
// loopback fake), and the answer is the one per-resource Metrics - List calls give.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { BatchMetrics } from "../../src/queries/batch-metrics.ts";
import type { Question } from "../../src/queries/question.ts";
import { QueryService } from "../../src/queries/service.ts";
import { batchRoute, FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { fleet, fleetMetrics, FLEET_REGION } from "../fakes/metrics-fleet.ts";
import { isDataRequest } from "./sent-requests.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
/** The hour the fleet's data of 28 Nov lands in: settled, so each figure is the plain sum. */
const HOUR = { kind: "absolute", start: "2026-11-28T12:00:00Z", end: "2026-11-28T13:00:00Z" } as const;
const requests: Question = { topic: "Requests", asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }], window: HOUR, filters: {}, notes: [] };
const IDS = fleet(6);

let fake: FakeAzureMonitor;

/** Without `sentAs`: how a request went (the only difference batching makes). */
const unsent = (o: object): object => Object.fromEntries(Object.entries(o).filter(([k]) => k !== "sentAs"));

function serviceFor(batch: boolean): QueryService {
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), now: () => NOW });
  const regions = Object.fromEntries(IDS.map((id) => [id.toLowerCase(), FLEET_REGION]));
  return new QueryService({ metrics, resourceIds: IDS, zone: "UTC", now: () => NOW, ...(batch ? { batch: new BatchMetrics({ metrics, credential: fakeCredential, httpClient: fake.httpClient(), regions }) } : {}) });
}

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  fake.handler = batchRoute(fleetMetrics(), { subscriptionAccess: true });
});
afterEach(async () => {
  await fake.close();
});

describe("a question about several accounts of one region", () => {
  it("sends each planned request once for all accounts, as metrics:getBatch, with the per-resource answer's figures", async () => {
    const batched = await serviceFor(true).answer(requests, NOW);
    const calls = fake.batchRequests().length;
    expect(calls).toBeGreaterThan(0);
    expect(fake.batchRequests().every((b) => (JSON.parse(b.body ?? "{}") as { resourceids: string[] }).resourceids.length === IDS.length)).toBe(true);
    expect(fake.requests.filter(isDataRequest)).toHaveLength(0);

    fake.requests.length = 0;
    const single = await serviceFor(false).answer(requests, NOW);
    expect(fake.batchRequests()).toHaveLength(0);
    // one Metrics - List per account for each batch call
    expect(fake.requests.filter(isDataRequest)).toHaveLength(calls * IDS.length);
    // the same figures and requests; only how they went differs (sent-as.ts, batch-trace.test.ts)
    expect(batched.results.map((r) => ({ ...r, provenance: unsent(r.provenance) }))).toEqual(single.results);
    expect(batched.requests.map(unsent)).toEqual(single.requests);
    // each account its own numbers (account i reports i times the first's): none was given another's
    const values = batched.results.map((r) => r.value);
    expect(values).toHaveLength(IDS.length);
    expect(values.map((v) => (v ?? 0) / (values[0] ?? 1))).toEqual(IDS.map((_, i) => i + 1));
  });
});
