import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { AzureAccessDeniedError, AzureRequestError, AzureThrottledError, AzureTimeoutError } from "../../src/queries/errors.ts";
import type { MetricsRequest } from "../../src/queries/plan.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";

const getMetric = JSON.parse(readFileSync(new URL("../fixtures/GetMetric.json", import.meta.url), "utf8")) as { parameters: Record<string, string | number>; response: unknown };
const getMetricError = JSON.parse(readFileSync(new URL("../fixtures/GetMetricError.json", import.meta.url), "utf8")) as { response: unknown };

const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const FAST_RETRY = { maxAttempts: 3, budgetMs: 8_000, baseDelayMs: 10 };
const request: MetricsRequest = { api: "metrics", resourceId: AOAI, metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: "2026-11-29T09:00:00Z/2026-11-29T10:00:00Z", window: "current" };
const ok = { status: 200, body: { timespan: request.timespan, interval: "PT1M", value: [] } };

let fake: FakeAzureMonitor;
const client = (timeoutMs = 5_000) => new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), retry: FAST_RETRY, timeoutMs });

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
});
afterEach(async () => {
  await fake.close();
});

describe("Metrics - List through @azure/arm-monitor", () => {
  it("sends exactly the documented REST parameters, with a bearer token for Resource Manager", async () => {
    fake.handler = () => ({ status: 200, body: getMetric.response });
    const p = getMetric.parameters;
    const resourceId = `/${String(p.resourceUri)}`;
    const res = await client().query({ api: "metrics", resourceId, metricnames: String(p.metricnames), aggregation: String(p.aggregation), interval: String(p.interval), timespan: String(p.timespan), filter: String(p.$filter), top: Number(p.top), orderby: String(p.orderby), window: "current" });

    const sent = fake.requests[0]!;
    expect(sent.method).toBe("GET");
    expect(sent.path).toBe(`${resourceId}/providers/Microsoft.Insights/metrics`);
    expect(sent.query).toMatchObject({ "api-version": "2024-02-01", metricnames: "BlobCount,BlobCapacity", aggregation: "average,minimum,maximum", interval: "PT6H", timespan: p.timespan, $filter: "Tier eq '*'", top: "5", orderby: "average asc" });
    expect(sent.headers.authorization).toBe("Bearer fake-token");
    expect(fakeCredential.scopes.at(-1)).toEqual(["https://management.azure.com/.default"]);
    expect(sent.headers["x-ms-client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

    // the official example's answer comes back whole: 2 metrics, 5 tiers each, hourly points
    expect(res.interval).toBe("PT1H");
    expect(res.value.map((m) => m.name.value)).toEqual(["BlobCount", "BlobCapacity"]);
    const hot = res.value[0]!.timeseries.find((t) => t.metadatavalues?.[0]?.value === "Hot");
    expect(hot?.data?.map((d) => d.average)).toEqual([7, 7, 7, 7, 7]);
  });

  it("hands back per-metric errors that arrive inside an HTTP 200", async () => {
    fake.handler = () => ({ status: 200, body: getMetricError.response });
    const res = await client().query(request);
    expect(res.value[0]).toMatchObject({ errorCode: "InvalidSamplingType", errorMessage: expect.stringContaining("Sampling type is not found") as unknown });
    expect(res.value[1]?.errorCode).toBe("Success");
  });

  it("turns 403 into the role the bot needs, on which scope", async () => {
    fake.handler = () => ({ status: 403, body: { error: { code: "AuthorizationFailed", message: "The client 'x' does not have authorization to perform action 'microsoft.insights/metrics/read'" } } });
    const err = await client().query(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AzureAccessDeniedError);
    expect((err as AzureAccessDeniedError).message).toContain(AOAI);
    expect((err as AzureAccessDeniedError).hint).toContain('"Monitoring Reader"');
    expect((err as AzureAccessDeniedError).hint).toContain("AuthorizationFailed");
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a 429 after its Retry-After and then answers", async () => {
    fake.handler = (_req, n) => (n === 1 ? { status: 429, headers: { "retry-after": "1" }, body: { error: { code: "TooManyRequests", message: "slow down" } } } : ok);
    const started = Date.now();
    await expect(client().query(request)).resolves.toMatchObject({ interval: "PT1M" });
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("retries a 429 without Retry-After a bounded number of times, then says when to try again", async () => {
    fake.handler = () => ({ status: 429, body: { error: { code: "TooManyRequests", message: "slow down" } } });
    const err = await client().query(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AzureThrottledError);
    expect((err as Error).message).toMatch(/^Azure Monitor is throttling, try again in \d+ s\.$/);
    expect(fake.requests).toHaveLength(FAST_RETRY.maxAttempts);
  });

  it("does not wait out a Retry-After longer than its budget", async () => {
    fake.handler = () => ({ status: 429, headers: { "retry-after": "120" }, body: { error: { code: "TooManyRequests", message: "slow down" } } });
    const started = Date.now();
    const err = await client().query(request).catch((e: unknown) => e);
    expect((err as Error).message).toBe("Azure Monitor is throttling, try again in 120 s.");
    expect(fake.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("keeps every wait inside the budget: a second Retry-After that would end past it is not waited", async () => {
    fake.handler = () => ({ status: 429, headers: { "retry-after": "1" }, body: { error: { code: "TooManyRequests", message: "slow down" } } });
    const tight = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), retry: { maxAttempts: 5, budgetMs: 1_500, baseDelayMs: 10 } });
    const started = Date.now();
    const err = await tight.query(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AzureThrottledError);
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("backs off and retries when the metrics backend throttles with 529", async () => {
    fake.handler = (_req, n) => (n < 3 ? { status: 529, body: { error: { code: "ServerBusy", message: "busy" } } } : ok);
    await expect(client().query(request)).resolves.toBeDefined();
    expect(fake.requests).toHaveLength(3);
  });

  it("gives up on a slow Azure with the request id to quote", async () => {
    fake.handler = () => ({ ...ok, delayMs: 3_000 });
    const err = await client(300).query(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AzureTimeoutError);
    const sentId = String(fake.requests[0]?.headers["x-ms-client-request-id"]);
    expect((err as Error).message).toBe(`Azure Monitor did not answer within 300 ms (request id ${sentId}).`);
  });

  it("says a resource does not exist on 404", async () => {
    fake.handler = () => ({ status: 404, body: { error: { code: "ResourceNotFound", message: "not found" } } });
    const err = await client().query(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AzureRequestError);
    expect((err as Error).message).toContain(`Azure says ${AOAI} does not exist`);
  });

  it("explains an unreachable endpoint instead of crashing", async () => {
    await fake.close();
    const err = await client().query(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AzureRequestError);
    expect((err as Error).message).toMatch(/Azure Monitor/);
  });

  it("discovers deployments from dimension values once and reuses them", async () => {
    fake.handler = () => ({
      status: 200,
      body: {
        timespan: request.timespan,
        value: [{ id: "x", type: "Microsoft.Insights/metrics", name: { value: "AzureOpenAIRequests", localizedValue: "Azure OpenAI Requests" }, unit: "Count", errorCode: "Success", timeseries: ["gpt-4o-mini", "gpt-4o"].map((v) => ({ metadatavalues: [{ name: { value: "modeldeploymentname", localizedValue: "ModelDeploymentName" }, value: v }] })) }],
      },
    });
    const metrics = client();
    expect(await metrics.deployments(AOAI)).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(await metrics.deployments(AOAI)).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.query).toMatchObject({ resultType: "Metadata", $filter: "ModelDeploymentName eq '*' and ModelName eq '*'", metricnames: "AzureOpenAIRequests,AzureOpenAIProvisionedManagedUtilizationV2" });
  });
});
