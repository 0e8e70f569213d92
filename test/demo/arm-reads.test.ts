// The demo's activity log, deployments and diagnostic settings as the bot reads them: through the
// real @azure/arm-monitor and @azure/arm-cognitiveservices clients, answered by the simulator.
import { CognitiveServicesManagementClient, type Deployment } from "@azure/arm-cognitiveservices";
import { MonitorClient, type EventData } from "@azure/arm-monitor";
import { isRestError, type RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNT_NAME, DEMO_DEPLOYMENTS, DEMO_RESOURCE_GROUP, DEMO_RESOURCE_ID, DEMO_SUBSCRIPTION_ID } from "../../src/demo/demo-resource.ts";
import { simulatorHttpClient } from "../../src/demo/http-client.ts";
import { latencyFactor } from "../../src/demo/incidents.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";
import { DEMO_WORKSPACE_RESOURCE_ID } from "../../src/demo/workspace/workspace-identity.ts";
import { fakeCredential, NOW } from "./demo-client.ts";

function clients(now: Date = NOW, seed?: number) {
  const sim = new SimulatedAzureMonitor({ now: () => now, ...(seed === undefined ? {} : { seed }) });
  const options = { endpoint: "https://management.azure.com", httpClient: simulatorHttpClient(sim), retryOptions: { maxRetries: 0 } };
  return { monitor: new MonitorClient(fakeCredential, DEMO_SUBSCRIPTION_ID, options), cognitive: new CognitiveServicesManagementClient(fakeCredential, DEMO_SUBSCRIPTION_ID, options) };
}

async function all<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}

