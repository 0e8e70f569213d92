// An asker who may see only some deployments (an access rule's `deployments:`, scope.ts) gets
// answers about those only: what reaches Azure names only them, split rows and totals are theirs,
// and a refusal lists only them. The real query layer and SDK over the demo's simulator, every
// request recorded; expected figures are read from the simulator directly, never from the bot.
import { MonitorClient } from "@azure/arm-monitor";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource, type QuerySource } from "../../src/app/query-source.ts";
import { DEMO_RESOURCE_ID } from "../../src/demo/demo-resource.ts";
import { simulatorHttpClient } from "../../src/demo/http-client.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";
import { NotScopableError, NothingVisibleError, UnknownDeploymentError, UnknownDimensionValueError, UserError } from "../../src/queries/errors.ts";
import type { Question } from "../../src/queries/question.ts";
import type { Resource } from "../../src/queries/resources.ts";
import { EVERYTHING, globMatch, restrictResources } from "../../src/queries/scope.ts";
import { QueryService } from "../../src/queries/service.ts";
import { isDataRequest, isLookup, recording, type Sent } from "./sent-requests.ts";

const NOW = new Date("2026-12-01T14:30:00Z");
/** A complete hour well before NOW: not live, so every figure is the plain sum of its points. */
const HOUR = { kind: "absolute", start: "2026-12-01T10:00:00Z", end: "2026-12-01T11:00:00Z" } as const;
/** Case and a glob, as an operator writes them: gpt-4o and text-embedding-3-large stay visible. */
const SCOPE = { deployments: ["GPT-4O", "text-embedding-*"] };
const VISIBLE = ["gpt-4o", "text-embedding-3-large"];
const HIDDEN = ["gpt-4o-mini", "gpt-4o-ptu"];
const PRICES = { currency: "USD", models: { "gpt-4o": { inputPer1M: 2.5, outputPer1M: 10 }, "gpt-4o-mini": { inputPer1M: 0.15, outputPer1M: 0.6 }, "text-embedding-3-large": { inputPer1M: 0.13, outputPer1M: 0 } } };

const requests: Question = { topic: "Requests", asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }], window: HOUR, filters: {}, notes: [] };

let source: QuerySource;
let service: QueryService;
let sent: Sent[];
let all: Resource[];
let scoped: Resource[];

/** Azure's own numbers: each deployment's AzureOpenAIRequests Total over `timespan`, straight from the simulator. */
async function rawTotals(timespan: string): Promise<Map<string, number>> {
  const client = new MonitorClient({ getToken: () => Promise.resolve({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }) }, { endpoint: "https://management.azure.com", httpClient: simulatorHttpClient(new SimulatedAzureMonitor({ now: () => NOW })) });
  const res = await client.metrics.list(DEMO_RESOURCE_ID, { metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "FULL", timespan, filter: "ModelDeploymentName eq '*'", top: 100 });
  const out = new Map<string, number>();
  for (const ts of res.value[0]?.timeseries ?? []) out.set(ts.metadatavalues?.[0]?.value ?? "", (ts.data ?? []).reduce((s, p) => s + (p.total ?? 0), 0));
  return out;
}

/** What `run` sent to Azure (data requests and lookups alike). */
async function sending<T>(run: () => Promise<T>): Promise<{ result: T; sent: Sent[] }> {
  const before = sent.length;
  const result = await run();
  return { result, sent: sent.slice(before) };
}

async function refusal(run: () => Promise<unknown>): Promise<UserError> {
  const err: unknown = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof UserError)) throw new Error(`expected a UserError, got ${String(err)}`);
  return err;
}

const filters = (list: readonly Sent[]) => list.filter(isDataRequest).map((s) => s.query.$filter ?? "");

beforeAll(async () => {
  const rec = recording(simulatorHttpClient(new SimulatedAzureMonitor({ now: () => NOW })));
  sent = rec.sent;
  source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW, httpClient: rec.client });
  service = new QueryService({ metrics: source.metrics, resourceIds: [DEMO_RESOURCE_ID], zone: "UTC", now: () => NOW, prices: PRICES });
  all = await service.resources();
  scoped = restrictResources(all, SCOPE);
});

