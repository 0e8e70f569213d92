// Deployment names: looked up once per question, shared by concurrent questions, and trusted for
// DEPLOYMENTS_TTL_MS per resource (then asked again), counted at the loopback Azure Monitor.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Bot } from "../../src/bot/bot.ts";
import { AzureMetrics, DEPLOYMENTS_TTL_MS } from "../../src/queries/azure-metrics.ts";
import { QueryService } from "../../src/queries/service.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { isLookup } from "./sent-requests.ts";

const PROD = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const DEV = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-dev";
const START = Date.parse("2026-11-29T10:00:00Z");

const metric = (name: string, deployments: readonly string[]) => ({
  id: `${PROD}/providers/Microsoft.Insights/metrics/${name}`,
  type: "Microsoft.Insights/metrics",
  name: { value: name, localizedValue: name },
  unit: "Count",
  errorCode: "Success",
  timeseries: deployments.map((d) => ({ metadatavalues: [{ name: { value: "modeldeploymentname", localizedValue: "ModelDeploymentName" }, value: d }], data: [] })),
});

let fake: FakeAzureMonitor;
let clock: number;
let service: QueryService;
let bot: Bot;
/** Deployment-name lookups (Metadata queries); the metric-definition reads beside them are cached alike. */
const deploymentLookups = () => fake.requests.filter((r) => isLookup(r) && r.query.resultType === "Metadata");
const lookups = () => deploymentLookups().length;

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  fake.handler = (req) => ({
    status: 200,
    body: req.query.resultType === "Metadata" ? { timespan: "x", value: [metric("AzureOpenAIRequests", ["gpt-4o", "gpt-4o-mini"])] } : { timespan: req.query.timespan, value: (req.query.metricnames ?? "").split(",").map((m) => metric(m, [])) },
  });
  clock = START;
  const now = () => new Date(clock);
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), now });
  service = new QueryService({ metrics, resourceIds: [PROD, DEV], zone: "UTC", now });
  bot = new Bot(service);
});
afterEach(async () => {
  await fake.close();
});

describe("deployment names", () => {
  it("are looked up once per resource for a question, understanding and answering alike", async () => {
    const reply = await bot.ask("latency gpt-4o last hour");
    expect(reply.kind).toBe("answer");
    expect(lookups()).toBe(2);
    expect(deploymentLookups().map((r) => r.path).sort()).toEqual([`${DEV}/providers/Microsoft.Insights/metrics`, `${PROD}/providers/Microsoft.Insights/metrics`]);
  });

  it("are read once for questions asked at the same time", async () => {
    const replies = await Promise.all(["latency", "tokens by deployment 24h", "429s last hour"].map((t) => bot.ask(t)));
    expect(replies.map((r) => r.kind)).toEqual(["answer", "answer", "answer"]);
    expect(lookups()).toBe(2);
  });

  it(`are trusted for ${DEPLOYMENTS_TTL_MS / 1000} s, then asked for again`, async () => {
    await bot.ask("latency");
    clock = START + DEPLOYMENTS_TTL_MS - 1;
    await bot.ask("latency");
    expect(lookups()).toBe(2);
    clock = START + DEPLOYMENTS_TTL_MS;
    await bot.ask("latency");
    expect(lookups()).toBe(4);
  });

  it("are not looked up again when the cache expires between understanding a question and answering it", async () => {
    const understood = await bot.understand("latency gpt-4o");
    if ("reply" in understood) throw new Error(`not understood: ${JSON.stringify(understood.reply)}`);
    clock = START + 2 * DEPLOYMENTS_TTL_MS;
    const reply = await bot.answer(understood.question, undefined, understood.resources);
    expect(reply.kind).toBe("answer");
    expect(lookups()).toBe(2);
  });
});
