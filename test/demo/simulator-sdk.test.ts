// The simulator as the bot sees it: through the real @azure/arm-monitor MonitorClient.
import { type MetricDefinition } from "@azure/arm-monitor";
import { isRestError, type RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { METRICS } from "../../src/queries/catalog.ts";
import { DEMO_DEPLOYMENTS, DEMO_RESOURCE_ID } from "../../src/demo/demo-resource.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";
import { byKey, demoClient, iso, NOW, NOW_MINUTE, onlySeries, span, sumOf, weightedAverage } from "./demo-client.ts";

const client = demoClient();

async function restError(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (err) {
    if (isRestError(err)) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}

describe("determinism", () => {
  it("answers the same window with the same numbers, also from a fresh simulator with the same seed", async () => {
    const options = { metricnames: "AzureOpenAIRequests,AzureOpenAITimeToResponse", aggregation: "Total,Average,Maximum,Count", interval: "PT5M", timespan: span(-180, 0), filter: "ModelDeploymentName eq '*'" };
    const first = await client.metrics.list(DEMO_RESOURCE_ID, options);
    const again = await client.metrics.list(DEMO_RESOURCE_ID, options);
    const fresh = await demoClient(new SimulatedAzureMonitor({ now: () => NOW, seed: 42 })).metrics.list(DEMO_RESOURCE_ID, options);
    expect(again.value).toEqual(first.value);
    expect(fresh.value).toEqual(first.value);
  });

  it("gives a minute the same value whichever window and grain asked for it", async () => {
    const minute = { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M" };
    const narrow = onlySeries((await client.metrics.list(DEMO_RESOURCE_ID, { ...minute, timespan: span(-300, -299) })).value[0]);
    const wide = onlySeries((await client.metrics.list(DEMO_RESOURCE_ID, { ...minute, timespan: span(-400, -200) })).value[0]);
    const same = wide.find((p) => p.timeStamp.getTime() === NOW_MINUTE - 300 * 60_000);
    expect(narrow).toHaveLength(1);
    expect(narrow[0]?.total).toBeGreaterThan(0);
    expect(same?.total).toBe(narrow[0]?.total);
  });

  it("draws different numbers for a different seed", async () => {
    const options = { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1H", timespan: span(-600, 0) };
    const a = onlySeries((await client.metrics.list(DEMO_RESOURCE_ID, options)).value[0]);
    const b = onlySeries((await demoClient(new SimulatedAzureMonitor({ now: () => NOW, seed: 7 })).metrics.list(DEMO_RESOURCE_ID, options)).value[0]);
    expect(b.map((p) => p.total)).not.toEqual(a.map((p) => p.total));
  });
});

describe("splitting and filtering", () => {
  it("splits AzureOpenAIRequests into the four deployments with lower-cased dimension names", async () => {
    const res = await client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1H", timespan: span(-24 * 60, 0), filter: "ModelDeploymentName eq '*'" });
    const series = res.value[0]?.timeseries ?? [];
    expect(new Set(series.map((s) => s.metadatavalues?.[0]?.value))).toEqual(new Set(DEMO_DEPLOYMENTS.map((d) => d.name)));
    for (const s of series) expect(s.metadatavalues?.[0]?.name).toEqual({ value: "modeldeploymentname", localizedValue: "ModelDeploymentName" });
    // gpt-4o-mini carries most traffic, and series come ordered by the aggregation, largest first.
    expect(series[0]?.metadatavalues?.[0]?.value).toBe("gpt-4o-mini");
  });

  it("shows the 429 burst on gpt-4o-mini in the afternoon's throttling incident, and next to none on gpt-4o", async () => {
    const res = await client.metrics.list(DEMO_RESOURCE_ID, {
      metricnames: "AzureOpenAIRequests",
      aggregation: "Total",
      interval: "FULL",
      timespan: "2026-11-26T13:40:00Z/2026-11-26T14:30:00Z",
      filter: "ModelDeploymentName eq '*' and StatusCode eq '429'",
    });
    const throttled = byKey(res.value[0]);
    const mini = sumOf(throttled.get("gpt-4o-mini") ?? [], "total");
    const big = sumOf(throttled.get("gpt-4o") ?? [], "total");
    expect(mini).toBeGreaterThan(1000);
    expect(big).toBeLessThan(mini / 100);
  });

  it("joins values of one dimension with or, in parentheses, and excludes with ne", async () => {
    const base = { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "FULL", timespan: span(-120, 0) };
    const all = byKey((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, filter: "ModelDeploymentName eq '*'" })).value[0]);
    const total = (name: string) => sumOf(all.get(name) ?? [], "total");
    const either = onlySeries((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, filter: "(ModelDeploymentName eq 'gpt-4o' or ModelDeploymentName eq 'gpt-4o-ptu')" })).value[0]);
    const notMini = onlySeries((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, filter: "ModelDeploymentName ne 'gpt-4o-mini'" })).value[0]);
    expect(sumOf(either, "total")).toBe(total("gpt-4o") + total("gpt-4o-ptu"));
    expect(sumOf(notMini, "total")).toBe(total("gpt-4o") + total("gpt-4o-ptu") + total("text-embedding-3-large"));
  });

  it("keeps the top N series by the orderby aggregation, in either direction", async () => {
    const base = { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "FULL", timespan: span(-240, 0), filter: "ModelDeploymentName eq '*'", top: 2 };
    const names = async (orderby: string) => ((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, orderby })).value[0]?.timeseries ?? []).map((s) => s.metadatavalues?.[0]?.value);
    const all = byKey((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, top: 10 })).value[0]);
    const ranked = [...all.entries()].sort(([, a], [, b]) => sumOf(b, "total") - sumOf(a, "total")).map(([k]) => k);
    expect(await names("Total desc")).toEqual(ranked.slice(0, 2));
    expect(await names("total asc")).toEqual(ranked.slice(-2).reverse());
  });

  it("answers resultType=Metadata with the dimension values and no data", async () => {
    const res = await client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests", resultType: "Metadata", timespan: span(-30 * 24 * 60, 0), filter: "ModelDeploymentName eq '*'", top: 1000 });
    const series = res.value[0]?.timeseries ?? [];
    expect(series.map((s) => s.metadatavalues?.[0]?.value).sort()).toEqual(DEMO_DEPLOYMENTS.map((d) => d.name).sort());
    for (const s of series) expect(s.data).toBeUndefined();
  });

  it("reports StatusCode values as the HTTP codes, from Metadata", async () => {
    const res = await client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests", resultType: "Metadata", timespan: span(-24 * 60, 0), filter: "StatusCode eq '*'" });
    const codes = (res.value[0]?.timeseries ?? []).map((s) => s.metadatavalues?.[0]?.value).sort();
    expect(codes).toEqual(["200", "400", "429", "500", "503"]);
  });
});

