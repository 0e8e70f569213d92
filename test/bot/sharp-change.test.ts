// A sharp change in a metric answer names what the activity log holds for its window: what "sharp"
// is (one table over the verdict's thresholds), the one line it adds, and the whole path through the
// bot with the demo's query layer (its activity log has a capacity change during the gpt-4o spike).
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";
import { composeReply } from "../../src/bot/compose.ts";
import { activityLine, isSharp, sharplyChanged } from "../../src/bot/sharp-change.ts";
import { DEFAULT_VERDICT } from "../../src/bot/verdict.ts";
import type { ActivityEvent } from "../../src/queries/arm-readers.ts";
import type { MetricResult, QueryAnswer } from "../../src/queries/result.ts";

const T = DEFAULT_VERDICT;
const ACCOUNT = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";

describe("what a sharp change is (verdict thresholds: latency 50 %, throttle 5 pts, errors 5 pts, success 95 %, 20 calls)", () => {
  it.each([
    ["latency +60 %", { unit: "MilliSeconds" as const }, 1600, 1000, true],
    ["latency +40 %", { unit: "MilliSeconds" as const }, 1400, 1000, false],
    ["latency −55 %", { unit: "MilliSeconds" as const }, 450, 1000, true],
    ["latency from 0 ms", { unit: "MilliSeconds" as const }, 450, 0, false],
    ["throttle rate 2 → 8 %", { unit: "Percent" as const, figure: "throttle-rate" as const }, 8, 2, true],
    ["throttle rate 2 → 6 %", { unit: "Percent" as const, figure: "throttle-rate" as const }, 6, 2, false],
    ["error rate 1 → 7 %", { unit: "Percent" as const, figure: "error-rate" as const }, 7, 1, true],
    ["success rate 99 → 93 %", { unit: "Percent" as const, figure: "success-rate" as const }, 93, 99, true],
    ["success rate 99 → 96 %", { unit: "Percent" as const, figure: "success-rate" as const }, 96, 99, false],
    ["requests 100 → 200", { unit: "Count" as const }, 200, 100, true],
    ["requests 5 → 15 (too few calls)", { unit: "Count" as const }, 15, 5, false],
    ["requests 0 → 30", { unit: "Count" as const }, 30, 0, true],
    ["requests 0 → 0", { unit: "Count" as const }, 0, 0, false],
    ["availability 99.9 → 80 % (no rule)", { unit: "Percent" as const }, 80, 99.9, false],
    ["no data now", { unit: "MilliSeconds" as const }, null, 1000, false],
    ["no data before", { unit: "Count" as const }, 500, null, false],
  ])("%s → %s", (_name, figure, value, previous, sharp) => {
    expect(isSharp(figure, value, previous, T)).toBe(sharp);
  });

  it("follows the configured thresholds", () => {
    expect(isSharp({ unit: "MilliSeconds" }, 1400, 1000, { ...T, latencyChange: 30 })).toBe(true);
    expect(isSharp({ unit: "Percent", figure: "throttle-rate" }, 6, 2, { ...T, throttleRate: 3 })).toBe(true);
  });

  it("finds the resources whose figure or split row changed sharply", () => {
    const result = (id: string, value: number, previous: number, series: [number, number][] = []): MetricResult => ({
      label: "Time to response", metric: "AzureOpenAITimeToResponse", displayName: "Time to response", aggregation: "Average", unit: "MilliSeconds",
      resource: { id, name: id.split("/").pop() ?? id }, value, previous, points: [],
      series: series.map(([v, p], i) => ({ dimensions: { ModelDeploymentName: `d${String(i)}` }, value: v, previous: p, points: [] })), hiddenSeries: 0,
      provenance: { resourceId: id, metric: "AzureOpenAITimeToResponse", aggregation: "Average", interval: "PT1M", timespan: "", previousTimespan: "", zone: "UTC", localWindow: "", method: "" },
    });
    const a: QueryAnswer = { topic: "Latency", zone: "UTC", window: { start: "2026-12-01T09:00:00Z", end: "2026-12-01T10:00:00Z", label: "last 1 h" }, previousWindow: { start: "2026-12-01T08:00:00Z", end: "2026-12-01T09:00:00Z" }, notes: [], requests: [],
      results: [result(ACCOUNT, 1100, 1000), result(`${ACCOUNT}-2`, 1100, 1000, [[3000, 1000], [900, 1000]]), result(`${ACCOUNT}-3`, 1000, 1000)] };
    expect(sharplyChanged(a, T)).toEqual([`${ACCOUNT}-2`]);
  });
});

describe("the one line", () => {
  const event = (over: Partial<ActivityEvent>): ActivityEvent => ({
    time: "2026-12-01T10:02:38Z", operation: "Microsoft.CognitiveServices/accounts/deployments/write", label: "deployment updated", status: "Succeeded",
    caller: "alice@contoso.com", resourceId: `${ACCOUNT}/deployments/gpt-4o`, deployment: "gpt-4o", correlationId: "c1", detail: "capacity 100 → 150", ...over,
  });

  it("says what changed, when (in the reader's zone) and by whom", () => {
    expect(activityLine([event({})])).toBe("Changed in this window: gpt-4o was updated (capacity 100 → 150) at ⟦2026-12-01T10:02:38Z⟧ by alice@contoso.com.");
  });

  it("names the first change and counts the others; one operation's records are one change", () => {
    const line = activityLine([
      event({ time: "2026-12-01T10:40:00Z", correlationId: "c2", operation: "Microsoft.CognitiveServices/accounts/regenerateKey/action", label: "keys regenerated", deployment: undefined, resourceId: ACCOUNT, detail: undefined, caller: "bob@contoso.com" }),
      event({}),
      event({ time: "2026-12-01T10:02:40Z" }),
    ]);
    expect(line).toMatch(/^Changed in this window: gpt-4o was updated \(capacity 100 → 150\) at ⟦2026-12-01T10:02:\d\dZ⟧ by alice@contoso\.com and 1 more change \(ask "what changed\?"\)\.$/);
  });

  it("says when the change failed, and nothing when nothing changed", () => {
    expect(activityLine([event({ status: "Failed" })])).toContain("by alice@contoso.com (it failed).");
    expect(activityLine([])).toBeUndefined();
  });
});

describe("through the bot, with the demo's query layer", () => {
  const botAt = (now: string) => {
    const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: new Date(now) });
    return new Bot(source.service, undefined, { tables: source.tables });
  };

  it("mentions the capacity change made during gpt-4o's latency spike, above the Understood line", async () => {
    const reply = await botAt("2026-12-01T10:15:00Z").ask("latency gpt-4o", undefined, new Date("2026-12-01T10:15:00Z"));
    expect(reply).toMatchObject({ kind: "answer", activity: { kind: "events" } });
    const m = composeReply(reply, "latency gpt-4o");
    const at = m.lines.findIndex((l) => l.startsWith("Changed in this window: gpt-4o was updated"));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(m.lines[at]).toMatch(/at ⟦2026-12-01T10:0\d:\d\dZ⟧ by alice@contoso\.com/);
    expect(m.lines[at + 1]).toMatch(/^Understood: Latency · gpt-4o/);
  });

  it("says nothing of the activity log when the figures did not move sharply", async () => {
    const reply = await botAt("2026-12-01T04:00:00Z").ask("latency gpt-4o", undefined, new Date("2026-12-01T04:00:00Z"));
    expect(reply.kind).toBe("answer");
    expect(reply.kind === "answer" ? reply.activity : "not an answer").toBeUndefined();
  });
});
