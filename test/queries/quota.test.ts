import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ArmDeployments } from "../../src/queries/arm-clients.ts";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { AzureAccessDeniedError, InvalidWindowError, UnknownDeploymentError } from "../../src/queries/errors.ts";
import { QuotaQueries } from "../../src/queries/quota.ts";
import type { Resource } from "../../src/queries/resources.ts";
import type { QuotaQuestion } from "../../src/queries/table-questions.ts";
import { ACCOUNT, armError, armHandler, deploymentResource, deploymentsPage, metricsResponse, ok, routeOf, type SeriesSpec } from "../fakes/arm-resources.ts";
import { FakeAzureMonitor, fakeCredential, type RecordedRequest } from "../fakes/azure-monitor.ts";

const ZONE = "Europe/Berlin";
const NOW = new Date("2026-12-01T18:00:00Z");
const SPAN = "2026-11-30T18:00:00Z/2026-12-01T18:00:00Z";
const resource: Resource = { id: ACCOUNT, name: "aoai-prod", deployments: ["gpt-4o", "gpt-4o-mini", "gpt-4o-ptu", "embed"] };
const quota = (over: Partial<QuotaQuestion> = {}): QuotaQuestion => ({ kind: "quota", topic: "quota", window: { kind: "relative", minutes: 1440 }, deployments: [], notes: [], ...over });

const DEPLOYMENTS = [
  deploymentResource({ name: "gpt-4o", sku: "GlobalStandard", capacity: 150, model: "gpt-4o", tpm: 150_000, rpm: 900 }),
  deploymentResource({ name: "gpt-4o-mini", sku: "GlobalStandard", capacity: 100, model: "gpt-4o-mini", tpm: 100_000, rpm: 1_000 }),
  deploymentResource({ name: "gpt-4o-ptu", sku: "GlobalProvisionedManaged", capacity: 50, model: "gpt-4o", spillover: "gpt-4o" }),
  // no rate limits in the response, and no traffic in the window
  deploymentResource({ name: "embed", sku: "Standard", capacity: 20, model: "text-embedding-3-small" }),
];

const by = (name: string) => ({ ModelDeploymentName: name });
const minutes = (...pairs: [string, number][]) => pairs.map(([hhmm, v]) => [`2026-12-01T${hhmm}:00Z`, v] as const);

/** Per-minute traffic: gpt-4o-mini runs at 95 % of its TPM at 12:42 UTC, the PTU deployment at 97 % utilisation. */
const usage = metricsResponse(ACCOUNT, SPAN, "PT1M", [
  {
    name: "TokenTransaction",
    series: [
      { dimensions: by("gpt-4o"), points: minutes(["12:41", 90_000], ["12:42", 120_000], ["12:43", 40_000]) },
      { dimensions: by("gpt-4o-mini"), points: minutes(["12:41", 60_000], ["12:42", 95_000], ["12:43", 10_000]) },
      { dimensions: by("gpt-4o-ptu"), points: minutes(["09:10", 300_000], ["09:11", 280_000]) },
    ],
  },
  {
    name: "AzureOpenAIRequests",
    series: [
      { dimensions: by("gpt-4o"), points: minutes(["12:41", 200], ["12:42", 300], ["12:43", 100]) },
      { dimensions: by("gpt-4o-mini"), points: minutes(["12:41", 500], ["12:42", 700], ["12:43", 100]) },
      { dimensions: by("gpt-4o-ptu"), points: minutes(["09:10", 250], ["09:11", 150]) },
    ],
  },
]);
const throttled = metricsResponse(ACCOUNT, SPAN, "FULL", [{ name: "AzureOpenAIRequests", series: [{ dimensions: { ...by("gpt-4o-mini"), StatusCode: "429" }, points: [["2026-11-30T18:00:00Z", 1_234]] }] }]);
const utilisation = metricsResponse(ACCOUNT, SPAN, "PT1M", [
  { name: "AzureOpenAIProvisionedManagedUtilizationV2", unit: "Percent", series: [{ dimensions: by("gpt-4o-ptu"), aggregation: "maximum", points: minutes(["09:10", 97], ["09:11", 81]), extra: [{ average: 60 }, { average: 70 }] } satisfies SeriesSpec] },
]);
const spilled = metricsResponse(ACCOUNT, SPAN, "FULL", [{ name: "AzureOpenAIRequests", series: [{ dimensions: { ...by("gpt-4o-ptu"), IsSpillover: "true" }, points: [["2026-11-30T18:00:00Z", 50]] }] }]);