describe("numbers that must agree", () => {
  it("makes TokenTransaction exactly ProcessedPromptTokens + GeneratedTokens, per deployment and bucket", async () => {
    const res = await client.metrics.list(DEMO_RESOURCE_ID, {
      metricnames: "ProcessedPromptTokens,GeneratedTokens,TokenTransaction",
      aggregation: "Total",
      interval: "PT15M",
      timespan: span(-6 * 60, 0),
      filter: "ModelDeploymentName eq '*'",
    });
    const [prompt, generated, transaction] = res.value.map(byKey);
    expect(transaction?.size).toBe(4);
    // Embeddings generate nothing, so they have no GeneratedTokens series at all.
    expect(generated?.has("text-embedding-3-large")).toBe(false);
    for (const [deployment, points] of transaction ?? []) {
      points.forEach((p, i) => {
        const sum = (prompt?.get(deployment)?.[i]?.total ?? 0) + (generated?.get(deployment)?.[i]?.total ?? 0);
        expect(p.total).toBe(sum);
      });
      expect(sumOf(points, "total")).toBeGreaterThan(0);
    }
  });

  it("gives a FULL total equal to the sum of the PT1M totals over the same span", async () => {
    const base = { metricnames: "AzureOpenAIRequests,TokenTransaction", aggregation: "Total", timespan: span(-185, -3) };
    const full = await client.metrics.list(DEMO_RESOURCE_ID, { ...base, interval: "FULL" });
    const minutes = await client.metrics.list(DEMO_RESOURCE_ID, { ...base, interval: "PT1M" });
    for (const i of [0, 1]) {
      const fine = onlySeries(minutes.value[i]);
      expect(fine).toHaveLength(182);
      expect(onlySeries(full.value[i])[0]?.total).toBe(sumOf(fine, "total"));
    }
  });

  it("weights averages by count when rolling minutes into a bucket", async () => {
    const base = { metricnames: "AzureOpenAITimeToResponse", aggregation: "Average,Count,Minimum,Maximum", timespan: span(-120, 0), filter: "ModelDeploymentName eq 'gpt-4o-mini'" };
    const minutes = onlySeries((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, interval: "PT1M" })).value[0]);
    const full = onlySeries((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, interval: "FULL" })).value[0])[0];
    expect(full?.count).toBe(sumOf(minutes, "count"));
    expect(full?.average).toBeCloseTo(weightedAverage(minutes), 6);
    expect(full?.maximum).toBe(Math.max(...minutes.map((p) => p.maximum ?? -Infinity)));
    expect(full?.minimum).toBe(Math.min(...minutes.map((p) => p.minimum ?? Infinity)));
    // A plain mean of the minute averages would differ: minutes carry different request counts.
    const plain = minutes.reduce((s, p) => s + (p.average ?? 0), 0) / minutes.length;
    expect(Math.abs(plain - (full?.average ?? 0))).toBeGreaterThan(1e-9);
  });

  it("computes availability per minute as (total - 5xx) / total × 100", async () => {
    const base = { aggregation: "Total", interval: "PT1M", timespan: span(-60, 0) };
    const requests = byKey((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, metricnames: "AzureOpenAIRequests", filter: "ModelDeploymentName eq 'gpt-4o-mini' and StatusCode eq '*'" })).value[0]);
    const availability = onlySeries((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, metricnames: "AzureOpenAIAvailabilityRate", aggregation: "Average", filter: "ModelDeploymentName eq 'gpt-4o-mini'" })).value[0]);
    availability.forEach((p, i) => {
      const count = (code: string) => requests.get(code)?.[i]?.total ?? 0;
      const total = ["200", "400", "429", "500", "503"].reduce((s, c) => s + count(c), 0);
      expect(p.average).toBeCloseTo((100 * (total - count("500") - count("503"))) / total, 9);
    });
  });

  it("derives the legacy call counts from the same requests, without a deployment dimension", async () => {
    const base = { interval: "FULL", timespan: span(-240, 0) };
    const legacy = await client.metrics.list(DEMO_RESOURCE_ID, { ...base, metricnames: "TotalCalls,SuccessfulCalls,BlockedCalls,ClientErrors,ServerErrors,TotalErrors", aggregation: "Total" });
    const byStatus = byKey((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, metricnames: "AzureOpenAIRequests", aggregation: "Total", filter: "StatusCode eq '*'" })).value[0]);
    const status = (code: string) => sumOf(byStatus.get(code) ?? [], "total");
    const [total, ok, blocked, client4xx, server5xx, errors] = legacy.value.map((m) => sumOf(onlySeries(m), "total"));
    expect(total).toBe(["200", "400", "429", "500", "503"].reduce((s, c) => s + status(c), 0));
    expect(ok).toBe(status("200"));
    expect(blocked).toBe(status("429"));
    expect(client4xx).toBe(status("400") + status("429"));
    expect(server5xx).toBe(status("500") + status("503"));
    expect(errors).toBe((client4xx ?? 0) + (server5xx ?? 0));
    const err = await restError(client.metrics.list(DEMO_RESOURCE_ID, { ...base, metricnames: "BlockedCalls", filter: "ModelDeploymentName eq 'gpt-4o'" }));
    expect(err.statusCode).toBe(400);
  });
});

