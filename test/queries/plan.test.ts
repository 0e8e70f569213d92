import { describe, expect, it } from "vitest";
import { InvalidFilterValueError, UnknownDeploymentError, UnsupportedDimensionError } from "../../src/queries/errors.ts";
import { planQuestion, SPLIT_FETCH_TOP } from "../../src/queries/plan.ts";
import type { MetricAsk, Question } from "../../src/queries/question.ts";
import type { Resource } from "../../src/queries/resources.ts";

const ID = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const ID2 = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-dev";
const resources: Resource[] = [{ id: ID, name: "aoai-prod", deployments: ["gpt-4o", "gpt-4o-mini"] }];
const NOW = new Date("2026-11-29T10:00:30Z");
const q = (over: Partial<Question> & { asks: MetricAsk[] }): Question => ({ topic: "t", window: { kind: "relative", minutes: 60 }, filters: {}, notes: [], ...over });
const latency: MetricAsk = { metric: "AzureOpenAITimeToResponse", aggregation: "Average", label: "Latency" };
const requests: MetricAsk = { metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" };

describe("planning Metrics - List requests", () => {
  it("asks for one hour at PT1M, the previous hour at PT1M (to cut it to the data that is in), the resource's newest minutes, and lists the FULL fallback as conditional", () => {
    const plan = planQuestion(q({ asks: [latency] }), resources, NOW, "UTC");
    // latency is of successful calls: split by StatusCode, 2xx kept when reading
    const ttr = { api: "metrics", resourceId: ID, metricnames: "AzureOpenAITimeToResponse", aggregation: "Average,Count", filter: "StatusCode eq '*'", top: SPLIT_FETCH_TOP, orderby: "Average desc" };
    expect(plan.requests.map((r) => ({ ...r.request, ...(r.conditional === undefined ? {} : { conditional: r.conditional }) }))).toEqual([
      { api: "metrics", resourceId: ID, metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: "2026-11-29T09:45:30Z/2026-11-29T10:00:30Z", window: "current" },
      { ...ttr, interval: "PT1M", timespan: "2026-11-29T09:00:30Z/2026-11-29T10:00:30Z", window: "current" },
      { ...ttr, interval: "PT1M", timespan: "2026-11-29T08:00:30Z/2026-11-29T09:00:30Z", window: "previous" },
      { ...ttr, interval: "FULL", timespan: "2026-11-29T09:00:30Z/2026-11-29T10:00:30Z", window: "current", conditional: "if the points came without counts" },
    ]);
    expect(plan.requests.map((r) => r.purpose)).toEqual(["freshness", "figures", "figures", "full-window"]);
  });

  it("reads a past window's baseline as one FULL point and sends no freshness read", () => {
    const plan = planQuestion(q({ asks: [requests], window: { kind: "yesterday" } }), resources, NOW, "UTC");
    expect(plan.live).toBe(false);
    expect(plan.requests.map((r) => [r.purpose, r.request.window, r.request.interval, r.request.timespan])).toEqual([
      ["figures", "current", "PT15M", "2026-11-28T00:00:00Z/2026-11-29T00:00:00Z"],
      ["figures", "previous", "FULL", "2026-11-27T00:00:00Z/2026-11-28T00:00:00Z"],
    ]);
  });

  it("reads a long live window's baseline as a FULL head and a PT1M tail, so it can be cut to the minutes that have data", () => {
    const plan = planQuestion(q({ asks: [requests], window: { kind: "today" } }), resources, NOW, "UTC");
    expect(plan.requests.filter((r) => r.request.window === "previous").map((r) => [r.request.interval, r.request.timespan])).toEqual([
      ["FULL", "2026-11-28T00:00:00Z/2026-11-28T09:45:30Z"],
      ["PT1M", "2026-11-28T09:45:30Z/2026-11-28T10:00:30Z"],
    ]);
  });

  it("lists the zero check of an exact status code: conditional unsplit, always when split", () => {
    const throttled: MetricAsk = { ...requests, status: { kind: "exact", code: "429" } };
    const unsplit = planQuestion(q({ asks: [throttled], filters: { ModelDeploymentName: ["gpt-4o-mini"] } }), resources, NOW, "UTC");
    const checks = unsplit.requests.filter((r) => r.purpose === "traffic");
    expect(checks.map((r) => [r.request.window, r.request.interval, r.request.filter, r.conditional])).toEqual([
      ["current", "FULL", "ModelDeploymentName eq 'gpt-4o-mini'", "if no series matched the StatusCode filter"],
      ["previous", "FULL", "ModelDeploymentName eq 'gpt-4o-mini'", "if no series matched the StatusCode filter"],
    ]);
    const split = planQuestion(q({ asks: [throttled], splitBy: "ModelDeploymentName" }), resources, NOW, "UTC");
    expect(split.requests.filter((r) => r.purpose === "traffic").map((r) => [r.request.filter, r.request.top, r.conditional])).toEqual([
      ["ModelDeploymentName eq '*'", SPLIT_FETCH_TOP, undefined],
      ["ModelDeploymentName eq '*'", SPLIT_FETCH_TOP, undefined],
    ]);
    // a status class is split by StatusCode: Azure already lists every code it saw, no check needed
    const cls = planQuestion(q({ asks: [{ ...requests, status: { kind: "class", prefixes: ["5"], label: "5xx" } }] }), resources, NOW, "UTC");
    expect(cls.requests.map((r) => r.purpose)).toEqual(["freshness", "figures", "figures"]);
  });

  it("lists every conditional request after every unconditional one, in the order they run", () => {
    const plan = planQuestion(q({ asks: [latency, { ...requests, status: { kind: "exact", code: "429" } }, requests] }), resources, NOW, "UTC");
    const firstConditional = plan.requests.findIndex((r) => r.conditional !== undefined);
    expect(firstConditional).toBeGreaterThan(0);
    expect(plan.requests.slice(firstConditional).every((r) => r.conditional !== undefined)).toBe(true);
    expect(plan.requests.filter((r) => r.conditional !== undefined)).toHaveLength(3);
  });

  it.each([
    [30, "PT1M"],
    [60 * 3, "PT1M"],
    [60 * 24, "PT15M"],
    [60 * 24 * 7, "PT1H"],
    [60 * 24 * 30, "PT6H"],
  ])("keeps a %i-minute window at or under 200 points (%s)", (minutes, grain) => {
    const plan = planQuestion(q({ asks: [requests], window: { kind: "relative", minutes } }), resources, NOW, "UTC");
    expect(plan.grain).toBe(grain);
  });

  it("puts several metrics with the same filter into one request", () => {
    const plan = planQuestion(q({ asks: [{ metric: "ProcessedPromptTokens", aggregation: "Total", label: "p" }, { metric: "GeneratedTokens", aggregation: "Total", label: "c" }] }), resources, NOW, "UTC");
    const current = plan.requests.filter((r) => r.purpose === "figures" && r.request.window === "current");
    expect(current).toHaveLength(1);
    expect(current[0]?.request.metricnames).toBe("ProcessedPromptTokens,GeneratedTokens");
  });

  it("splits with '*', fetches enough series for a correct headline and orders by the figure", () => {
    const plan = planQuestion(q({ asks: [requests], splitBy: "ModelDeploymentName", top: 3 }), resources, NOW, "UTC");
    expect(plan.requests.find((r) => r.purpose === "figures")?.request).toMatchObject({ filter: "ModelDeploymentName eq '*'", top: SPLIT_FETCH_TOP, orderby: "Total desc" });
  });

  it("filters a status code exactly and a status class by splitting", () => {
    const plan = planQuestion(
      q({
        asks: [
          { ...requests, status: { kind: "exact", code: "429" } },
          { ...requests, status: { kind: "class", prefixes: ["5"], label: "5xx" } },
        ],
        filters: { ModelDeploymentName: ["GPT-4o"] },
      }),
      resources,
      NOW,
      "UTC",
    );
    const filters = plan.requests.filter((r) => r.purpose === "figures" && r.request.window === "current").map((r) => r.request.filter);
    expect(filters).toEqual(["ModelDeploymentName eq 'gpt-4o' and StatusCode eq '429'", "ModelDeploymentName eq 'gpt-4o' and StatusCode eq '*'"]);
  });

  it("joins several values of one dimension with or, in brackets", () => {
    const plan = planQuestion(q({ asks: [requests], filters: { ApiName: ["chat", "embeddings"] } }), resources, NOW, "UTC");
    expect(plan.requests.find((r) => r.purpose === "figures")?.request.filter).toBe("(ApiName eq 'chat' or ApiName eq 'embeddings')");
  });

  it("compares several deployments side by side: requests of their own for each", () => {
    const plan = planQuestion(q({ asks: [requests], filters: { ModelDeploymentName: ["gpt-4o", "gpt-4o-mini"] } }), resources, NOW, "UTC");
    expect(plan.items).toEqual([{ dimension: "ModelDeploymentName", value: "gpt-4o" }, { dimension: "ModelDeploymentName", value: "gpt-4o-mini" }]);
    expect(plan.requests.filter((r) => r.purpose === "figures" && r.request.window === "current").map((r) => [r.item, r.request.filter])).toEqual([
      [0, "ModelDeploymentName eq 'gpt-4o'"],
      [1, "ModelDeploymentName eq 'gpt-4o-mini'"],
    ]);
  });

  it.each(["x' or Region eq '*", "a'b", "gpt-4o)", "(x)", "x,y", "", " x"])("refuses the filter value %j instead of quoting it into the filter", (value) => {
    expect(() => planQuestion(q({ asks: [requests], filters: { Region: [value] } }), resources, NOW, "UTC")).toThrow(InvalidFilterValueError);
  });

  it("explains that a legacy metric has no deployment dimension instead of sending an invalid filter", () => {
    expect(() => planQuestion(q({ asks: [{ metric: "TotalCalls", aggregation: "Total", label: "x" }], filters: { ModelDeploymentName: ["gpt-4o"] } }), resources, NOW, "UTC")).toThrow(UnsupportedDimensionError);
  });

  it("suggests the closest deployment for a near miss", () => {
    try {
      planQuestion(q({ asks: [requests], filters: { ModelDeploymentName: ["gpt-4"] } }), resources, NOW, "UTC");
      expect.unreachable("planning should fail");
    } catch (err) {
      expect(err).toBeInstanceOf(UnknownDeploymentError);
      expect((err as UnknownDeploymentError).message).toContain("Did you mean gpt-4o?");
      expect((err as UnknownDeploymentError).hint).toContain("gpt-4o-mini");
    }
  });

  it("queries only the resources that have the named deployment", () => {
    const two: Resource[] = [...resources, { id: ID2, name: "aoai-dev", deployments: ["gpt-35"] }];
    const plan = planQuestion(q({ asks: [requests], filters: { ModelDeploymentName: ["gpt-35"] } }), two, NOW, "UTC");
    expect(new Set(plan.requests.map((r) => r.request.resourceId))).toEqual(new Set([ID2]));
    expect(planQuestion(q({ asks: [requests] }), two, NOW, "UTC").requests.filter((r) => r.purpose === "figures")).toHaveLength(4);
  });

  it("asks each resource only for the named deployments it has", () => {
    const two: Resource[] = [{ id: ID, name: "aoai-prod", deployments: ["gpt-4o"] }, { id: ID2, name: "aoai-dev", deployments: ["gpt-4o-mini"] }];
    const plan = planQuestion(q({ asks: [requests], filters: { ModelDeploymentName: ["gpt-4o", "gpt-4o-mini"] } }), two, NOW, "UTC");
    const current = plan.requests.filter((r) => r.purpose === "figures" && r.request.window === "current").map((r) => [r.resource.name, r.request.filter]);
    expect(current).toEqual([["aoai-prod", "ModelDeploymentName eq 'gpt-4o'"], ["aoai-dev", "ModelDeploymentName eq 'gpt-4o-mini'"]]);
  });

  it("never puts more than 20 metric names into one request", () => {
    const asks: MetricAsk[] = ["AzureOpenAIRequests", "ProcessedPromptTokens", "GeneratedTokens", "TokenTransaction", "ActiveTokens", "FineTunedTrainingHours", "RAIRejectedRequests", "RAIHarmfulRequests", "BlockedCalls", "ClientErrors", "DataIn", "DataOut", "Ratelimit", "ServerErrors", "SuccessfulCalls", "TotalCalls", "TotalErrors", "AzureOpenAIRequests"].map((metric) => ({ metric, aggregation: "Total", label: metric }));
    const many = [...asks, ...["AzureOpenAITimeToResponse", "AzureOpenAINormalizedTTFTInMS", "AzureOpenAINormalizedTBTInMS", "AzureOpenAITTLTInMS", "AzureOpenAITokenPerSecond"].map((metric): MetricAsk => ({ metric, aggregation: "Average", label: metric }))];
    const plan = planQuestion(q({ asks: many }), resources, NOW, "UTC");
    for (const r of plan.requests) expect(r.request.metricnames.split(",").length).toBeLessThanOrEqual(20);
    const names = new Set(plan.requests.flatMap((r) => r.request.metricnames.split(",")));
    expect(names.size).toBe(22);
  });

  it("resolves 'today' and 'yesterday' in the configured zone", () => {
    const berlin = planQuestion(q({ asks: [requests], window: { kind: "yesterday" } }), resources, NOW, "Europe/Berlin");
    expect(berlin.requests[0]?.request.timespan).toBe("2026-11-27T23:00:00Z/2026-11-28T23:00:00Z");
    const ny = planQuestion(q({ asks: [requests], window: { kind: "today" } }), resources, NOW, "America/New_York");
    expect(ny.requests.find((r) => r.purpose === "figures")?.request.timespan).toBe("2026-11-29T05:00:00Z/2026-11-29T10:00:30Z");
  });
});
