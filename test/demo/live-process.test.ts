// `npm start` on the demo: the query source built without --now follows the wall clock, so the
// simulated account keeps producing minutes for as long as the process runs.
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { DEMO_RESOURCE_ID } from "../../src/demo/demo-resource.ts";

const MINUTE = 60_000;

afterEach(() => {
  vi.useRealTimers();
});

describe("the demo source of a long-running process", () => {
  it("answers minutes that landed after it started, up to a minute or two before now", async () => {
    // only Date is faked: the SDK's own timers keep running
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-30T10:00:00Z"));
    const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo" });
    const newest = async () => {
      const res = await source.metrics.query({ api: "metrics", resourceId: DEMO_RESOURCE_ID, metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: "PT15M", window: "current" });
      const points = res.value[0]?.timeseries[0]?.data ?? [];
      return Math.max(...points.filter((p) => p.total !== undefined).map((p) => p.timeStamp.getTime()));
    };
    const atStart = await newest();
    expect(atStart).toBeLessThan(Date.parse("2026-11-30T09:59:00Z"));
    vi.setSystemTime(new Date("2026-11-30T10:07:00Z"));
    const later = await newest();
    expect(later).toBeGreaterThanOrEqual(atStart + 6 * MINUTE);
    expect(later + MINUTE).toBeLessThan(Date.parse("2026-11-30T10:07:00Z"));
  });
});