describe("the story in the data", () => {
  it("shows the daily latency spike on gpt-4o at 10:00-10:20 UTC, not on gpt-4o-mini", async () => {
    const at = async (timespan: string) =>
      byKey((await client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAITimeToResponse", aggregation: "Average,Count", interval: "FULL", timespan, filter: "ModelDeploymentName eq '*' and StatusCode eq '200'" })).value[0]);
    const spike = await at("2026-11-26T10:00:00Z/2026-11-26T10:20:00Z");
    const before = await at("2026-11-26T09:00:00Z/2026-11-26T10:00:00Z");
    const average = (m: Map<string, Parameters<typeof weightedAverage>[0]>, d: string) => weightedAverage(m.get(d) ?? []);
    expect(average(spike, "gpt-4o")).toBeGreaterThan(2.5 * average(before, "gpt-4o"));
    expect(average(spike, "gpt-4o-mini")).toBeLessThan(1.3 * average(before, "gpt-4o-mini"));
  });

  it("repeats the throttling burst daily at 13:30-14:40 UTC on gpt-4o-mini, and nothing else throttles it", async () => {
    const day = Date.parse("2026-11-24T00:00:00Z");
    const res = await client.metrics.list(DEMO_RESOURCE_ID, {
      metricnames: "AzureOpenAIRequests",
      aggregation: "Total",
      interval: "PT1H",
      timespan: `${iso(day)}/${iso(day + 86_400_000)}`,
      filter: "ModelDeploymentName eq 'gpt-4o-mini' and StatusCode eq '429'",
    });
    const hours = onlySeries(res.value[0]).map((p) => p.total ?? 0);
    expect(hours[13]).toBeGreaterThan(1000);
    expect(hours[14]).toBeGreaterThan(hours[13] ?? 0);
    expect(hours.filter((_, h) => h !== 13 && h !== 14).every((n) => n === 0)).toBe(true);
  });

  it("reports provisioned utilisation, active tokens and cache hits only for gpt-4o-ptu, reaching 100 % at peak", async () => {
    const res = await client.metrics.list(DEMO_RESOURCE_ID, {
      metricnames: "AzureOpenAIProvisionedManagedUtilizationV2,ActiveTokens,AzureOpenAIContextTokensCacheMatchRate",
      aggregation: "Average,Maximum,Total",
      interval: "PT1H",
      timespan: span(-7 * 24 * 60, 0),
      filter: "ModelDeploymentName eq '*'",
    });
    for (const metric of res.value) expect([...byKey(metric).keys()]).toEqual(["gpt-4o-ptu"]);
    const utilisation = byKey(res.value[0]).get("gpt-4o-ptu") ?? [];
    expect(Math.max(...utilisation.map((p) => p.maximum ?? 0))).toBe(100);
    expect(Math.min(...utilisation.map((p) => p.average ?? 100))).toBeLessThan(30);
  });

  it("spills gpt-4o-ptu's overflow at 100 % to gpt-4o, counted there as IsSpillover 'true' (mostly 200), with no 429s left on gpt-4o-ptu", async () => {
    const afternoon = "2026-11-26T13:00:00Z/2026-11-26T16:00:00Z";
    const requests = byKey(
      (await client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "FULL", timespan: afternoon, filter: "ModelDeploymentName eq '*' and IsSpillover eq '*' and StatusCode eq '*'", top: 50 })).value[0],
    );
    const total = (prefix: string) => [...requests].filter(([key]) => key.startsWith(prefix)).reduce((s, [, points]) => s + sumOf(points, "total"), 0);
    const utilisation = onlySeries(
      (await client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIProvisionedManagedUtilizationV2", aggregation: "Maximum", interval: "PT1M", timespan: afternoon, filter: "ModelDeploymentName eq 'gpt-4o-ptu'" })).value[0],
    );
    expect(utilisation.some((p) => p.maximum === 100)).toBe(true);
    // a request is counted once, where it was served: gpt-4o-ptu has no spilled series, and no 429s
    expect(total("gpt-4o-ptu/true/")).toBe(0);
    expect(total("gpt-4o-ptu/false/429")).toBe(0);
    const spilled = total("gpt-4o/true/");
    expect(spilled).toBeGreaterThan(100);
    expect(total("gpt-4o/true/200")).toBeGreaterThan(0.95 * spilled);
    // and they are gpt-4o's requests in every other metric too: its TokenTransaction counts them
    const usage = byKey((await client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "TokenTransaction", aggregation: "Count", interval: "FULL", timespan: afternoon, filter: "ModelDeploymentName eq 'gpt-4o'" })).value[0]);
    expect(sumOf([...usage.values()][0] ?? [], "count")).toBe(total("gpt-4o/false/200") + total("gpt-4o/true/200"));
  });

  it("has no generation metrics for the embeddings deployment", async () => {
    const res = await client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAINormalizedTTFTInMS,AzureOpenAINormalizedTBTInMS,AzureOpenAITokenPerSecond,AzureOpenAITTLTInMS", aggregation: "Average", interval: "FULL", timespan: span(-60, 0), filter: "ModelDeploymentName eq '*'" });
    for (const metric of res.value) expect([...byKey(metric).keys()].sort()).toEqual(["gpt-4o", "gpt-4o-mini", "gpt-4o-ptu"]);
  });

  it("counts content-filter blocks by category, fewer than the harmful detections", async () => {
    const base = { aggregation: "Total", interval: "FULL", timespan: span(-24 * 60, 0) };
    const rejected = byKey((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, metricnames: "RAIRejectedRequests", filter: "Category eq '*'" })).value[0]);
    const harmful = byKey((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, metricnames: "RAIHarmfulRequests", filter: "Severity eq '*'" })).value[0]);
    expect([...rejected.keys()].sort()).toEqual(["Hate", "SelfHarm", "Sexual", "Violence"]);
    const blocked = [...rejected.values()].reduce((s, p) => s + sumOf(p, "total"), 0);
    const severe = sumOf(harmful.get("Medium") ?? [], "total") + sumOf(harmful.get("High") ?? [], "total");
    expect(blocked).toBe(severe);
    expect(sumOf(harmful.get("Low") ?? [], "total")).toBeGreaterThan(0);
  });

  it("has no data after its clock's now or more than 30 days before it", async () => {
    const future = await client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests,AzureOpenAITimeToResponse", aggregation: "Total,Average", interval: "PT5M", timespan: span(5, 65) });
    for (const metric of future.value) {
      const points = onlySeries(metric);
      expect(points).toHaveLength(12);
      for (const p of points) expect(Object.keys(p).filter((k) => p[k as keyof typeof p] !== undefined)).toEqual(["timeStamp"]);
    }
    const ancient = onlySeries((await client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1H", timespan: span(-40 * 24 * 60, -30 * 24 * 60 - 60) })).value[0]);
    expect(ancient.every((p) => p.total === undefined)).toBe(true);
  });

  it("reports 0 for a quiet minute of a count metric but nothing for an average metric", async () => {
    const base = { interval: "PT1M", timespan: span(-60, 0), filter: "ModelDeploymentName eq 'gpt-4o' and StatusCode eq '503'" };
    const counts = onlySeries((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, metricnames: "AzureOpenAIRequests", aggregation: "Total" })).value[0]);
    const latency = onlySeries((await client.metrics.list(DEMO_RESOURCE_ID, { ...base, metricnames: "AzureOpenAITimeToResponse", aggregation: "Average" })).value[0]);
    const quiet = counts.findIndex((p) => p.total === 0);
    expect(quiet).toBeGreaterThanOrEqual(0);
    expect(latency[quiet]?.average).toBeUndefined();
    expect(counts.every((p) => typeof p.total === "number")).toBe(true);
  });
});

