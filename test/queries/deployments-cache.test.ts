// Deployment names: looked up once per question, shared by concurrent questions, and trusted for
// DEPLOYMENTS_TTL_MS per resource (then asked again), counted at the loopback Azure Monitor.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Bot } from "../../src/bot/bot.ts";
import { AzureMetrics, DEPLOYMENTS_TTL_MS, LOOKUP_REFRESH_AFTER_MS } from "../../src/queries/azure-metrics.ts";
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
/** What Azure reports deployed, and whether its deployment lookups fail (500). */
let deployed: string[];
let fail: boolean;
/** Waits (no clock involved) until a background read has reached the fake and come back. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await done()); i++) await new Promise((r) => setTimeout(r, 10));
  if (!(await done())) throw new Error("never happened");
}
let service: QueryService;
let bot: Bot;
/** Deployment-name lookups (Metadata queries); the metric-definition reads beside them are cached alike. */
const deploymentLookups = () => fake.requests.filter((r) => isLookup(r) && r.query.resultType === "Metadata");
const lookups = () => deploymentLookups().length;

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  deployed = ["gpt-4o", "gpt-4o-mini"];
  fail = false;
  fake.handler = (req) =>
    fail && req.query.resultType === "Metadata"
      ? { status: 500, body: { error: { code: "InternalServerError", message: "try later" } } }
      : {
          status: 200,
          body: req.query.resultType === "Metadata" ? { timespan: "x", value: [metric("AzureOpenAIRequests", deployed)] } : { timespan: req.query.timespan, value: (req.query.metricnames ?? "").split(",").map((m) => metric(m, [])) },
        };
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
    // read again in the background from LOOKUP_REFRESH_AFTER_MS on, while the ones read are served
    await until(() => lookups() === 4);
    // those were read at START + TTL - 1: a minute after, unused, they are asked for again before answering
    clock = START + 2 * DEPLOYMENTS_TTL_MS - 1;
    await bot.ask("latency");
    expect(lookups()).toBe(6);
  });

  it(`are read again in the background from ${LOOKUP_REFRESH_AFTER_MS / 1000} s on: the question is answered with the ones read, the next one knows a new deployment`, async () => {
    await bot.ask("latency");
    clock = START + LOOKUP_REFRESH_AFTER_MS - 1;
    await bot.ask("latency");
    expect(lookups()).toBe(2);
    deployed = ["gpt-4o", "gpt-4o-mini", "gpt-5"];
    clock = START + LOOKUP_REFRESH_AFTER_MS;
    expect(await bot.ask("latency gpt-5")).toMatchObject({ kind: "error" });
    await until(() => lookups() === 4);
    await until(async () => (await service.deployments()).includes("gpt-5"));
    expect(await bot.ask("latency gpt-5")).toMatchObject({ kind: "answer" });
    expect(lookups()).toBe(4);
  });

  it("keep serving the ones read when the background read fails, until they expire", async () => {
    await bot.ask("latency");
    fail = true;
    clock = START + LOOKUP_REFRESH_AFTER_MS;
    expect(await bot.ask("latency gpt-4o-mini")).toMatchObject({ kind: "answer" });
    await until(() => lookups() === 4);
    clock = START + DEPLOYMENTS_TTL_MS - 1;
    expect(await bot.ask("latency gpt-4o-mini")).toMatchObject({ kind: "answer" });
    clock = START + DEPLOYMENTS_TTL_MS;
    expect(await bot.ask("latency gpt-4o-mini")).toMatchObject({ kind: "error" });
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