async function restError(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (err) {
    if (isRestError(err)) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}

function window(start: string, end: string, resource: string = DEMO_RESOURCE_ID): string {
  return `eventTimestamp ge '${start}' and eventTimestamp le '${end}' and resourceUri eq '${resource}'`;
}

describe("activity log", () => {
  const { monitor } = clients();

  it("lists the day's changes on the account and its deployments, newest first, with who and status", async () => {
    const events = await all(monitor.activityLogs.list(window("2026-11-26T00:00:00Z", "2026-11-27T00:00:00Z")));
    const times = events.map((e) => e.eventTimestamp?.getTime() ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const outcomes = events.filter((e) => e.status?.value !== "Started");
    // 2026-11-26 is a Thursday: the capacity change and its nightly reset, and dave's refused capacity raise on gpt-4o-mini.
    expect(outcomes.map((e) => `${e.operationName?.value ?? ""} ${e.resourceId?.split("/").pop() ?? ""} ${e.status?.value ?? ""} ${e.caller ?? ""}`)).toEqual(
      expect.arrayContaining([
        "Microsoft.CognitiveServices/accounts/deployments/write gpt-4o Succeeded alice@contoso.com",
        "Microsoft.CognitiveServices/accounts/deployments/write gpt-4o-mini Failed dave@contoso.com",
      ]),
    );
    for (const e of events) {
      expect(e.category?.value).toBe("Administrative");
      expect(e.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.resourceId?.toLowerCase().startsWith(DEMO_RESOURCE_ID.toLowerCase())).toBe(true);
    }
    // Every operation is a Started event and its outcome, sharing the correlation id.
    const byCorrelation = Map.groupBy(events, (e) => e.correlationId);
    for (const group of byCorrelation.values()) expect(group.map((e) => e.status?.value).sort()).toEqual(expect.arrayContaining(["Started"]));
  });

  it("puts the gpt-4o capacity change inside its daily latency spike, saying the new capacity", async () => {
    const events = await all(monitor.activityLogs.list(window("2026-11-27T09:30:00Z", "2026-11-27T11:00:00Z", `${DEMO_RESOURCE_ID}/deployments/gpt-4o`)));
    const started = events.filter((e) => e.status?.value === "Started");
    expect(started).toHaveLength(1);
    const at = started[0]?.eventTimestamp?.getTime() ?? 0;
    expect(at).toBeGreaterThanOrEqual(Date.parse("2026-11-27T10:00:00Z"));
    expect(at).toBeLessThan(Date.parse("2026-11-27T10:20:00Z"));
    expect(latencyFactor("gpt-4o", Math.floor(at / 60_000) * 60_000)).toBeGreaterThan(2);
    expect(JSON.parse(started[0]?.properties?.requestbody ?? "{}")).toMatchObject({ sku: { capacity: 1200 } });
  });

  it("shows a key regeneration on some days and the diagnostic setting write on Mondays", async () => {
    const month = await all(monitor.activityLogs.list(window("2026-10-28T13:00:00Z", "2026-11-27T12:00:00Z")));
    const operations = (name: string): EventData[] => month.filter((e) => e.operationName?.value === name && e.status?.value === "Succeeded");
    const keys = operations("Microsoft.CognitiveServices/accounts/regenerateKey/action");
    expect(keys.length).toBeGreaterThan(3);
    expect(keys.length).toBeLessThan(25);
    const settings = operations("Microsoft.Insights/diagnosticSettings/write");
    expect(settings.length).toBeGreaterThanOrEqual(4);
    for (const e of settings) expect(e.eventTimestamp?.getUTCDay()).toBe(1);
  });

  it("does not show an event before it was submitted, and answers a past window the same at any later time", async () => {
    const justAfter = clients(new Date("2026-11-27T10:02:30Z")).monitor;
    const later = clients(new Date("2026-12-20T00:00:00Z")).monitor;
    const span = window("2026-11-27T10:00:00Z", "2026-11-27T10:10:00Z");
    expect(await all(justAfter.activityLogs.list(span))).toEqual([]);
    expect(await all(later.activityLogs.list(span))).toEqual(await all(monitor.activityLogs.list(span)));
  });

  it("refuses a filter without a start time, and an unknown subscription, in ARM's error shape", async () => {
    const noStart = await restError(all(monitor.activityLogs.list(`resourceUri eq '${DEMO_RESOURCE_ID}'`)));
    expect(noStart.statusCode).toBe(400);
    expect(noStart.code).toBe("BadRequest");
    const wrong = new MonitorClient(fakeCredential, "11111111-1111-1111-1111-111111111111", { endpoint: "https://management.azure.com", httpClient: simulatorHttpClient(new SimulatedAzureMonitor({ now: () => NOW })), retryOptions: { maxRetries: 0 } });
    const missing = await restError(all(wrong.activityLogs.list(window("2026-11-26T00:00:00Z", "2026-11-27T00:00:00Z"))));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe("SubscriptionNotFound");
  });
});

describe("deployments", () => {
  /** Per minute, as the rule states it per renewalPeriod seconds. */
  const limits = (d: Deployment | undefined, key: string) => {
    const rule = d?.properties?.rateLimits?.find((r) => r.key === key);
    return rule?.count === undefined || rule.renewalPeriod === undefined ? undefined : (rule.count * 60) / rule.renewalPeriod;
  };

  it("lists the four demo deployments with sku, model and token and request limits", async () => {
    const deployments = await all(clients().cognitive.deployments.list(DEMO_RESOURCE_GROUP, DEMO_ACCOUNT_NAME));
    expect(deployments.map((d) => d.name)).toEqual(DEMO_DEPLOYMENTS.map((d) => d.name));
    const byName = new Map(deployments.map((d) => [d.name, d]));
    const mini = byName.get("gpt-4o-mini");
    expect(mini?.sku).toMatchObject({ name: "Standard", capacity: 850 });
    expect(mini?.properties?.model).toMatchObject({ name: "gpt-4o-mini", version: "2024-07-18" });
    expect(limits(mini, "token")).toBe(850_000);
    expect(limits(mini, "request")).toBe(5_100);
    const ptu = byName.get("gpt-4o-ptu");
    expect(ptu?.sku?.name).toBe("ProvisionedManaged");
    expect(ptu?.properties?.spilloverDeploymentName).toBe("gpt-4o");
    expect(ptu?.properties?.rateLimits).toBeUndefined();
  });

  it("shows gpt-4o's capacity as the activity log left it: raised from 10:02 to 19:00 UTC", async () => {
    const at = async (iso: string) => (await all(clients(new Date(iso)).cognitive.deployments.list(DEMO_RESOURCE_GROUP, DEMO_ACCOUNT_NAME))).find((d) => d.name === "gpt-4o");
    const morning = await at("2026-11-27T09:00:00Z");
    const noon = await at("2026-11-27T12:00:00Z");
    expect(morning?.sku?.capacity).toBe(1000);
    expect(noon?.sku?.capacity).toBe(1200);
    expect(limits(noon, "token")).toBe(1_200_000);
    expect(noon?.systemData?.lastModifiedBy).toBe("alice@contoso.com");
    expect(noon?.systemData?.lastModifiedAt?.toISOString()).toBe("2026-11-27T10:02:14.000Z");
  });

  it("puts gpt-4o-mini's busiest minute of the last 24 hours near its token limit and gpt-4o's well below", async () => {
    const { monitor, cognitive } = clients();
    const deployments = await all(cognitive.deployments.list(DEMO_RESOURCE_GROUP, DEMO_ACCOUNT_NAME));
    const res = await monitor.metrics.list(DEMO_RESOURCE_ID, { metricnames: "TokenTransaction", aggregation: "Total", interval: "PT1M", timespan: "2026-11-26T12:34:00Z/2026-11-27T12:34:00Z", filter: "ModelDeploymentName eq '*'" });
    const peakShare = (name: string) => {
      const points = res.value[0]?.timeseries?.find((t) => t.metadatavalues?.[0]?.value === name)?.data ?? [];
      const peak = Math.max(...points.map((p) => p.total ?? 0));
      return peak / (limits(deployments.find((d) => d.name === name), "token") ?? Number.NaN);
    };
    expect(peakShare("gpt-4o-mini")).toBeGreaterThanOrEqual(0.9);
    expect(peakShare("gpt-4o")).toBeLessThan(0.7);
  });

  it("answers an unknown account with ResourceNotFound", async () => {
    const err = await restError(all(clients().cognitive.deployments.list(DEMO_RESOURCE_GROUP, "someone-else")));
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe("ResourceNotFound");
  });
});

describe("diagnostic settings", () => {
  it("has one setting sending Audit, RequestResponse and Trace logs and AllMetrics to the demo workspace", async () => {
    const settings = await all(clients().monitor.diagnosticSettings.list(DEMO_RESOURCE_ID));
    expect(settings).toHaveLength(1);
    const s = settings[0];
    expect(s?.workspaceId).toBe(DEMO_WORKSPACE_RESOURCE_ID);
    expect(s?.logs?.filter((l) => l.enabled).map((l) => l.category)).toEqual(["Audit", "RequestResponse", "Trace"]);
    expect(s?.metrics).toEqual([expect.objectContaining({ category: "AllMetrics", enabled: true })]);
    expect(s?.logAnalyticsDestinationType ?? null).toBeNull();
  });

  it("answers another resource with ResourceNotFound", async () => {
    const err = await restError(all(clients().monitor.diagnosticSettings.list(`/subscriptions/${DEMO_SUBSCRIPTION_ID}/resourceGroups/x/providers/Microsoft.CognitiveServices/accounts/y`)));
    expect(err.statusCode).toBe(404);
  });
});