describe("errors the SDK turns into RestError", () => {
  it("rejects an unknown metric name with 400 and the list of valid metrics", async () => {
    const err = await restError(client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests,NoSuchMetric", timespan: span(-60, 0) }));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe("BadRequest");
    expect(err.message).toContain("metric: NoSuchMetric, Valid metrics:");
    expect(err.response?.headers.get("x-ms-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("answers 404 ResourceNotFound for any other resource", async () => {
    const other = DEMO_RESOURCE_ID.replace("aoai-demo", "aoai-prod");
    const err = await restError(client.metrics.list(other, { metricnames: "AzureOpenAIRequests", timespan: span(-60, 0) }));
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe("ResourceNotFound");
  });

  it("accepts the resource id in any letter case, as Resource Manager does", async () => {
    const res = await client.metrics.list(DEMO_RESOURCE_ID.toUpperCase(), { metricnames: "AzureOpenAIRequests", timespan: span(-5, 0) });
    expect(onlySeries(res.value[0])).toHaveLength(5);
  });

  it("rejects a dimension the metric does not have with 400", async () => {
    const err = await restError(client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "ProcessedPromptTokens", timespan: span(-60, 0), filter: "StatusCode eq '429'" }));
    expect(err.statusCode).toBe(400);
    expect(err.message).toContain("StatusCode");
  });

  it.each([
    ["a value that smuggles in an or", "ModelDeploymentName eq 'x' or Region eq '*'"],
    ["an unbalanced quote", "ModelDeploymentName eq 'x"],
    ["a smuggled and inside an or", "ModelDeploymentName eq 'x' or (Region eq 'a' and Region eq 'b')"],
    ["a missing operator", "ModelDeploymentName 'gpt-4o'"],
    ["a star that is not alone", "ModelDeploymentName eq '*' or ModelDeploymentName eq 'gpt-4o'"],
  ])("rejects %s in $filter with 400 instead of changing the question", async (_, filter) => {
    const err = await restError(client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests", timespan: span(-60, 0), filter }));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe("BadRequest");
  });

  it("rejects more than 20 metric names", async () => {
    const names = METRICS.slice(0, 21).map((m) => m.name).join(",");
    const err = await restError(client.metrics.list(DEMO_RESOURCE_ID, { metricnames: names, timespan: span(-60, 0) }));
    expect(err.statusCode).toBe(400);
  });
});

describe("Metric Definitions - List", () => {
  it("lists every catalog metric with its unit, aggregations, grains and dimensions", async () => {
    const defs: MetricDefinition[] = [];
    for await (const d of client.metricDefinitions.list(DEMO_RESOURCE_ID, { metricnamespace: "Microsoft.CognitiveServices/accounts" })) defs.push(d);
    expect(defs.map((d) => d.name?.value)).toEqual(METRICS.map((m) => m.name));
    for (const m of METRICS) {
      const d = defs.find((x) => x.name?.value === m.name);
      expect(d?.unit).toBe(m.unit);
      expect(d?.primaryAggregationType).toBe(m.defaultAggregation);
      expect(d?.dimensions?.map((x) => x.value)).toEqual([...m.dimensions]);
      expect(d?.metricAvailabilities?.[0]).toEqual({ timeGrain: "PT1M", retention: "P93D" });
      expect(d?.namespace).toBe("Microsoft.CognitiveServices/accounts");
    }
  });
});
