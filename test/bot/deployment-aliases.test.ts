// Deployment aliases come from what the resource reports (ModelName values, provisioned metrics),
// asked through the bot and the real SDK against a loopback Azure Monitor that reports two mini
// models and two provisioned deployments: one match is used (and said), several are asked about.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Bot } from "../../src/bot/bot.ts";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { QueryService } from "../../src/queries/service.ts";
import { FakeAzureMonitor, fakeCredential, type RecordedRequest } from "../fakes/azure-monitor.ts";

const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const NOW = new Date("2026-12-01T14:30:00Z");
/** deployment → model, and whether it reports provisioned utilisation */
const DEPLOYMENTS: readonly (readonly [string, string, boolean])[] = [
  ["chat-main", "gpt-4.1", false],
  ["chat-small", "gpt-4.1-mini", false],
  ["batch-small", "gpt-4o-mini", false],
  ["search-vectors", "text-embedding-3-small", false],
  ["ptu-east", "gpt-4o", true],
  ["ptu-west", "gpt-4o", true],
];

const dim = (name: string, value: string) => ({ name: { value: name.toLowerCase(), localizedValue: name }, value });
const metric = (name: string, rows: readonly (readonly [string, string, boolean])[]) => ({
  id: `${AOAI}/providers/Microsoft.Insights/metrics/${name}`,
  type: "Microsoft.Insights/metrics",
  name: { value: name, localizedValue: name },
  unit: "Count",
  errorCode: "Success",
  timeseries: rows.map(([d, m]) => ({ metadatavalues: [dim("ModelDeploymentName", d), dim("ModelName", m)], data: [] })),
});

function reply(req: RecordedRequest) {
  const names = (req.query.metricnames ?? "").split(",");
  if (req.query.resultType === "Metadata") {
    return { status: 200, body: { timespan: req.query.timespan, value: names.map((n) => metric(n, n === "AzureOpenAIProvisionedManagedUtilizationV2" ? DEPLOYMENTS.filter(([, , p]) => p) : DEPLOYMENTS)) } };
  }
  return { status: 200, body: { timespan: req.query.timespan, interval: req.query.interval, value: names.map((n) => metric(n, [])) } };
}

let fake: FakeAzureMonitor;
let bot: Bot;
beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  fake.handler = reply;
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), now: () => NOW });
  bot = new Bot(new QueryService({ metrics, resourceIds: [AOAI], zone: "UTC", now: () => NOW }));
});
afterEach(async () => {
  await fake.close();
});

const filtersSent = () => fake.metricsRequests().map((r) => r.query.$filter ?? "");

describe("deployment aliases from what the resource reports", () => {
  it("reads the model family from ModelName: 'embeddings' is the deployment running an embedding model", async () => {
    const r = await bot.ask("embeddings latency", undefined, NOW);
    expect(r.kind).toBe("answer");
    expect(filtersSent().some((f) => f.includes("ModelDeploymentName eq 'search-vectors'"))).toBe(true);
    expect(r.kind === "answer" && r.answer.notes).toContain('"embeddings" read as search-vectors (its model is an embedding model).');
  });

  it("asks which one when 'mini' fits two deployments, offering each", async () => {
    const r = await bot.ask("mini latency", undefined, NOW);
    expect(r).toMatchObject({ kind: "error", code: "ambiguous_deployment", message: '"mini" could mean batch-small or chat-small: which one?', examples: ["batch-small latency", "chat-small latency"] });
    expect(fake.metricsRequests()).toHaveLength(0);
  });

  it("asks which one for 'the ptu deployment' when two are provisioned, and takes both for 'ptu deployments'", async () => {
    expect(await bot.ask("errors for the ptu deployment", undefined, NOW)).toMatchObject({ kind: "error", code: "ambiguous_deployment", message: '"the ptu deployment" could mean ptu-east or ptu-west: which one?' });
    const both = await bot.ask("errors for the ptu deployments", undefined, NOW);
    expect(both.kind).toBe("answer");
    expect(both.kind === "answer" && both.answer.results.map((x) => x.item?.value)).toEqual(["ptu-east", "ptu-west"]);
  });

  it("says when no deployment fits", async () => {
    expect(await bot.ask("nano latency", undefined, NOW)).toMatchObject({ kind: "error", code: "no_matching_deployment", message: 'No deployment fits "nano": no deployment runs a nano model.' });
  });

  it("reads all of it from the one deployment lookup per resource", async () => {
    await bot.ask("embeddings latency", undefined, NOW);
    const lookups = fake.requests.filter((r) => r.query.resultType === "Metadata");
    expect(lookups.map((r) => [r.query.metricnames, r.query.$filter])).toEqual([["AzureOpenAIRequests,AzureOpenAIProvisionedManagedUtilizationV2", "ModelDeploymentName eq '*' and ModelName eq '*'"]]);
  });
});