describe("globMatch and restrictResources", () => {
  it("matches names without case, * as any run of characters", () => {
    expect(globMatch("GPT-4O", "gpt-4o")).toBe(true);
    expect(globMatch("gpt-4o", "gpt-4o-mini")).toBe(false);
    expect(globMatch("gpt-*", "GPT-4o-mini")).toBe(true);
    expect(globMatch("*-mini", "gpt-4o-mini")).toBe(true);
    expect(globMatch("gpt*mini", "gpt-4o-mini")).toBe(true);
    expect(globMatch("gpt*mini", "gpt-4o-ptu")).toBe(false);
    expect(globMatch("*", "anything")).toBe(true);
    expect(globMatch("a*a", "a")).toBe(false);
  });

  it("keeps the resources a rule names (by account name or id) with only the visible deployments and their facts", () => {
    const two: Resource[] = [
      { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod", name: "aoai-prod", deployments: ["gpt-4o", "gpt-4o-mini"], facts: [{ name: "gpt-4o", models: ["gpt-4o"], provisioned: false }, { name: "gpt-4o-mini", models: ["gpt-4o-mini"], provisioned: false }] },
      { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-lab", name: "aoai-lab", deployments: ["o1"] },
    ];
    expect(restrictResources(two, EVERYTHING)).toEqual(two);
    expect(restrictResources(two, { resources: ["AOAI-PROD"] }).map((r) => r.name)).toEqual(["aoai-prod"]);
    expect(restrictResources(two, { resources: ["*/accounts/aoai-lab"] }).map((r) => r.name)).toEqual(["aoai-lab"]);
    const prod = restrictResources(two, { resources: ["aoai-p*"], deployments: ["*-MINI"] });
    expect(prod).toEqual([{ ...two[0], deployments: ["gpt-4o-mini"], facts: [{ name: "gpt-4o-mini", models: ["gpt-4o-mini"], provisioned: false }], visible: ["gpt-4o-mini"] }]);
    expect(restrictResources(two, { deployments: ["nothing-*"] }).map((r) => r.visible)).toEqual([[], []]);
  });

  it("restricts the demo resource to gpt-4o and text-embedding-3-large", () => {
    expect(scoped.map((r) => [...(r.visible ?? [])].sort())).toEqual([VISIBLE]);
    expect(all[0]?.deployments).toEqual(expect.arrayContaining(HIDDEN));
  });
});

describe("metric answers for a restricted asker", () => {
  it("plans exactly as before for an unrestricted asker", async () => {
    const split: Question = { ...requests, splitBy: "ModelDeploymentName" };
    for (const q of [requests, split, { ...requests, window: { kind: "relative", minutes: 60 } } satisfies Question]) {
      const plain = await service.plan(q, NOW, "UTC", all);
      const everything = await service.plan(q, NOW, "UTC", restrictResources(all, EVERYTHING));
      expect(everything.requests.map((p) => p.request)).toEqual(plain.requests.map((p) => p.request));
      expect(plain.requests.some((p) => (p.request.filter ?? "").includes("ModelDeploymentName eq 'gpt"))).toBe(false);
    }
  });

  it("splits by deployment into visible rows only, Azure asked for those only", async () => {
    const { result, sent: got } = await sending(() => service.answer({ ...requests, splitBy: "ModelDeploymentName", top: 10 }, NOW, "UTC", scoped));
    const raw = await rawTotals(`${HOUR.start}/${HOUR.end}`);
    const [r] = result.results;
    expect(result.results).toHaveLength(1);
    expect(r!.series.map((s) => s.dimensions.ModelDeploymentName).sort()).toEqual(VISIBLE);
    for (const s of r!.series) expect(s.value).toBe(raw.get(s.dimensions.ModelDeploymentName!));
    expect(r!.value).toBe(VISIBLE.reduce((sum, d) => sum + raw.get(d)!, 0));
    expect(r!.value).toBeLessThan([...raw.values()].reduce((a, b) => a + b, 0));
    const sentFilters = filters(got);
    expect(sentFilters.length).toBeGreaterThan(0);
    for (const f of sentFilters) {
      expect(f).toContain("ModelDeploymentName eq 'gpt-4o'");
      expect(f).toContain("ModelDeploymentName eq 'text-embedding-3-large'");
      for (const hidden of HIDDEN) expect(f).not.toContain(hidden);
    }
    expect(JSON.stringify(result)).not.toMatch(/gpt-4o-mini|gpt-4o-ptu/);
  });

  it("totals an unsplit figure over the visible deployments: the sum of their raw data, nothing else", async () => {
    const { result, sent: got } = await sending(() => service.answer(requests, NOW, "UTC", scoped));
    const raw = await rawTotals(`${HOUR.start}/${HOUR.end}`);
    expect(result.results[0]?.value).toBe(raw.get("gpt-4o")! + raw.get("text-embedding-3-large")!);
    expect(filters(got)).toEqual(filters(got).map(() => "(ModelDeploymentName eq 'gpt-4o' or ModelDeploymentName eq 'text-embedding-3-large')"));
  });

  it("reads a live window's freshness from the visible deployments too", async () => {
    const plan = await service.plan({ ...requests, window: { kind: "relative", minutes: 60 } }, NOW, "UTC", scoped);
    const freshness = plan.requests.filter((p) => p.purpose === "freshness");
    expect(freshness).toHaveLength(1);
    expect(freshness[0]?.request.filter).toBe("(ModelDeploymentName eq 'gpt-4o' or ModelDeploymentName eq 'text-embedding-3-large')");
    for (const p of plan.requests) for (const hidden of HIDDEN) expect(p.request.filter ?? "").not.toContain(hidden);
  });

  it("refuses a hidden deployment exactly as an unknown one, listing only the visible ones, and sends nothing", async () => {
    const hidden = await sending(() => refusal(() => service.answer({ ...requests, filters: { ModelDeploymentName: ["gpt-4o-mini"] } }, NOW, "UTC", scoped)));
    const unknown = await refusal(() => service.answer({ ...requests, filters: { ModelDeploymentName: ["no-such-one"] } }, NOW, "UTC", scoped));
    expect(hidden.result).toBeInstanceOf(UnknownDeploymentError);
    expect(hidden.result.message).toBe('There is no deployment named "gpt-4o-mini".');
    expect(hidden.result.hint).toBe("Known deployments: gpt-4o, text-embedding-3-large.");
    expect(unknown.hint).toBe(hidden.result.hint);
    expect(hidden.sent.filter(isDataRequest)).toEqual([]);
    // a near miss of a hidden name is not corrected to it
    const nearMiss = await refusal(() => service.answer({ ...requests, filters: { ModelDeploymentName: ["gpt-4o-ptuu"] } }, NOW, "UTC", scoped));
    expect(`${nearMiss.message} ${nearMiss.hint ?? ""}`).not.toMatch(/gpt-4o-mini|gpt-4o-ptu\b/);
  });

  it("compares only what the asker may see: a hidden deployment is refused, compared models are read from the visible deployments", async () => {
    const versus = await refusal(() => service.answer({ ...requests, filters: { ModelDeploymentName: ["gpt-4o", "gpt-4o-mini"] } }, NOW, "UTC", scoped));
    expect(versus).toBeInstanceOf(UnknownDeploymentError);
    expect(versus.hint).toBe("Known deployments: gpt-4o, text-embedding-3-large.");
    const { result, sent: got } = await sending(() => service.answer({ ...requests, filters: { ModelName: ["gpt-4o", "text-embedding-3-large"] } }, NOW, "UTC", scoped));
    expect(result.results.map((r) => r.item?.value)).toEqual(["gpt-4o", "text-embedding-3-large"]);
    const raw = await rawTotals(`${HOUR.start}/${HOUR.end}`);
    // gpt-4o-ptu runs model gpt-4o too, but is hidden: the gpt-4o item is the gpt-4o deployment's calls alone
    expect(result.results[0]?.value).toBe(raw.get("gpt-4o"));
    for (const f of filters(got)) expect(f).toContain("(ModelDeploymentName eq 'gpt-4o' or ModelDeploymentName eq 'text-embedding-3-large')");
  });

  it("answers a visible deployment named in the question as before", async () => {
    const { result } = await sending(() => service.answer({ ...requests, filters: { ModelDeploymentName: ["GPT-4O"] } }, NOW, "UTC", scoped));
    const raw = await rawTotals(`${HOUR.start}/${HOUR.end}`);
    expect(result.results[0]?.value).toBe(raw.get("gpt-4o"));
  });

  it("lists only the visible deployments' values when refusing a filter value", async () => {
    const err = await refusal(() => service.answer({ ...requests, filters: { ModelName: ["gpt-5"] } }, NOW, "UTC", scoped));
    expect(err).toBeInstanceOf(UnknownDimensionValueError);
    expect(err.message).toBe('ModelName has no value "gpt-5"; it reports: gpt-4o, text-embedding-3-large.');
    expect(err.message).not.toContain("mini");
    // read once per resource and filter (cached): this asker's values were read for their deployments only
    const lookups = sent.filter(isLookup).filter((s) => s.query.$filter?.startsWith("ModelName"));
    expect(lookups.map((s) => s.query.$filter)).toEqual(["ModelName eq '*' and (ModelDeploymentName eq 'gpt-4o' or ModelDeploymentName eq 'text-embedding-3-large')"]);
    // the same question unrestricted does list the hidden deployment's model
    const open = await refusal(() => service.answer({ ...requests, filters: { ModelName: ["gpt-5"] } }, NOW, "UTC", all));
    expect(open.message).toContain("gpt-4o-mini");
  });

  it("refuses everything when no deployment of the resource is visible, without naming it", async () => {
    const none = restrictResources(all, { deployments: ["nothing-*"] });
    const { result: err, sent: got } = await sending(() => refusal(() => service.answer(requests, NOW, "UTC", none)));
    expect(err).toBeInstanceOf(NothingVisibleError);
    expect(err.message).toBe("You may not query any deployment of this resource here.");
    expect(`${err.message} ${err.hint ?? ""}`).not.toMatch(/aoai|gpt|embedding/i);
    expect(got.filter(isDataRequest)).toEqual([]);
  });

  it("refuses a metric without deployments (legacy), since it would count the hidden ones too", async () => {
    const legacy: Question = { ...requests, asks: [{ metric: "DataIn", aggregation: "Total", label: "Data in" }] };
    const err = await refusal(() => service.answer(legacy, NOW, "UTC", scoped));
    expect(err).toBeInstanceOf(NotScopableError);
    expect(err.message).toBe("DataIn has no ModelDeploymentName dimension, so it can't be limited to the deployments you may see.");
    expect(err.hint).toContain("ProcessedPromptTokens");
    // unrestricted, the legacy metric is still answered
    expect((await service.answer(legacy, NOW, "UTC", all)).results).toHaveLength(1);
  });

  it("estimates spend from the visible deployments' tokens and models only", async () => {
    const spend: Question = { ...requests, asks: [], estimate: "spend", splitBy: "ModelDeploymentName" };
    const { result, sent: got } = await sending(() => service.answer(spend, NOW, "UTC", scoped));
    const rows = result.results.flatMap((r) => r.series.map((s) => s.dimensions.ModelDeploymentName));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((d) => d !== undefined && VISIBLE.includes(d))).toBe(true);
    for (const f of filters(got)) {
      expect(f).toContain("ModelDeploymentName eq 'gpt-4o'");
      for (const hidden of HIDDEN) expect(f).not.toContain(hidden);
    }
  });
});

describe("daily summary for a restricted asker", () => {
  const SLOT = new Date("2026-12-01T08:00:00Z");

  it("asks Azure for the visible deployments only and totals those", async () => {
    const { result: summary, sent: got } = await sending(() => service.summary(scoped[0]!, SLOT, "UTC"));
    expect(summary.deployments.map((d) => d.name)).toEqual(VISIBLE);
    const rows = summary.deployments.map((d) => d.figures.requests.value ?? 0);
    expect(summary.totals.requests.value).toBe(rows.reduce((a, b) => a + b, 0));
    const raw = await rawTotals(`${summary.day.start}/${summary.day.end}`);
    expect(summary.totals.requests.value).toBe(raw.get("gpt-4o")! + raw.get("text-embedding-3-large")!);
    const sentFilters = filters(got);
    expect(sentFilters).toHaveLength(2);
    for (const f of sentFilters) {
      expect(f).toMatch(/^ModelDeploymentName eq '\*'.* and \(ModelDeploymentName eq 'gpt-4o' or ModelDeploymentName eq 'text-embedding-3-large'\)$/);
    }
    // unrestricted, the same day has more deployments and a larger total
    const open = await service.summary(DEMO_RESOURCE_ID, SLOT, "UTC");
    expect(open.deployments.map((d) => d.name)).toEqual(expect.arrayContaining(HIDDEN));
    expect(open.totals.requests.value).toBeGreaterThan(summary.totals.requests.value ?? 0);
  });

  it("keeps a schedule's deployments to the visible ones, and refuses when none is visible", async () => {
    expect((await service.summary(scoped[0]!, SLOT, "UTC", ["gpt-4o", "gpt-4o-mini"])).deployments.map((d) => d.name)).toEqual(["gpt-4o"]);
    const err = await refusal(() => service.summary(scoped[0]!, SLOT, "UTC", ["gpt-4o-mini"]));
    expect(err).toBeInstanceOf(NothingVisibleError);
    const none = restrictResources(all, { deployments: [] });
    expect(await refusal(() => service.summary(none[0]!, SLOT, "UTC"))).toBeInstanceOf(NothingVisibleError);
  });
});
