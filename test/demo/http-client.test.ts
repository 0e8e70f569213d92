import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { DEMO_RESOURCE_ID } from "../../src/demo/demo-resource.ts";
import { simulatorHttpClient } from "../../src/demo/http-client.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";
import { NOW } from "./demo-client.ts";

const sim = new SimulatedAzureMonitor({ now: () => NOW });
const url = `https://management.azure.com/${DEMO_RESOURCE_ID}/providers/Microsoft.Insights/metrics?api-version=2024-02-01&metricnames=AzureOpenAIRequests&timespan=PT5M`;

describe("simulatorHttpClient", () => {
  it("answers the pipeline request in-process with the simulator's status, headers and body", async () => {
    const request = createPipelineRequest({ url, method: "GET" });
    const res = await simulatorHttpClient(sim).sendRequest(request);
    expect(res.request).toBe(request);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-ms-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(res.bodyAsText ?? "")).toHaveProperty("value");
  });

  it("waits latencyMs before answering", async () => {
    const started = performance.now();
    await simulatorHttpClient(sim, { latencyMs: 40 }).sendRequest(createPipelineRequest({ url, method: "GET" }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });

  it("rejects with an AbortError when the request is aborted while waiting, or was already", async () => {
    const controller = new AbortController();
    const pending = simulatorHttpClient(sim, { latencyMs: 5_000 }).sendRequest(createPipelineRequest({ url, method: "GET", abortSignal: controller.signal }));
    setTimeout(() => {
      controller.abort();
    }, 10);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await expect(simulatorHttpClient(sim).sendRequest(createPipelineRequest({ url, method: "GET", abortSignal: AbortSignal.abort() }))).rejects.toMatchObject({ name: "AbortError" });
  });
});