function metricsReply(req: RecordedRequest) {
  const filter = req.query.$filter ?? "";
  if (req.query.metricnames === "TokenTransaction,AzureOpenAIRequests") return ok(usage);
  if (filter.includes("StatusCode")) return ok(throttled);
  if (filter.includes("IsSpillover")) return ok(spilled);
  if (req.query.metricnames === "AzureOpenAIProvisionedManagedUtilizationV2") return ok(utilisation);
  return armError(400, "BadRequest", `unexpected ${req.query.metricnames}`);
}

let fake: FakeAzureMonitor;
function queries(): QuotaQueries {
  const common = { credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), retry: { maxAttempts: 1 } };
  return new QuotaQueries({ deployments: new ArmDeployments(common), metrics: new AzureMetrics(common), zone: ZONE, now: () => NOW });
}

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  fake.handler = armHandler({ "deployments.list": () => ok(deploymentsPage(DEPLOYMENTS)), "metrics.list": metricsReply });
});
afterEach(async () => {
  await fake.close();
});

describe("how close each deployment came to its limits", () => {
  it("puts the closest first, with limits from Resource Manager, peak minutes, shares, 429s, PTU utilisation and spillover", async () => {
    const a = await queries().answer(quota(), [resource]);

    expect(a.kind).toBe("quota");
    expect(a.table.columns.map((c) => c.name)).toEqual(["deployment", "sku", "TPM limit", "peak tokens/min", "% of TPM", "RPM limit", "peak requests/min", "% of RPM", "429s", "PTU utilisation peak %", "spillover %"]);
    expect(a.table.rows).toEqual([
      ["gpt-4o-ptu", "GlobalProvisionedManaged", null, 300_000, null, null, 250, null, 0, 97, 12.5],
      ["gpt-4o-mini", "GlobalStandard", 100_000, 95_000, 95, 1_000, 700, 70, 1_234, null, null],
      ["gpt-4o", "GlobalStandard", 150_000, 120_000, 80, 900, 300, 33.3, 0, null, null],
      // no metric points: no data (null), never 0 %; its TPM limit is its capacity in thousands
      ["embed", "Standard", 20_000, null, null, null, null, null, null, null, null],
    ]);
    expect(a.lines).toEqual([
      "gpt-4o-ptu came closest to a limit: PTU utilisation peaked at 97 % in the minute from 2026-12-01 10:10 Europe/Berlin, 65 % on average.",
      "Throttled (429): gpt-4o-mini 1,234.",
      "gpt-4o-ptu sent 12.5 % of its requests (50 of 400) to gpt-4o (spillover).",
    ]);
    expect(a.notes).toContain("No metric data in the window for embed: shown as no data, not 0 %.");
    expect(a.notes).toContain("Azure sent no token rate limit for embed: its TPM limit is sku.capacity × 1,000.");
    expect(a.notes.join(" ")).toContain("the bot never derives RPM from TPM");
    expect(a.window).toEqual({ start: "2026-11-30T18:00:00Z", end: "2026-12-01T18:00:00Z", label: "last 24 h" });
  });

  it("sends exactly the planned requests: deployments, PT1M usage split by deployment, FULL 429s, utilisation and spillover", async () => {
    const q = queries();
    const a = await q.answer(quota(), [resource]);
    const metrics = fake.requests.filter((r) => routeOf(r) === "metrics.list").map((r) => r.query);
    const common = { "api-version": "2024-02-01", metricnamespace: "Microsoft.CognitiveServices/accounts", timespan: SPAN, top: "100" };
    expect(metrics).toEqual(
      expect.arrayContaining([
        { ...common, metricnames: "TokenTransaction,AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", $filter: "ModelDeploymentName eq '*'", orderby: "Total desc" },
        { ...common, metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "FULL", $filter: "ModelDeploymentName eq '*' and StatusCode eq '429'" },
        { ...common, metricnames: "AzureOpenAIProvisionedManagedUtilizationV2", aggregation: "Maximum,Average", interval: "PT1M", $filter: "ModelDeploymentName eq '*'" },
        { ...common, metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "FULL", $filter: "ModelDeploymentName eq '*' and IsSpillover eq 'true'" },
      ]),
    );
    expect(metrics).toHaveLength(4);
    expect(fake.requests.filter((r) => routeOf(r) === "deployments.list")).toHaveLength(1);
    expect(a.requests[0]).toEqual({ api: "arm", operation: "deployments.list", scope: ACCOUNT });
    expect(a.requests).toEqual(await q.plan(quota(), [resource]));
    expect(a.sources).toContain(`aoai-prod · TokenTransaction,AzureOpenAIRequests · Total · PT1M · ModelDeploymentName eq '*' · ${SPAN} (2026-11-30 19:00–2026-12-01 19:00 Europe/Berlin) · peak = largest PT1M point per deployment`);
    expect(a.sources[0]).toBe(`aoai-prod · deployments.list · ${ACCOUNT} · sku.capacity, properties.rateLimits (count × 60 ÷ renewalPeriod per minute), properties.spilloverDeploymentName`);
  });

  it("reads only usage and 429s when no deployment is provisioned or spills over, and shows only the named deployment", async () => {
    fake.handler = armHandler({ "deployments.list": () => ok(deploymentsPage(DEPLOYMENTS.slice(0, 2))), "metrics.list": metricsReply });
    const a = await queries().answer(quota({ deployments: ["GPT-4o-mini"] }), [resource]);
    expect(fake.requests.filter((r) => routeOf(r) === "metrics.list").map((r) => r.query.$filter)).toEqual(["ModelDeploymentName eq '*'", "ModelDeploymentName eq '*' and StatusCode eq '429'"]);
    expect(a.table.columns.map((c) => c.name)).not.toContain("spillover %");
    expect(a.table.rows.map((r) => r[0])).toEqual(["gpt-4o-mini"]);
    expect(a.lines[0]).toBe("gpt-4o-mini came closest to a limit: peak 1-minute tokens 95,000 of 100,000 TPM (95 %) in the minute from 2026-12-01 13:42 Europe/Berlin.");
  });

  it("says which deployments exist when the named one does not", async () => {
    const err = await queries().answer(quota({ deployments: ["gpt-4"] }), [resource]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownDeploymentError);
    expect((err as UnknownDeploymentError).hint).toBe("Known deployments: gpt-4o, gpt-4o-mini, gpt-4o-ptu, embed.");
  });

  it("refuses more than 24 hours before reading anything: peaks need every minute", async () => {
    const err = await queries().answer(quota({ window: { kind: "relative", minutes: 2 * 1440 } }), [resource]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidWindowError);
    expect((err as InvalidWindowError).message).toContain("up to 24 hours");
    expect(fake.requests).toHaveLength(0);
  });

  it("passes on the role to assign when deployments are not readable", async () => {
    fake.handler = armHandler({ "deployments.list": () => armError(403, "AuthorizationFailed", "no") });
    const err = await queries().answer(quota(), [resource]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AzureAccessDeniedError);
    expect((err as AzureAccessDeniedError).hint).toContain(`"Reader" on the account ${ACCOUNT}`);
  });

  it("asks a Foundry resource in its own metric names and reads the answer the same way", async () => {
    const foundry: Resource = { ...resource, family: "models" };
    const models = (req: RecordedRequest) =>
      req.query.metricnames === "TotalTokens,ModelRequests"
        ? ok(metricsResponse(ACCOUNT, SPAN, "PT1M", [{ name: "TotalTokens", series: [{ dimensions: by("gpt-4o-mini"), points: minutes(["12:42", 50_000]) }] }, { name: "ModelRequests", series: [{ dimensions: by("gpt-4o-mini"), points: minutes(["12:42", 100]) }] }]))
        : ok(metricsResponse(ACCOUNT, SPAN, "FULL", [{ name: "ModelRequests", series: [] }]));
    fake.handler = armHandler({ "deployments.list": () => ok(deploymentsPage(DEPLOYMENTS.slice(1, 2))), "metrics.list": models });
    const a = await queries().answer(quota(), [foundry]);
    expect(fake.requests.filter((r) => routeOf(r) === "metrics.list").map((r) => r.query.metricnames)).toEqual(["TotalTokens,ModelRequests", "ModelRequests"]);
    expect(a.table.rows).toEqual([["gpt-4o-mini", "GlobalStandard", 100_000, 50_000, 50, 1_000, 100, 10, 0]]);
  });
});
